"""Plain-language phrases for codes of each dimension, used in sentences and titles.

The phrases are declared per dimension in ``framework.yaml`` (``phrases: {row, column}``).

>>> row_phrase("stages", "arrival")
'initiatives at the arrival stage'
>>> col_phrase("actor_type", "business_association")
'are led by a business association'
"""

from __future__ import annotations

from migmap.framework import load_framework


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
    return _fill(load_framework()[dimension].row_phrase, dimension, code)


def col_phrase(dimension: str, code: str) -> str:
    return _fill(load_framework()[dimension].column_phrase, dimension, code)


def dimension_label(dimension: str) -> str:
    """The framework's name of a dimension (``'Stage of the migration cycle'``)."""
    return load_framework()[dimension].label
