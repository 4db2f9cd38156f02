"""Render a recommendation as JSON, table rows, Markdown, HTML (fragment or page) or PDF.

    >>> from migmap.advice import Question, recommend, Evidence
    >>> rec = recommend(Question.build("donor_agency", "arrival", "migrant_rights"), Evidence.empty())
    >>> to_markdown(rec).splitlines()[0]
    "# Engaging the private sector: arrival, migrants' rights"
    >>> "<section class=\\"migmap-brief" in to_html_fragment(rec)
    True
    >>> to_pdf(rec)[:5]
    b'%PDF-'

``link`` (HTML and Markdown) decides where an example's name points: by default its
first public source; a web route can pass ``lambda x: f"/initiatives/{x.id}"``.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment

from migmap import templating

from . import templates
from .brief import LinkFn, brief_context
from .model import Recommendation

__all__ = ["FORMATS", "render", "table_rows", "to_html_fragment", "to_html_page", "to_json", "to_markdown", "to_pdf"]

#: Output formats of ``migmap advise --format``.
FORMATS = ("table", "json", "md", "html", "pdf")

TABLE_COLUMNS = ("#", "score", "partner (actor type · sector)", "seek", "how", "gap", "mapped", "examples")


def to_json(rec: Recommendation) -> str:
    """The stable JSON form (see the package README)."""
    return json.dumps(rec.to_dict(), ensure_ascii=False, indent=2)


def table_rows(rec: Recommendation) -> list[list[str]]:
    """One row per option, for a terminal table (columns: ``TABLE_COLUMNS``)."""
    ctx = brief_context(rec)
    rows = []
    for o in ctx["options"]:
        examples = "; ".join(x["name"] + (f" ({x['scope']})" if x["scope"] else "") for x in o["examples"]) or "none mapped yet"
        rows.append(
            [
                str(o["rank"]),
                f"{o['score']:.2f}",
                f"{o['title']}\n{o['partner']} · {o['stage']}",
                ", ".join(o["contributions"]),
                ", ".join(o["modalities"]),
                o["gap_label"],
                str(o["evidence_count"]),
                examples,
            ]
        )
    return rows


def _md_list(items: list[str], indent: str = "") -> str:
    return "\n".join(f"{indent}- {i}" for i in items)


def _md_link(x: dict[str, Any]) -> str:
    name = x["name"].replace("[", "(").replace("]", ")")
    text = f"[{name}]({x['url']})" if x["url"] else name
    extra = "; ".join(p for p in (x["id"], x["where"], x["scope"]) if p)
    return f"{text} ({extra})"


def to_markdown(rec: Recommendation, link: LinkFn | None = None, generated: dt.date | None = None) -> str:
    """A brief in Markdown, ready to paste into a concept note."""
    c = brief_context(rec, link, generated)
    out = [f"# {c['title']}", "", f"*migmap entry-point brief, {c['generated']}*", "", f"**Question.** {c['question']}", ""]
    if c["asker_guidance"]:
        out += [f"**As {c['asker_article']}, in general** [F]: {c['asker_guidance']}", ""]
    out += [f"**Evidence.** {c['evidence_note']}", ""]
    out += ["| # | Partner to engage | Contribution to seek | How | Gap | Mapped |", "|---|---|---|---|---|---|"]
    for o in c["options"]:
        out.append(
            f"| {o['rank']} | {o['title']} ({o['partner']}, {o['stage']}) | {', '.join(o['contributions'])} | "
            f"{', '.join(o['modalities'])} | {o['gap_label']} | {o['evidence_count']} |"
        )
    for o in c["options"]:
        out += ["", f"## {o['rank']}. {o['title']}", ""]
        out.append(
            f"**Partner:** {o['partner']} · **Stage:** {o['stage']} · **Score:** {o['score']:.2f} "
            f"(fit {o['parts']['fit']}, gap {o['parts']['gap']}, models {o['parts']['models']})"
        )
        out += ["", f"**Contribution to seek:** {', '.join(o['contributions'])}  ", f"**Modalities:** {', '.join(o['modalities'])}", ""]
        out += ["**Tools:**", "", _md_list(o["tools"]), ""]
        out += [f"**Why:** {o['why']} *(Rule: {o['fired']})*", ""]
        if o["for_asker"]:
            out += [f"**For you:** {o['for_asker']}", ""]
        out += [f"**Gap it would fill:** {o['gap'].text}", ""]
        n = o["evidence_count"]
        ev = f"**Evidence:** {n} mapped initiative{'' if n == 1 else 's'} in this slice"
        ev += f"; {o['evidence_elsewhere']} elsewhere." if o["evidence_elsewhere"] else "."
        out += [ev, ""]
        if o["examples"]:
            out += [_md_list([_md_link(x) for x in o["examples"]]), ""]
        elif n + o["evidence_elsewhere"] == 0:
            out += ["No model in the map yet: this would be a first.", ""]
        else:
            out += [c["no_close_model"], ""]
        out += ["**Risks:**", "", _md_list([f"**{r.label}.** {r.text}" for r in o["risks"]]), ""]
        specific = [f"**{s.label}.** {s.text}" for s in o["safeguards"]]
        out += ["**Safeguards:**", "", _md_list(specific + ["and the safeguards for every option, below"]), ""]
        out += [f"**Sources:** {'; '.join(o['sources'])}"]
    out += ["", "## Safeguards for every option", ""]
    out.append(_md_list([f"**{s.label}.** {s.text}" for s in c["universal_safeguards"]]))
    out += ["", "## Risks to watch", ""]
    if c["watch"]:
        out.append("Initiatives in this slice that are mapped but are never partners (control contractors, informal actors):")
        out += ["", _md_list([f"**{w['name']}** ({w['id']}; {w['actor_type']}; {w['stages']}): {w['reason']}" for w in c["watch"]])]
    else:
        out.append("No control contractor or informal actor is mapped in this slice.")
    w = c["weights"]
    out += [
        "",
        "## Method and references",
        "",
        "Options come from migmap's knowledge base: [R] marks reasoning from the report, [F] from the field "
        f"(named public frameworks). Score = {w['fit']} × fit with the question + {w['gap']} × size of the gap in the map "
        f"(under-served cells rank higher) + {w['models']} × models to copy. The map holds {c['slice_total']} "
        f"initiative{'' if c['slice_total'] == 1 else 's'} in this slice. migmap never proposes control contractors or "
        "informal actors as partners.",
        "",
    ]
    out += [f"{i}. {r}" for i, r in enumerate(c["references"], start=1)]
    return "\n".join(out) + "\n"


@lru_cache(maxsize=1)
def _env() -> Environment:
    return templating.environment(strict=True)


def to_html_fragment(rec: Recommendation, link: LinkFn | None = None, generated: dt.date | None = None) -> str:
    """The brief as an HTML ``<section>`` to embed in a page (styles: ``templates.CSS``)."""
    return _env().from_string(templates.FRAGMENT).render(**brief_context(rec, link, generated))


def to_html_page(rec: Recommendation, link: LinkFn | None = None, generated: dt.date | None = None) -> str:
    """A complete, printable HTML document holding the brief and its CSS."""
    c = brief_context(rec, link, generated)
    fragment = _env().from_string(templates.FRAGMENT).render(**c)
    return _env().from_string(templates.PAGE).render(title=c["title"], css=templates.CSS, fragment=fragment)


def to_pdf(rec: Recommendation, path: str | Path | None = None, link: LinkFn | None = None, generated: dt.date | None = None) -> bytes:
    """The printable page as PDF (WeasyPrint); also written to ``path`` when given."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    data = HTML(string=to_html_page(rec, link, generated)).write_pdf()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def render(rec: Recommendation, fmt: str, link: LinkFn | None = None) -> str | bytes:
    """Render in one of ``FORMATS`` except ``table`` (which the CLI draws with rich)."""
    if fmt == "json":
        return to_json(rec)
    if fmt == "md":
        return to_markdown(rec, link)
    if fmt == "html":
        return to_html_page(rec, link)
    if fmt == "pdf":
        return to_pdf(rec, link=link)
    raise ValueError(f"unknown brief format {fmt!r}; allowed: {', '.join(f for f in FORMATS if f != 'table')}")
