"""Small text helpers shared by the tagger: joining title and text, cleaning, a language check.

>>> join_title("Jobs for refugees", "A bakery hires refugees.")
'Jobs for refugees.\\nA bakery hires refugees.'
>>> looks_english("A bakery in Berlin hires refugees and trains them as bakers for two years.")
True
>>> looks_english("Une boulangerie de Berlin embauche des réfugiés et les forme pendant deux ans au métier.")
False
"""

from __future__ import annotations

import re

__all__ = ["clean", "join_title", "looks_english", "words"]

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)

#: Frequent English function words; a real English paragraph has many of them.
ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "more",
        "most",
        "not",
        "of",
        "on",
        "or",
        "other",
        "our",
        "out",
        "over",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "under",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "would",
        "you",
    ]
)
#: Below this many words a language guess is unreliable; such texts are accepted.
MIN_WORDS_FOR_LANGUAGE = 12


def clean(text: str) -> str:
    """Collapse runs of whitespace and strip; ``None`` becomes ``""``."""
    return _SPACE.sub(" ", text or "").strip()


def join_title(title: str | None, text: str | None) -> str:
    """The text the model reads: the title as a first sentence, then the text."""
    title, text = clean(title or ""), (text or "").strip()
    if not title:
        return text
    if not text:
        return title
    end = "" if title[-1] in ".!?:" else "."
    return f"{title}{end}\n{text}"


def words(text: str) -> list[str]:
    """Lower-cased words (letters, inner apostrophes and hyphens)."""
    return [w.lower() for w in _WORD.findall(text)]


def looks_english(text: str, min_ratio: float = 0.12) -> bool:
    """Whether a text looks English: enough of its words are common English function words.

    Texts shorter than :data:`MIN_WORDS_FOR_LANGUAGE` words are given the benefit of the doubt.
    """
    ws = words(text)
    if len(ws) < MIN_WORDS_FOR_LANGUAGE:
        return True
    hits = sum(1 for w in ws if w in ENGLISH_STOPWORDS)
    return hits / len(ws) >= min_ratio
