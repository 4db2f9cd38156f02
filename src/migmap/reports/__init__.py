"""Reports: one slice of the map as self-contained HTML, PDF (WeasyPrint) or Markdown.

Build the content with :func:`migmap.services.analysis.build_report_data`, then render:

    >>> from migmap.reports import FORMATS
    >>> FORMATS
    ('html', 'pdf', 'md')
"""

from .content import CHARTS, ReportData

FORMATS = ("html", "pdf", "md")

__all__ = ["CHARTS", "FORMATS", "ReportData"]
