"""Long documents: split into passages, keep those about a private-sector initiative for
migrants, group the passages about the same initiative, one draft per group.

    >>> from migmap.tagging.passages import split_passages, is_relevant
    >>> ps = split_passages([(1, "Intro.\\n\\nThe telecom company Zain Ltd launched a programme giving free SIM cards to refugees in Jordan.")])
    >>> [(p.page, is_relevant(p.text)) for p in ps]
    [(1, True)]

A passage is *relevant* when it names migrants (refugees, migrants, diaspora, returnees ...),
a private actor (company, firm, bank, foundation, Ltd, GmbH ...) and an activity
(launched, programme, hires, trains, funds ...). Consecutive relevant passages that share
an organisation or enough vocabulary form one group; groups naming the same organisation
anywhere in the document are merged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .gazetteer import country_names
from .text import clean, words

__all__ = ["Passage", "Draft", "split_passages", "relevance", "is_relevant", "group_passages", "organisations"]

MIGRANT = re.compile(
    r"\b(?:migrants?|migration|migratory|immigrants?|emigrants?|refugees?|asylum|displaced|idps?|diaspora|returnees?|"
    r"remittances?|newcomers?|foreign workers?|migrant workers?|guest workers?|trafficking|trafficked|deport\w*|"
    r"resettle\w*|evacuees?|stateless|smuggl\w*|rohingya|labour mobility|labor mobility|undocumented)\b",
    re.IGNORECASE,
)
PRIVATE = re.compile(
    r"\b(?:compan(?:y|ies)|firms?|business(?:es)?|corporat\w*|private sector|private[- ]sector|employers?|banks?|"
    r"start-?ups?|enterprises?|multinationals?|fintechs?|operators?|providers?|investors?|insurers?|airlines?|"
    r"retailers?|brands?|manufacturers?|recruiters?|chambers? of commerce|industry|social enterprise|"
    r"Inc|Ltd|LLC|GmbH|plc|PLC|S\.A\.|AG|N\.V\.|B\.V\.|foundation)\b",
)
ACTIVITY = re.compile(
    r"\b(?:launch\w*|programmes?|programs?|initiatives?|partnerships?|projects?|pilot\w*|schemes?|offer\w*|provid\w*|"
    r"hir\w*|train\w*|fund\w*|invest\w*|donat\w*|pledg\w*|commit\w*|platforms?|apps?|services?|employ\w*|recruit\w*|"
    r"support\w*|partner\w*|open\w*|built|build\w*|develop\w*|run|runs|ran|operat\w*)\b",
    re.IGNORECASE,
)

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])")
ORG_SUFFIX = (
    r"(?:Inc\.?|Ltd\.?|LLC|GmbH|plc|PLC|S\.A\.|AG|N\.V\.|B\.V\.|Foundation|Group|Bank|Airlines?|Telecom|Technologies|Holdings"
    r"|Corporation|Corp\.?|Company|Fund|Capital|Partners|Ventures|Network|Alliance|Coalition)"
)
_ORG = re.compile(rf"\b((?:[A-Z][\w&'’.-]*\s+){{0,4}}{ORG_SUFFIX})(?![\w])")
_CAPS = re.compile(r"\b([A-Z][\w&'’-]*[a-z0-9][\w&'’-]*(?:\s+(?:of|for|and|&|de|du|la|[A-Z][\w&'’-]*)){0,4})")
_NOT_ORG = set(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "From",
        "To",
        "With",
        "By",
        "Its",
        "It",
        "Their",
        "They",
        "We",
        "Our",
        "Since",
        "After",
        "Before",
        "During",
        "When",
        "While",
        "However",
        "Also",
        "And",
        "But",
        "Or",
        "As",
        "If",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Page",
        "Chapter",
        "Section",
        "Table",
        "Figure",
        "Box",
        "Annex",
        "Report",
        "Introduction",
        "Summary",
        "Conclusion",
        "Conclusions",
        "Recommendations",
        "Migrants",
        "Refugees",
        "Private",
        "Public",
        "Government",
        "Europe",
        "Africa",
        "Asia",
        "Americas",
    ]
)

MAX_WORDS = 180
MIN_WORDS = 25


@dataclass(frozen=True)
class Passage:
    """A piece of a document: its text, the page it starts on, and its position."""

    index: int
    page: int
    text: str


@dataclass
class Draft:
    """One initiative found in a document: its passages, pages and likely lead organisation."""

    passages: list[Passage] = field(default_factory=list)
    organisation: str | None = None

    @property
    def pages(self) -> list[int]:
        return sorted({p.page for p in self.passages})

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.passages)

    @property
    def title(self) -> str:
        first = self.passages[0].text if self.passages else ""
        sentence = _SENT.split(first, maxsplit=1)[0]
        return clean(sentence)[:160]


def split_passages(pages: Iterable[tuple[int, str]], max_words: int = MAX_WORDS, min_words: int = MIN_WORDS) -> list[Passage]:
    """Paragraphs of about ``min_words``..``max_words`` words, each with its page number.

    Paragraphs are separated by blank lines; long ones are cut at sentence ends; short
    ones (headings, captions) are joined to the next paragraph on the same page.
    """
    out: list[Passage] = []
    for page, text in pages:
        paragraphs = [clean(p) for p in re.split(r"\n\s*\n", text or "") if clean(p)]
        if len(paragraphs) <= 1 and text and text.count("\n") > 3:
            paragraphs = [clean(p) for p in _pdf_paragraphs(text)]
        buffer = ""
        for para in paragraphs:
            para = f"{buffer} {para}".strip() if buffer else para
            buffer = ""
            n = len(para.split())
            if n < min_words:
                buffer = para
                continue
            for chunk in _chunks(para, max_words):
                out.append(Passage(len(out), page, chunk))
        if buffer:
            if out and out[-1].page == page and len(out[-1].text.split()) + len(buffer.split()) <= max_words * 1.5:
                out[-1] = Passage(out[-1].index, page, f"{out[-1].text} {buffer}")
            else:
                out.append(Passage(len(out), page, buffer))
    return out


def _pdf_paragraphs(text: str) -> list[str]:
    """PDF text often has one line per printed line: a paragraph ends at a line ending a sentence
    that is much shorter than the longest lines."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    width = max((len(ln) for ln in lines), default=0)
    paras, current = [], []
    for ln in lines:
        current.append(ln)
        if ln.endswith((".", "!", "?", ":")) and len(ln) < 0.7 * width:
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    return paras


def _chunks(paragraph: str, max_words: int) -> list[str]:
    if len(paragraph.split()) <= max_words:
        return [paragraph]
    chunks, current, n = [], [], 0
    for sentence in _SENT.split(paragraph):
        k = len(sentence.split())
        if current and n + k > max_words:
            chunks.append(" ".join(current))
            current, n = [], 0
        current.append(sentence)
        n += k
    if current:
        chunks.append(" ".join(current))
    return chunks


def relevance(text: str) -> float:
    """0..1: how clearly a passage describes a private-sector activity concerning migrants."""
    m = len(set(x.lower() for x in MIGRANT.findall(text)))
    p = len(set(PRIVATE.findall(text))) + (1 if organisations(text) else 0)
    a = len(set(x.lower() for x in ACTIVITY.findall(text)))
    if not m or not p or not a:
        return 0.0
    return round(min(1.0, 0.2 * min(m, 2) + 0.2 * min(p, 2) + 0.1 * min(a, 2)), 3)


def is_relevant(text: str, threshold: float = 0.5) -> bool:
    return relevance(text) >= threshold


def organisations(text: str) -> list[str]:
    """Organisation names in a text, most frequent first: names with a corporate suffix
    (Ltd, GmbH, Foundation, Bank ...) first, else capitalised names that are not countries."""
    with_suffix = Counter(m.strip() for m in _ORG.findall(text) if m.split()[0] not in _NOT_ORG or len(m.split()) > 1)
    with_suffix = Counter({_strip_lead(k): v for k, v in with_suffix.items() if _strip_lead(k)})
    if with_suffix:
        return [k for k, _ in with_suffix.most_common()]
    countries = country_names()
    caps = Counter()
    for m in _CAPS.findall(text):
        name = _strip_lead(m.strip())
        if not name or name in countries or name.split()[0] in _NOT_ORG and len(name.split()) == 1:
            continue
        if len(name) < 3:
            continue
        caps[name] += 1
    return [k for k, v in caps.most_common() if v >= 1][:5]


def _strip_lead(name: str) -> str:
    parts = name.split()
    while parts and parts[0] in _NOT_ORG:
        parts = parts[1:]
    return " ".join(parts)


def _similarity(a: str, b: str) -> float:
    wa, wb = set(words(a)), set(words(b))
    wa = {w for w in wa if len(w) > 3}
    wb = {w for w in wb if len(w) > 3}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def group_passages(passages: list[Passage], threshold: float = 0.5, similar: float = 0.35) -> list[Draft]:
    """Relevant passages grouped by initiative (document order), one :class:`Draft` each."""
    drafts: list[Draft] = []
    last_index = -10
    for p in passages:
        if relevance(p.text) < threshold:
            continue
        orgs = organisations(p.text)
        org = orgs[0] if orgs else None
        current = drafts[-1] if drafts else None
        continues = (
            current is not None
            and p.index - last_index <= 2
            and (
                (org and current.organisation and (org == current.organisation or org in current.text))
                or (not org and _similarity(p.text, current.passages[-1].text) >= similar)
            )
        )
        if continues:
            current.passages.append(p)
            current.organisation = current.organisation or org
        else:
            same = next((d for d in drafts if org and d.organisation == org), None)
            if same is not None:
                same.passages.append(p)
            else:
                drafts.append(Draft([p], org))
        last_index = p.index
    return drafts
