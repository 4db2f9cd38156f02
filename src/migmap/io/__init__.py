"""Readers and writers: CSV, XLSX, JSON, JSONL, YAML and Frictionless data packages."""
