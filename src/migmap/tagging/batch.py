"""Batch tagging of JSONL files: streamed in chunks (constant memory), in order, locally or on Dask.

Input lines are ``{"id": ..., "title": ..., "text": ...}``; each output line is the tagger's
contract for that input, in the same order. A line that cannot be tagged (not JSON, no
``text``, empty text, not English, nothing left after removing HTML) still gets an output
line, ``{"id": ..., "line": N, "error": "..."}``, so lines stay aligned; its problem is
reported as ``FILE:LINE: message`` and counted as skipped::

    >>> import io, json
    >>> from migmap.tagging.batch import tag_stream
    >>> out = io.StringIO()
    >>> report = tag_stream(io.StringIO('{"id": 1, "text": "Boat rescue of migrants by a shipping company"}\\nnot json\\n'), out)
    >>> report.read, report.tagged, report.skipped
    (2, 1, 1)
    >>> json.loads(out.getvalue().splitlines()[1])["error"]
    'not valid JSON (Expecting value at column 1)'

With ``workers=N`` (a local Dask cluster) or ``scheduler="tcp://host:8786"`` the chunks are
tagged on Dask workers; at most two chunks per worker are in flight, so memory stays flat.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .text import join_title, looks_english

__all__ = ["BatchReport", "tag_stream", "tag_file", "parse_line", "check_text", "tag_chunk", "CHUNK_SIZE"]

CHUNK_SIZE = 500
MAX_KEPT_PROBLEMS = 1000
_HTML = re.compile(r"<\s*(?:script|style|html|body|div|p|span|a|br|iframe)\b", re.IGNORECASE)

ProblemFn = Callable[[str], None]
ProgressFn = Callable[[str, int, int], None]


@dataclass
class BatchReport:
    """What a batch run did: lines read, tagged, skipped, and the first problems (FILE:LINE: message)."""

    read: int = 0
    tagged: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "tagged": self.tagged, "skipped": self.skipped, "problems": self.problems}


def check_text(title: str, text: str) -> tuple[str | None, str]:
    """(problem or None, the text to tag). HTML is reduced to its visible text first."""
    if _HTML.search(text or ""):
        from migmap.io.documents import html_text

        _, text, _ = html_text(text)
        if not text.strip():
            return "no text left after removing HTML markup and scripts", ""
    full = join_title(title, text)
    if not (text or "").strip() and not (title or "").strip():
        return "empty text", ""
    if not (text or "").strip():
        return "empty text (only a title)", ""
    if not looks_english(full):
        return "text does not look like English; the tagger is trained on English texts (translate it first)", ""
    return None, full


def parse_line(raw: str, number: int) -> tuple[Any, str | None, str]:
    """(id, problem or None, text to tag) for one JSONL line (``number`` is 1-based)."""
    raw = raw.strip()
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON ({exc.msg} at column {exc.colno})", ""
    if not isinstance(obj, dict):
        return None, f"expected a JSON object with a text, got {type(obj).__name__}", ""
    iid = obj.get("id", number)
    text = obj.get("text")
    if text is None:
        return iid, 'missing "text"', ""
    if not isinstance(text, str):
        return iid, f'"text" must be a string, got {type(text).__name__}', ""
    title = obj.get("title") or ""
    if not isinstance(title, str):
        return iid, f'"title" must be a string, got {type(title).__name__}', ""
    problem, full = check_text(title, text)
    return iid, problem, full


def tag_chunk(model: Any, texts: list[str]) -> list[dict[str, Any]]:
    """Tag a list of texts (run on a Dask worker or locally)."""
    return model.tag(texts)


def _chunks(lines: Iterator[str], chunk_size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        chunk.append((number, raw))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def tag_stream(
    source: IO[str],
    sink: IO[str],
    model: Any = None,
    name: str = "<input>",
    chunk_size: int = CHUNK_SIZE,
    workers: int | None = None,
    scheduler: str | None = None,
    on_problem: ProblemFn | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Tag every JSONL line of ``source`` into ``sink``; see the module docstring.

    ``progress(n)`` is called with the number of lines done after each chunk. Blank lines
    are ignored.
    """
    from .model_io import load_model

    model = model if model is not None else load_model()
    report = BatchReport()

    def problem(msg: str) -> None:
        report.skipped += 1
        if len(report.problems) < MAX_KEPT_PROBLEMS:
            report.problems.append(msg)
        if on_problem:
            on_problem(msg)

    def prepare(chunk: list[tuple[int, str]]) -> tuple[list[tuple[int, Any, str | None]], list[str]]:
        meta, texts = [], []
        for number, raw in chunk:
            iid, prob, text = parse_line(raw, number)
            meta.append((number, iid, prob))
            if prob is None:
                texts.append(text)
        return meta, texts

    def write(meta: list[tuple[int, Any, str | None]], results: list[dict[str, Any]]) -> None:
        it = iter(results)
        lines = []
        for number, iid, prob in meta:
            report.read += 1
            if prob is not None:
                problem(f"{name}:{number}: {prob}")
                lines.append(json.dumps({"id": iid, "line": number, "error": prob}, ensure_ascii=False))
            else:
                report.tagged += 1
                lines.append(json.dumps({"id": iid, **next(it)}, ensure_ascii=False))
        sink.write("\n".join(lines) + "\n")
        if progress:
            progress(report.read)

    chunks = _chunks(iter(source), chunk_size)
    if workers is None and scheduler is None:
        for chunk in chunks:
            meta, texts = prepare(chunk)
            write(meta, tag_chunk(model, texts) if texts else [])
        return report
    return _run_dask(chunks, prepare, write, model, workers, scheduler, report)


def _run_dask(chunks, prepare, write, model, workers, scheduler, report) -> BatchReport:
    from .dask_runner import dask_client

    with dask_client(workers=workers, scheduler=scheduler) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        model_future = client.scatter(model, broadcast=True)
        pending: deque = deque()
        for chunk in chunks:
            meta, texts = prepare(chunk)
            pending.append((meta, client.submit(tag_chunk, model_future, texts, pure=False) if texts else None))
            while len(pending) >= 2 * n_workers:
                meta0, fut = pending.popleft()
                write(meta0, fut.result() if fut is not None else [])
        while pending:
            meta0, fut = pending.popleft()
            write(meta0, fut.result() if fut is not None else [])
    return report


def tag_file(input_path: str | Path, output_path: str | Path, model: Any = None, **kwargs: Any) -> BatchReport:
    """:func:`tag_stream` over files; the input's name is used in problem messages."""
    from .model_io import TaggerError

    input_path, output_path = Path(input_path), Path(output_path)
    if not input_path.is_file():
        raise TaggerError(f"{input_path}: no such input file")
    if input_path.resolve() == output_path.resolve():
        raise TaggerError(f"{output_path}: the output must not overwrite the input")
    with input_path.open(encoding="utf-8", errors="replace") as src, output_path.open("w", encoding="utf-8") as dst:
        return tag_stream(src, dst, model=model, name=str(input_path), **kwargs)
