"""Document text extraction for the tagger: plain text, HTML and PDF, page by page.

    >>> from migmap.io.documents import read_document
    >>> doc = read_document("tests/data/tagging/report.txt")      # doctest: +SKIP
    >>> doc.pages[0].number, doc.pages[0].text[:20]                # doctest: +SKIP
    (1, 'Private sector and m')

Every reader returns a :class:`Document` (path, title, pages with 1-based numbers).
HTML loses its scripts, styles and hidden parts. A text file is one page, or several
when it contains form feeds. A file that cannot be read raises :class:`DocumentError`,
whose message names the file and says what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from migmap.domain.errors import MigmapError

__all__ = ["Document", "Page", "DocumentError", "read_document", "DOCUMENT_SUFFIXES", "html_text"]

#: File endings the tagger reads.
DOCUMENT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".pdf")


class DocumentError(MigmapError):
    """A document could not be read (missing, corrupt, encrypted, unsupported)."""

    exit_code = 2


@dataclass(frozen=True)
class Page:
    number: int
    text: str


@dataclass
class Document:
    path: Path
    title: str = ""
    pages: list[Page] = field(default_factory=list)
    url: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


def read_document(path: str | Path) -> Document:
    """Read a .txt/.md, .html/.htm or .pdf file into pages of text."""
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _read_pdf(path)
    if suffix in (".html", ".htm"):
        raw = _read_text(path)
        title, text, url = html_text(raw)
        return Document(path, title or path.stem, [Page(1, text)], url)
    if suffix in (".txt", ".text", ".md"):
        raw = _read_text(path)
        pages = [Page(i + 1, p.strip()) for i, p in enumerate(raw.split("\f"))]
        return Document(path, path.stem, pages)
    raise DocumentError(f"{path}: cannot read {suffix or 'files without an extension'}; use .txt, .html or .pdf")


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise DocumentError(f"{path}: looks like a binary file, not text")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


class _HTMLText(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "nav", "footer"}
    VOID = {"br", "img", "link", "meta", "input", "hr", "source", "wbr", "area", "base", "col", "embed", "param", "track"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote", "td", "th", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.url: str | None = None
        self._skip: list[str] = []  # open elements whose content is not shown
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and (a.get("rel") or "").lower() == "canonical" and a.get("href"):
            self.url = a["href"]
        if tag == "meta" and (a.get("property") or "").lower() == "og:url" and a.get("content") and not self.url:
            self.url = a["content"]
        if tag == "title":
            self._in_title = True
        if (tag in self.SKIP or "hidden" in a or a.get("aria-hidden") == "true") and tag not in self.VOID:
            self._skip.append(tag)
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("link", "meta"):
            self.handle_starttag(tag, attrs)
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def html_text(html: str) -> tuple[str, str, str | None]:
    """(title, visible text, canonical URL or None) of an HTML page; scripts and styles dropped.

    >>> html_text("<html><head><title>T</title><script>var x=1;</script></head><body><p>Hello <b>world</b></p></body></html>")
    ('T', 'Hello world', None)
    """
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\s*\n\s*", "\n", text).strip()
    url = parser.url if parser.url and re.match(r"^https?://", parser.url) else None
    return " ".join("".join(parser.title).split()), text, url


def _read_pdf(path: Path) -> Document:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise DocumentError(f"{path}: the PDF is encrypted with a password; decrypt it first (e.g. qpdf --decrypt)")
        pages = []
        for i, page in enumerate(reader.pages):
            pages.append(Page(i + 1, (page.extract_text() or "").strip()))
        title = ""
        try:
            title = str((reader.metadata or {}).get("/Title") or "")
        except Exception:
            title = ""
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError) as exc:
        raise DocumentError(f"{path}: not a readable PDF ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'corrupt file'})") from None
    if not any(p.text for p in pages):
        raise DocumentError(f"{path}: the PDF has no extractable text (a scan? run OCR first)")
    return Document(path, title or path.stem, pages)
