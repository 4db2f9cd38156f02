"""The app factory: ``create_app(settings)`` builds a FastAPI app over one database.

    >>> from migmap.config import Settings
    >>> app = create_app(Settings(database_url="sqlite:///:memory:"))
    >>> from fastapi.testclient import TestClient
    >>> TestClient(app).get("/healthz").status_code
    200

Nothing happens at import time: the database, accounts and templates are created here
and kept on ``app.state``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from migmap.config import Settings
from migmap.services import Database
from migmap.services.accounts import Accounts

from . import errors
from .cache import TTLCache
from .logs import RequestLog
from .params import refuse_unknown_query
from .routes import advice, api_meta, auth_pages, browse, charts, curation, gapmap, health, home, initiatives, reports
from .security import BodySizeLimit, CompressAssets, SecurityHeaders
from .views import HERE, make_templates


def _warm(app: FastAPI) -> None:
    """Compute the home page once at start-up, so the first visitor of a large map does not wait."""
    from . import pages

    try:
        settings = app.state.settings
        app.state.cache.get_or_compute(("home",), lambda: pages.home(app.state.db, settings.stale_after_days, app.state.cache))
    except Exception:  # an empty or unreachable database: the first request will say what is wrong
        log.warning("could not warm the cache", exc_info=True)


log = logging.getLogger("migmap.web")

#: Sessions expire after this many seconds (8 hours) of the cookie being issued.
SESSION_MAX_AGE = 8 * 3600


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    max_body: int = 1_000_000,
    login_max_failures: int = 5,
    session_max_age: int = SESSION_MAX_AGE,
    cache_ttl: float = 60.0,
    warm_cache: bool = True,
) -> FastAPI:
    """Build the web application.

    Costly analysis (home figures, gap maps, network, funder bias, charts) is cached for
    ``cache_ttl`` seconds (then refreshed in the background) and cleared as soon as the data
    changes, through this app or any other process (the newest revision id is the stamp). With ``warm_cache`` the tag
    index is built and the home page computed when the server starts.

    ``database`` defaults to ``Database(settings.database_url)``; the schema is brought up
    to date (accounts need migration 0002) but no data is loaded (``migmap init`` does that).
    """
    settings = settings or Settings()
    db = database or Database(settings.database_url, settings=settings)
    db.upgrade()

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warm_cache:
            db.index()  # built (or reloaded) before the first request, and before other threads start
            threading.Thread(target=_warm, args=(_app,), name="migmap-cache-warm", daemon=True).start()
        yield
        if database is None:  # the app owns the database it opened
            db.close()

    app = FastAPI(
        lifespan=lifespan,
        title="migmap",
        version="0.1.0",
        description=(
            "Private-sector engagement with migrants along the migration cycle. Every HTML page has a "
            "JSON twin under /api. Write endpoints need an editor: an API token (`Authorization: Bearer mm_...`, "
            "created with `migmap user token NAME`) or the session cookie plus the `X-CSRF-Token` header."
        ),
        docs_url=None,  # /api/docs is served from vendored files (routes/api_meta.py)
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.db = db
    app.state.accounts = Accounts(db, max_failures=login_max_failures)
    app.state.templates = make_templates()
    app.state.cache = TTLCache(ttl=cache_ttl, stamp=db.data_stamp)

    for module in (home, gapmap, curation, initiatives, browse, charts, advice, auth_pages, api_meta, health, reports):
        app.include_router(module.router, dependencies=[Depends(refuse_unknown_query)])
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    errors.install(app)

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="migmap_session",
        max_age=session_max_age,
        same_site="lax",
        https_only=False,
    )
    app.add_middleware(CompressAssets)
    app.add_middleware(BodySizeLimit, max_body=max_body)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestLog)

    return app
