"""The framework as JSON and an index of the API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from migmap.framework import TAG_DIMENSIONS, load_framework

router = APIRouter()


DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>migmap API</title>
<link rel="icon" href="/static/favicon.svg">
<link rel="stylesheet" href="/static/vendor/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/api/openapi.json"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


@router.get("/api/docs", include_in_schema=False)
def api_docs() -> HTMLResponse:
    """Swagger UI from the vendored files (FastAPI's default page loads it from a CDN, with an inline script)."""
    return HTMLResponse(DOCS_PAGE)


@router.get("/api", tags=["meta"], summary="Index of the JSON API")
def api_index() -> dict[str, Any]:
    return {
        "openapi": "/api/openapi.json",
        "docs": "/api/docs",
        "pages": {
            "/": "/api/home",
            "/gapmap": "/api/gapmap",
            "/initiatives": "/api/initiatives",
            "/initiatives/{id}": "/api/initiatives/{id}",
            "/actors": "/api/actors",
            "/actors/{name}": "/api/actors/{name}",
            "/countries": "/api/countries",
            "/countries/{code}": "/api/countries/{code}",
            "/stages/{code}": "/api/stages/{code}",
            "/review": "/api/review",
        },
        "exports": ["/api/initiatives.csv", "/api/initiatives.json", "/api/gapmap.csv"],
    }


@router.get("/api/framework", tags=["meta"], summary="The framework: dimensions, codes, labels and definitions")
def framework_api() -> dict[str, Any]:
    fw = load_framework()
    return {
        dim: {
            "label": fw[dim].label,
            "multi": fw[dim].multi,
            "codes": [{"code": c.code, "label": c.label, "definition": c.definition} for c in fw[dim].entries],
        }
        for dim in TAG_DIMENSIONS
    }
