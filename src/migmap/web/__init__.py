"""The web application: server-rendered pages with htmx, and a JSON twin of every page under ``/api``.

    >>> from migmap.config import Settings
    >>> from migmap.web import create_app
    >>> app = create_app(Settings(database_url="sqlite:///:memory:"))
    >>> app.title
    'migmap'

Run it with ``migmap serve --host 127.0.0.1 --port 8000``.
"""

from .app import create_app

__all__ = ["create_app"]
