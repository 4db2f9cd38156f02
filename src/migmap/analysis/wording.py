"""Plain-language phrases for codes of each dimension, used in sentences and titles.

>>> row_phrase("stages", "arrival")
'initiatives at the arrival stage'
>>> col_phrase("actor_type", "business_association")
'are led by a business association'
"""

from __future__ import annotations

from migmap.framework import load_framework

_ROW = {
    "stages": "initiatives at the {l} stage",
    "actor_type": "initiatives led by {a} {l}",
    "sector": "initiatives led from the {l} sector",
    "contributions": "initiatives where business brings {l}",
    "business_roles": "initiatives where business acts as {a} {l}",
    "migrant_groups": "initiatives serving {l}",
    "modalities": "initiatives using {l}",
    "public_partners": "initiatives with {a} {l} partner",
    "themes": "initiatives on {l}",
    "goals": "initiatives aiming at {l}",
}
_COL = {
    "stages": "reach migrants at the {l} stage",
    "actor_type": "are led by {a} {l}",
    "sector": "are led from the {l} sector",
    "contributions": "have business bringing {l}",
    "business_roles": "have business acting as {a} {l}",
    "migrant_groups": "serve {l}",
    "modalities": "use {l}",
    "public_partners": "involve {a} {l} partner",
    "themes": "work on {l}",
    "goals": "aim at {l}",
}


def label(dimension: str, code: str) -> str:
    """The framework label of a code (``'Long-term options'``)."""
    return load_framework().label(dimension, code)


def lower_label(dimension: str, code: str) -> str:
    """The label in running text: first letter lowered unless it starts an acronym (``NGO``)."""
    text = label(dimension, code)
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _fill(template: str, dimension: str, code: str) -> str:
    text = lower_label(dimension, code)
    return template.format(l=text, a=_article(text))


def row_phrase(dimension: str, code: str) -> str:
    return _fill(_ROW[dimension], dimension, code)


def col_phrase(dimension: str, code: str) -> str:
    return _fill(_COL[dimension], dimension, code)


def dimension_label(dimension: str) -> str:
    """The framework's name of a dimension (``'Stage of the migration cycle'``)."""
    return load_framework()[dimension].label
