"""The entry-point advisor on the web: a form, the brief beside it, downloads and a JSON twin."""

from __future__ import annotations

from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from migmap.advice import InvalidQuestion, Question
from migmap.advice import templates as brief_templates
from migmap.advice.knowledge import load_knowledge
from migmap.advice.render import to_html_fragment, to_html_page, to_markdown, to_pdf
from migmap.domain.countries import REGION_LABELS
from migmap.framework import load_framework
from migmap.services.advice import advise

from ..openapi import errors
from ..views import render

router = APIRouter()
Codes = Annotated[Optional[list[str]], Query()]
Code = Annotated[Optional[str], Query(max_length=40)]


def _link(example: Any) -> str:
    return f"/initiatives/{example.id}"


def question_parts(
    asker: Code = None,
    stages: Codes = None,
    goals: Codes = None,
    migrant_groups: Codes = None,
    themes: Codes = None,
    countries: Codes = None,
    regions: Codes = None,
    offers: Codes = None,
) -> dict[str, Any]:
    """The question as the query string gives it (blank form fields dropped)."""
    keep = lambda values: [v for v in (values or []) if v.strip()]  # noqa: E731
    return {
        "asker": asker or "",
        "stages": keep(stages),
        "goals": keep(goals),
        "migrant_groups": keep(migrant_groups),
        "themes": keep(themes),
        "countries": keep(countries),
        "regions": keep(regions),
        "offers": keep(offers),
    }


Parts = Annotated[dict[str, Any], Depends(question_parts)]


def form_context() -> dict[str, Any]:
    fw = load_framework()
    kb = load_knowledge()
    options = lambda dim: [(c.code, c.label) for c in fw[dim]]  # noqa: E731
    return {
        "askers": options("public_partners"),
        "stage_options": options("stages"),
        "goal_options": options("goals"),
        "group_options": options("migrant_groups"),
        "theme_options": options("themes"),
        "region_options": list(REGION_LABELS.items()),
        "offer_options": list(kb.offers.items()),
    }


@router.get("/advise", response_class=HTMLResponse, include_in_schema=False)
def advise_page(request: Request, parts: Parts) -> Response:
    ctx: dict[str, Any] = {
        **form_context(),
        "asked": {**parts, "countries": ",".join(parts["countries"])},
        "problems": [],
        "brief": None,
        "query": request.url.query,
    }
    if not (parts["asker"] or parts["stages"] or parts["goals"]):
        return render(request, "advise.html", ctx)
    try:
        question = Question.build(**parts)
    except InvalidQuestion as exc:
        ctx["problems"] = exc.problems
        return render(request, "advise.html", ctx, status_code=422)
    rec = advise(request.app.state.db, question)
    ctx["brief"] = to_html_fragment(rec, link=_link)
    return render(request, "advise.html", ctx)


@router.get("/advise/brief.{fmt}", include_in_schema=False)
def advise_download(request: Request, fmt: str, parts: Parts) -> Response:
    if fmt not in ("md", "html", "pdf", "json"):
        raise HTTPException(404, f"unknown brief format {fmt!r}; allowed: md, html, pdf, json")
    try:
        question = Question.build(**parts)
    except InvalidQuestion as exc:
        raise HTTPException(422, "; ".join(exc.problems)) from None
    rec = advise(request.app.state.db, question)
    base = str(request.base_url).rstrip("/")
    link = lambda x: f"{base}/initiatives/{x.id}"  # noqa: E731  (absolute links: the file leaves the site)
    name = f"migmap-brief-{question.asker}-{'-'.join(question.stages)}"
    if fmt == "json":
        return JSONResponse(rec.to_dict(), headers={"Content-Disposition": f'attachment; filename="{name}.json"'})
    if fmt == "md":
        body, media = to_markdown(rec, link).encode(), "text/markdown; charset=utf-8"
    elif fmt == "html":
        body, media = to_html_page(rec, link).encode(), "text/html; charset=utf-8"
    else:
        body, media = to_pdf(rec, link=link), "application/pdf"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/advise/style.css", include_in_schema=False)
def brief_css() -> Response:
    return Response(brief_templates.CSS, media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/api/advise", tags=["advice"], responses=errors(422, 503), summary="Entry-point advice for a public actor, with evidence from the map")
def advise_api(
    request: Request,
    asker: Annotated[str, Query(description="Who asks: a public_partners code, e.g. donor_agency")],
    stages: Annotated[list[str], Query(description="One or more stage codes")],
    goals: Annotated[list[str], Query(description="One or more goal codes")],
    migrant_groups: Codes = None,
    themes: Codes = None,
    countries: Codes = None,
    regions: Codes = None,
    offers: Codes = None,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> dict[str, Any]:
    """The stable advice JSON: question, ranked options with evidence, risks to watch, evidence note."""
    parts = question_parts(asker, stages, goals, migrant_groups, themes, countries, regions, offers)
    try:
        question = Question.build(**parts)
    except InvalidQuestion as exc:
        raise HTTPException(422, "; ".join(exc.problems)) from None
    return advise(request.app.state.db, question, limit=limit).to_dict()
