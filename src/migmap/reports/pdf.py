"""The report as PDF, through WeasyPrint, from the same HTML as the web version."""

from __future__ import annotations

import logging
from pathlib import Path

from .content import ReportData
from .html import render_html


def write_pdf(data: ReportData, path: str | Path, images: dict[str, str] | None = None) -> Path:
    """Write the report to ``path`` as PDF (A4, page numbers)."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    html = render_html(data, for_print=True, images=images)
    path = Path(path)
    HTML(string=html).write_pdf(path)
    return path
