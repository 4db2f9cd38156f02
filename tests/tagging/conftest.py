"""Fixtures for the tagger tests: the shipped model, a small training set, documents."""

from __future__ import annotations

import pytest

from .documents import LONG_REPORT_PAGES, write_report_pdf  # noqa: F401


@pytest.fixture(scope="session")
def shipped_model():
    from migmap.tagging import load_model

    return load_model()


@pytest.fixture(scope="session")
def small_training():
    """60 bundled examples (fast to fit) and 20 others to predict."""
    from migmap.tagging.dataset import bundled_examples

    ex = bundled_examples()
    return ex.subset(range(60)), ex.subset(range(60, 80))


@pytest.fixture
def report_pdf(tmp_path):
    """A real three-page PDF written with fpdf2."""
    return write_report_pdf(tmp_path / "report.pdf")
