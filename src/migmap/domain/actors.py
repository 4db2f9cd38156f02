"""One actor per organisation: name keys, acronyms, country offices and likely duplicates.

An organisation is written many ways: "International Organization for Migration (IOM)",
"The International Organisation for Migration", "IOM"; "Airbnb, Inc." and "Airbnb";
"UNHCR Italy" is an office of "UNHCR", not another organisation. This module turns
names into keys that agree across such spellings, recognises country offices, and
finds pairs of names that are likely the same organisation.

>>> actor_key("International Organization for Migration (IOM)")
'international organization for migration'
>>> actor_key("The International Organisation for Migration") == actor_key("International Organization for Migration")
True
>>> actor_key("Airbnb, Inc."), actor_key("Flix SE"), actor_key("Verité"), actor_key("S.A. Example Holding S.A.")
('airbnb', 'flix', 'verite', 'sa example holding')
>>> acronyms("International Organization for Migration (IOM)"), acronyms("IOM")
({'iom'}, {'iom'})
>>> split_office("UNHCR Italy"), split_office("Save the Children UK"), split_office("Airbnb")
(('UNHCR', 'Italy'), ('Save the Children', 'UK'), None)
>>> [(p.a, p.b, p.reason) for p in likely_duplicates(["International Organization for Migration", "IOM", "UNHCR", "UNHCR Italy"])]
[('International Organization for Migration', 'IOM', 'acronym')]
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

#: Legal forms dropped from the end of a name ("Airbnb, Inc." is "Airbnb").
LEGAL_FORMS = frozenset(
    "inc incorporated ltd limited llc llp lp plc pty pvt gmbh ggmbh mbh ag se sa sas sarl spa srl sl slu bv nv oy oyj ab asa kg kgaa "  # noqa: SIM905
    "ohg ev eg ug co corp corporation company cic".split()
)
#: British and American spellings (and a few others) that name the same thing.
SPELLINGS = {
    "organisation": "organization",
    "organisations": "organizations",
    "programme": "program",
    "programmes": "programs",
    "centre": "center",
    "centres": "centers",
    "labour": "labor",
    "defence": "defense",
}
#: Words left out of initials ("International Organization for Migration" is IOM).
STOPWORDS = frozenset(
    "a an and the of for to in on at by with de du des del la le les el los las di da der die das und fur y et e".split()  # noqa: SIM905
)
#: Country names beyond ISO's English ones that offices are named with.
_EXTRA_COUNTRY_NAMES = (
    "uk", "usa", "us", "uae", "britain", "great britain", "england", "scotland", "wales", "northern ireland", "turkey", "russia",
    "syria", "iran", "bolivia", "venezuela", "tanzania", "vietnam", "laos", "moldova", "czech republic", "ivory coast", "drc",
    "dr congo", "congo", "palestine", "kosovo", "south korea", "korea", "italia", "espana", "deutschland", "brasil", "sverige",
    "norge", "danmark", "suomi", "polska", "osterreich", "schweiz", "suisse", "svizzera", "nederland", "belgique", "belgie",
    "maroc", "liban", "turkiye", "hellas", "ellada", "mexique",
)  # fmt: skip

_PAREN = re.compile(r"\(([^()]*)\)")
_INITIALISM = re.compile(r"\b(?:[A-Za-z]\.\s?){2,}")


def fold(text: str) -> str:
    """Lower case without accents, ``&`` as "and" and punctuation as spaces.

    >>> fold("Médecins Sans Frontières & Co.")
    'medecins sans frontieres and co'
    >>> fold("U.S. Department of State"), fold("Ben & Jerry's"), fold("Airbnb.org")
    ('us department of state', 'ben and jerrys', 'airbnb org')
    """
    text = _INITIALISM.sub(lambda m: m.group(0).replace(".", "").replace(" ", "") + " ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("ı", "i").replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ł", "l")
    text = re.sub(r"[&+]", " and ", text)
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return fold(text).split()


def is_abbreviation(short: str, words: list[str]) -> bool:
    """Whether ``short`` can be spelt from the starts of ``words`` in order, the first word
    included (words may be skipped, each used word gives a prefix).

    >>> is_abbreviation("Norad", _words("Norwegian Agency for Development Cooperation"))
    True
    >>> is_abbreviation("Capita", _words("Tascor"))
    False
    """
    letters = fold(short).replace(" ", "")
    if len(letters) < 2 or not words or not letters or letters[0] != words[0][0]:
        return False

    @cache
    def match(i: int, j: int) -> bool:
        if i == len(letters):
            return True
        if j == len(words):
            return False
        word = words[j]
        k = 0
        while k < len(word) and i + k < len(letters) and word[k] == letters[i + k]:
            k += 1
            if match(i + k, j + 1):
                return True
        return j > 0 and match(i, j + 1)

    return match(0, 0)


def _looks_like_acronym(token: str, outside: list[str]) -> bool:
    token = token.strip()
    if not token or " " in token or len(token) > 12 or not any(ch.isalpha() for ch in token):
        return False
    if not token[0].isupper():
        return False
    return sum(ch.isupper() for ch in token) >= 2 or is_abbreviation(token, outside)


@dataclass(frozen=True)
class _Parts:
    full: str  # the name without its acronyms
    base: str  # the name without anything in parentheses
    acronyms: frozenset[str]


@lru_cache(maxsize=65536)
def _parts(name: str) -> _Parts:
    name = " ".join(name.split())
    groups = _PAREN.findall(name)
    outside = _PAREN.sub(" ", name).strip(" ,;-–—/")
    outside_words = _words(outside)
    found: set[str] = set()
    kept: list[str] = []
    for g in groups:
        if _looks_like_acronym(g, outside_words):
            found.add(fold(g).replace(" ", ""))
        else:
            kept.append(g)
    # "IHRB (Institute for Human Rights and Business)": the acronym outside, the name inside
    reversed_form = len(outside.split()) == 1 and _looks_like_acronym(outside, []) and len(groups) == 1 and not found
    if reversed_form and (is_abbreviation(outside, [w for w in _words(groups[0]) if w not in STOPWORDS]) or is_abbreviation(outside, _words(groups[0]))):
        return _Parts(groups[0], groups[0], frozenset({fold(outside).replace(" ", "")}))
    if len(outside.split()) == 1 and sum(ch.isupper() for ch in outside) >= 2:
        found.add(fold(outside).replace(" ", ""))
    full = " ".join([outside, *kept])
    return _Parts(full, outside, frozenset(found))


def _key(text: str) -> str:
    words = [SPELLINGS.get(w, w) for w in _words(text)]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words = words[:-1]
    # "sp. z o.o." and "S.A. de C.V." span several words
    for tail in (["sp", "z", "oo"], ["sa", "de", "cv"]):
        if len(words) > len(tail) and words[-len(tail) :] == tail:
            words = words[: -len(tail)]
    return " ".join(words)


def actor_key(name: str) -> str:
    """The key of an organisation's name: case, accents, punctuation, a leading "The", legal
    forms, spelling variants and acronyms in parentheses make no difference.

    >>> actor_key("International Rescue Committee (IRC)") == actor_key("international rescue committee")
    True
    >>> actor_key("HP Inc."), actor_key("P4 sp. z o.o."), actor_key("IHRB (Institute for Human Rights & Business)")
    ('hp', 'p4', 'institute for human rights and business')
    """
    key = _key(_parts(name).full)
    return key or fold(name)


def base_key(name: str) -> str:
    """The key of a name with everything in parentheses left out.

    >>> base_key("BRAC (microfinance programme)"), base_key("UNHCR (MADE51)")
    ('brac', 'unhcr')
    """
    return _key(_parts(name).base) or actor_key(name)


def acronyms(name: str) -> set[str]:
    """The acronyms a name gives for itself, in parentheses or as the whole name (folded)."""
    return set(_parts(name).acronyms)


def initials(name: str) -> str:
    """First letters of the words of a name that are not stop words (``""`` for one word).

    >>> initials("United Nations High Commissioner for Refugees")
    'unhcr'
    """
    words = [w for w in actor_key(name).split() if w not in STOPWORDS]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def _is_bare_acronym(name: str) -> bool:
    n = name.strip()
    return " " not in n and "(" not in n and sum(ch.isupper() for ch in n) >= 2 and len(n) <= 12


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    import pycountry

    names = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.add(fold(value))
    names.update(_EXTRA_COUNTRY_NAMES)
    return frozenset(names)


def _trailing_country(text: str) -> tuple[str, str] | None:
    """(rest, country) when ``text`` ends with a country name of one to four words."""
    raw = text.split()
    for n in (4, 3, 2, 1):
        if len(raw) <= n:
            continue
        tail = " ".join(raw[-n:])
        rest = raw[:-n]
        if fold(tail) in _country_names() and fold(rest[-1]) not in STOPWORDS:
            return " ".join(rest), tail.strip(" ,-–—")
    return None


def split_office(name: str) -> tuple[str, str] | None:
    """(organisation, office) when a name reads as a country office: "UNHCR Italy",
    "IOM Niger", "Save the Children UK", "IOM Office in Niger", "Walmart de México",
    "Oxfam (Italy)". Whether it is one depends on the organisation being known as well
    (see :func:`find_offices`).

    >>> split_office("IOM Office in Niger"), split_office("Oxfam (Italy)"), split_office("Bank of Ghana")
    (('IOM', 'Niger'), ('Oxfam', 'Italy'), None)
    """
    n = " ".join(name.split())
    m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", n)
    if m and fold(m.group(2)) in _country_names():
        return m.group(1).strip(" ,-–—"), m.group(2).strip()
    m = re.fullmatch(r"(.+?)\s+(?:country office|office|mission)\s+(?:in|for|to)\s+(.+)", n, flags=re.IGNORECASE)
    if m and fold(m.group(2)) in _country_names():
        return m.group(1).strip(), m.group(2).strip()
    m = re.fullmatch(r"(.+?)\s+(?:in|de)\s+(.+)", n)
    if m and fold(m.group(2)) in _country_names():
        return m.group(1).strip(" ,-–—"), m.group(2).strip()
    n = re.sub(r"\s+(?:country office|office)$", "", n, flags=re.IGNORECASE)
    found = _trailing_country(n)
    if found and found[0].strip(" ,-–—"):
        return found[0].strip(" ,-–—"), found[1]
    return None


class NameIndex:
    """Names of known organisations, to find one by any spelling of it.

    >>> index = NameIndex(["International Organization for Migration (IOM)", "UNHCR"])
    >>> index.find("IOM"), index.find("The International Organisation for Migration"), index.find("Oxfam")
    ('International Organization for Migration (IOM)', 'International Organization for Migration (IOM)', None)
    >>> index.office_of("IOM Niger"), index.office_of("UNHCR"), index.office_of("Oxfam Italy")
    ('International Organization for Migration (IOM)', None, None)
    """

    def __init__(self, names: Iterable[str] = ()):
        self._by_key: dict[str, str] = {}
        self._by_acronym: dict[str, set[str]] = defaultdict(set)
        for n in names:
            self.add(n)

    def add(self, name: str) -> None:
        self._by_key.setdefault(name.casefold(), name)
        self._by_key.setdefault("key:" + actor_key(name), name)
        for a in acronyms(name):
            self._by_acronym[a].add(name)

    def find(self, name: str) -> str | None:
        """The known name of the organisation ``name`` stands for, or None (also when ambiguous)."""
        for k in (name.casefold(), "key:" + actor_key(name)):
            if k in self._by_key:
                return self._by_key[k]
        if _is_bare_acronym(name):
            found = self._by_acronym.get(fold(name).replace(" ", ""), set())
            if len(found) == 1:
                return next(iter(found))
        return None

    def office_of(self, name: str) -> str | None:
        """The known organisation that ``name`` is a country office of, or None."""
        split = split_office(name)
        if split is None:
            return None
        parent = self.find(split[0])
        return parent if parent is not None and parent.casefold() != name.casefold() else None


def find_offices(names: Iterable[str]) -> dict[str, str]:
    """Office name -> organisation name, for names that are country offices of another name given.

    >>> find_offices(["UNHCR", "UNHCR Italy", "UNHCR Romania", "Social Finance UK"])
    {'UNHCR Italy': 'UNHCR', 'UNHCR Romania': 'UNHCR'}
    """
    names = list(dict.fromkeys(names))
    index = NameIndex(names)
    out = {}
    for n in names:
        parent = index.office_of(n)
        if parent is not None:
            out[n] = parent
    return out


@dataclass(frozen=True)
class DuplicatePair:
    """Two names that are likely the same organisation, and why."""

    a: str
    b: str
    reason: str  # "same key", "same name apart from parentheses", "acronym", "same acronym", "similar", "same words", "alias"
    score: float = 100.0

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "reason": self.reason, "score": round(self.score, 1)}

    def __str__(self) -> str:
        extra = f", similarity {self.score:.0f}" if self.reason == "similar" else ""
        return f"{self.a!r} and {self.b!r} ({self.reason}{extra})"


def _word_swapped(a: str, b: str) -> bool:
    """Whether two keys differ by a word put in place of another unlike it ("Government of
    Canada" and "Government of Panama"), rather than by a spelling or an added word.

    >>> _word_swapped("government of canada", "government of panama"), _word_swapped("european union eu fund", "european union fund")
    (True, False)
    """
    from rapidfuzz import fuzz

    only_a = [w for w in a.split() if w not in b.split()]
    only_b = [w for w in b.split() if w not in a.split()]
    if not only_a or not only_b:
        return False
    return all(fuzz.ratio(x, y) < 80 for x in only_a for y in only_b)


#: Names at least this similar (0-100, rapidfuzz ratio of their keys) within a block are likely duplicates.
SIMILARITY_CUTOFF = 90.0


def likely_duplicates(
    names: Iterable[str],
    cutoff: float = SIMILARITY_CUTOFF,
    aliases: Mapping[str, Iterable[str]] | None = None,
) -> list[DuplicatePair]:
    """Pairs of ``names`` that are likely one organisation: the same key, the same name apart
    from a parenthesis, an acronym and its full name, the same acronym, the same words in
    another order, or keys at least ``cutoff`` similar (rapidfuzz ratio) within blocks of
    names that start with the same word. Country offices
    of a name (and sibling offices) are not duplicates. ``aliases`` (name -> other names of
    it) adds a pair for every name that another one lists as its alias.

    >>> [str(p) for p in likely_duplicates(["Airbnb", "Airbnb, Inc.", "Airbnb.org", "Ministry of Labour (Kenya)", "Ministry of Labor, Kenya"])]
    ["'Airbnb' and 'Airbnb, Inc.' (same key)", "'Ministry of Labor, Kenya' and 'Ministry of Labour (Kenya)' (same key)"]
    >>> [str(p) for p in likely_duplicates(["Tent Partnership for Refugees", "Tent Partnership for Refugees (Tent Mexico)", "IOM Niger", "IOM Nigeria", "IOM"])]
    ["'Tent Partnership for Refugees' and 'Tent Partnership for Refugees (Tent Mexico)' (same name apart from parentheses)"]
    """
    from rapidfuzz import fuzz

    unique = sorted({n.casefold(): n for n in names if n and n.strip()}.values(), key=lambda n: (n.casefold(), n))
    pairs: dict[tuple[str, str], DuplicatePair] = {}
    index = NameIndex(unique)
    offices = {n: split_office(n) for n in unique}

    def related(a: str, b: str) -> bool:
        """An office and its organisation, or two offices of one organisation in different countries."""
        oa, ob = offices[a], offices[b]
        if oa and index.find(oa[0]) is not None and index.find(oa[0]) == index.find(b):
            return True
        if ob and index.find(ob[0]) is not None and index.find(ob[0]) == index.find(a):
            return True
        return bool(oa and ob and fold(oa[1]) != fold(ob[1]) and actor_key(oa[0]) == actor_key(ob[0]))

    def add(a: str, b: str, reason: str, score: float = 100.0) -> None:
        a, b = sorted((a, b), key=lambda n: (n.casefold(), n))
        if a.casefold() == b.casefold() or (a, b) in pairs or related(a, b):
            return
        pairs[(a, b)] = DuplicatePair(a, b, reason, score)

    def groups(keyfn: Any) -> Iterable[list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for n in unique:
            found[keyfn(n)].append(n)
        return (g for g in found.values() if len(g) > 1)

    for group in groups(actor_key):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                add(a, b, "same key")
    for group in groups(base_key):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                add(a, b, "same name apart from parentheses")
    by_acronym: dict[str, list[str]] = defaultdict(list)
    by_initials: dict[str, list[str]] = defaultdict(list)
    for n in unique:
        for a in acronyms(n):
            by_acronym[a].append(n)
        if not _is_bare_acronym(n):
            ini = initials(n)
            if len(ini) >= 2:
                by_initials[ini].append(n)
    for n in unique:
        if " " in n.strip() or "(" in n:
            continue
        token = fold(n).replace(" ", "")
        for other in by_acronym.get(token, []):
            if other != n:
                add(n, other, "acronym")
        if _is_bare_acronym(n):
            for other in by_initials.get(token, []):
                add(n, other, "acronym")
    for group in by_acronym.values():
        full = [n for n in group if not _is_bare_acronym(n)]
        for i, a in enumerate(full):
            for b in full[i + 1 :]:
                add(a, b, "same acronym")
    blocks: dict[str, list[str]] = defaultdict(list)
    for n in unique:
        key = actor_key(n)
        if key:
            blocks[key.split()[0]].append(n)
    for block in blocks.values():
        keys = [actor_key(n) for n in block]
        for i, a in enumerate(block):
            for j in range(i + 1, len(block)):
                score = fuzz.ratio(keys[i], keys[j])
                if score >= cutoff and not _word_swapped(keys[i], keys[j]):
                    add(a, block[j], "similar", score)
    for group in groups(lambda n: " ".join(sorted(set(actor_key(n).split())))):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                add(a, b, "same words")
    if aliases:
        by_name = {n.casefold(): n for n in unique}
        for owner, others in aliases.items():
            for alias in others:
                used = by_name.get(alias.casefold())
                if used is not None and owner.casefold() != alias.casefold():
                    add(owner, used, "alias")
    return sorted(pairs.values(), key=lambda p: (p.a.casefold(), p.b.casefold()))
