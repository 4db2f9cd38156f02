"""Tagging use cases: tag texts and documents, propose drafts to the review queue, train, evaluate.

    >>> from migmap.services.tagging import tag_texts
    >>> out = tag_texts([{"id": "a", "title": "Free SIM cards", "text": "A telecom company gives refugees in Poland free SIM cards."}])
    >>> out[0]["id"], "refugees_asylum" in out[0]["migrant_groups"]
    ('a', True)

Proposals go into the database with ``curation_state="proposed"`` and origin ``tagger``
(each tag is recorded as set by the tagger), where an editor accepts or rejects them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migmap.domain.errors import InvalidRecords, MigmapError
from migmap.io.documents import DOCUMENT_SUFFIXES, Document, DocumentError, read_document
from migmap.tagging.batch import check_text
from migmap.tagging.dataset import bundled_examples, database_examples, split_held_out
from migmap.tagging.labels import PREDICTED_DIMENSIONS
from migmap.tagging.model_io import TaggerError, default_model_path, load_model, save_model
from migmap.tagging.passages import Draft, group_passages, organisations, relevance, split_passages

__all__ = [
    "tag_texts",
    "DocumentResult",
    "collect_documents",
    "tag_documents",
    "draft_record",
    "propose",
    "train",
    "evaluate",
    "SHORT_DOCUMENT_WORDS",
]

#: A one-page document up to this many words is one text (one draft), not split into passages.
SHORT_DOCUMENT_WORDS = 400

ProgressFn = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


def tag_texts(items: Sequence[dict[str, Any] | str], model: Any = None) -> list[dict[str, Any]]:
    """Tag ``{"id", "title", "text"}`` items (or plain strings): the output contract, per item.

    An item that cannot be tagged gets ``{"id": ..., "error": "..."}`` instead.
    """
    model = model if model is not None else load_model()
    prepared, out = [], []
    for n, item in enumerate(items):
        if isinstance(item, str):
            item = {"id": n + 1, "text": item}
        problem, text = check_text(item.get("title") or "", item.get("text") or "")
        prepared.append((item.get("id", n + 1), problem, text))
    results = iter(model.tag([t for _, p, t in prepared if p is None]))
    for iid, problem, _ in prepared:
        out.append({"id": iid, "error": problem} if problem else {"id": iid, **next(results)})
    return out


@dataclass
class DocumentResult:
    """One draft initiative found in a document, tagged."""

    path: Path
    pages: list[int]
    title: str
    text: str
    organisation: str | None
    relevance: float
    tags: dict[str, Any]
    url: str | None = None

    @property
    def where(self) -> str:
        pages = self.pages
        if not pages:
            return str(self.path)
        span = str(pages[0]) if len(pages) == 1 else f"{pages[0]}-{pages[-1]}" if pages == list(range(pages[0], pages[-1] + 1)) else ",".join(map(str, pages))
        return f"{self.path}, p. {span}"


@dataclass
class DocumentsReport:
    results: list[DocumentResult] = field(default_factory=list)
    documents: int = 0
    skipped: list[str] = field(default_factory=list)


def collect_documents(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to read (folders are searched recursively for .txt, .html and .pdf) and problems."""
    files, problems = [], []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES)
            if not found:
                problems.append(f"{p}: no .txt, .html or .pdf files in this folder")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(f"{p}: no such file or folder")
    return files, problems


def _drafts(doc: Document) -> list[Draft]:
    passages = split_passages((p.number, p.text) for p in doc.pages)
    words = sum(len(p.text.split()) for p in passages)
    if words <= SHORT_DOCUMENT_WORDS and len(doc.pages) == 1:
        if not passages:
            return []
        orgs = organisations(doc.text)
        return [Draft(passages, orgs[0] if orgs else None)]
    return group_passages(passages)


def tag_documents(
    paths: Iterable[str | Path],
    model: Any = None,
    on_problem: Callable[[str], None] | None = None,
    progress: ProgressFn = _no_progress,
) -> DocumentsReport:
    """Read documents, find the initiatives they describe and tag one draft per initiative.

    A short one-page document (up to :data:`SHORT_DOCUMENT_WORDS` words) is one draft; others are
    split into passages, and only groups of relevant passages become drafts. Unreadable
    files, empty or non-English texts are skipped with a message naming the file.
    """
    model = model if model is not None else load_model()
    report = DocumentsReport()
    files, problems = collect_documents(paths)

    def skip(msg: str) -> None:
        report.skipped.append(msg)
        if on_problem:
            on_problem(msg)

    for msg in problems:
        skip(msg)
    for k, path in enumerate(files):
        progress("reading documents", k, len(files))
        try:
            doc = read_document(path)
        except DocumentError as exc:
            skip(str(exc))
            continue
        report.documents += 1
        drafts = _drafts(doc)
        if not drafts:
            if not doc.text.strip():
                skip(f"{path}: empty text")
            else:
                skip(f"{path}: no passage describes a private-sector initiative concerning migrants")
            continue
        texts, kept = [], []
        for d in drafts:
            problem, text = check_text(d.title if len(drafts) > 1 else doc.title, d.text)
            if problem:
                skip(f"{path} (p. {d.pages[0] if d.pages else 1}): {problem}")
                continue
            texts.append(text)
            kept.append(d)
        for d, tags in zip(kept, model.tag(texts)):
            title = d.title if len(drafts) > 1 or not doc.title or doc.title == path.stem else doc.title
            report.results.append(DocumentResult(path, d.pages, title, d.text, d.organisation, relevance(d.text), tags, doc.url))
    progress("reading documents", len(files), len(files))
    return report


def _countries(tags: dict[str, Any]) -> list[dict[str, str]]:
    """Countries with a role: named by a demonym (Syrian, Venezuelans) -> origin, else destination."""
    out = []
    evidence = tags.get("evidence", {}).get("countries", {})
    for code in tags.get("countries", []):
        words = evidence.get(code, [])
        demonym = bool(words) and all(
            w.endswith(("ese", "ian", "ians", "an", "ans", "i", "is", "ish", "ch", "ya", "no", "nos", "ino", "inos", "ina", "inas"))
            and not w.endswith(("stan", "ia", "land"))
            for w in words
        )
        out.append({"code": code, "role": "origin" if demonym else "destination"})
    return out


def draft_record(result: DocumentResult, source_url: str | None = None, accessed: dt.date | None = None) -> dict[str, Any]:
    """A record for the review queue from a tagged draft (validated by ``Database.add``).

    The source is ``source_url`` (the web address of the document; for a PDF the page is
    added as ``#page=N``), else the page's canonical URL for HTML. Without a web address
    a :class:`TaggerError` says to pass one.
    """
    url = source_url or result.url
    if not url:
        raise TaggerError(f"{result.path}: a proposal needs a web address where the facts can be checked; pass --source-url URL")
    if result.path.suffix.lower() == ".pdf" and result.pages and "#" not in url:
        url = f"{url}#page={result.pages[0]}"
    tags = result.tags
    name = result.title.strip() or result.path.stem
    record: dict[str, Any] = {
        "name": name[:300],
        "description": result.text[:20000],
        "lead_actor": (result.organisation or "Lead actor to identify")[:300],
        "countries": _countries(tags),
        "sources": [{"url": url, "title": f"{result.where}"[:500], "accessed": (accessed or dt.date.today()).isoformat()}],
        "status": "unknown",
    }
    for dim in PREDICTED_DIMENSIONS:
        record[dim] = tags[dim]
    return record


def propose(db: Any, results: Sequence[DocumentResult], source_url: str | None = None, user: str | None = "tagger") -> list[Any]:
    """Add each draft to the review queue (``curation_state="proposed"``, origin ``tagger``).

    All records are checked first; if one cannot be proposed nothing is added.
    """
    records = [draft_record(r, source_url) for r in results]
    added = []
    for rec, res in zip(records, results):
        try:
            added.append(db.add(rec, user=user, origin="tagger", curation_state="proposed"))
        except InvalidRecords as exc:
            for p in exc.problems:
                object.__setattr__(p, "file", str(res.path))
            raise
    return added


@dataclass
class TrainReport:
    path: Path
    trained_on: int
    held_out: int
    source: str


def train(db: Any = None, output: str | Path | None = None, hold_out: bool = True, model: Any = None) -> TrainReport:
    """Train the default tagger on the published records of ``db`` (or the bundled data when
    ``db`` is None) and save it to ``output`` (default: the shipped model file).

    With ``hold_out`` (default) the held-out tenth is left out, so it stays a fair test.
    """
    from migmap.tagging.tagger import FrameworkTagger

    examples = database_examples(db) if db is not None else bundled_examples()
    source = str(db.url) if db is not None else "bundled dataset"
    held = 0
    if hold_out:
        examples, held_part = split_held_out(examples)
        held = len(held_part)
    if len(examples) < 20:
        raise TaggerError(f"{source}: only {len(examples)} published records to learn from; at least 20 are needed")
    model = (model if model is not None else FrameworkTagger()).fit(examples.texts, examples.labels)
    path = Path(output) if output else default_model_path()
    save_model(model, path, source=source, held_out=held, held_out_rule="sha256(id) % 10 == 0")
    return TrainReport(path, len(examples), held, source)


def evaluate(db: Any = None, folds: int = 5, progress: ProgressFn = _no_progress, make_model: Any = None):
    """Cross-validation and held-out scores of the default model and the keyword baseline."""
    from migmap.tagging.evaluation import evaluate as run

    examples = database_examples(db) if db is not None else bundled_examples()
    if len(examples) < folds * 2:
        raise MigmapError(f"only {len(examples)} tagged records; too few for {folds}-fold cross-validation")
    return run(examples, make_model=make_model, folds=folds, progress=progress)
