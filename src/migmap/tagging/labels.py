"""Which dimensions the tagger predicts, and turning label lists into indicator matrices.

>>> binarise([["arrival"], ["transit", "arrival"]], ("transit", "arrival"))
array([[0, 1],
       [1, 1]], dtype=int8)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from migmap.framework import REQUIRED_MULTI, load_framework

__all__ = ["PREDICTED_DIMENSIONS", "MULTI_PREDICTED", "SINGLE_PREDICTED", "AT_LEAST_ONE", "as_codes", "binarise"]

#: Multi-label dimensions the tagger proposes (``predicted: true`` in framework.yaml), in its order.
MULTI_PREDICTED: tuple[str, ...] = tuple(d.code for d in load_framework().dimensions if d.predicted and d.multi)
#: Single-label dimensions (of the lead private actor).
SINGLE_PREDICTED: tuple[str, ...] = tuple(d.code for d in load_framework().dimensions if d.predicted and not d.multi)
PREDICTED_DIMENSIONS: tuple[str, ...] = MULTI_PREDICTED + SINGLE_PREDICTED
#: Multi-label dimensions that always get at least one label (those a record requires).
AT_LEAST_ONE: tuple[str, ...] = tuple(d for d in MULTI_PREDICTED if d in REQUIRED_MULTI)


def as_codes(value: Any) -> list[str]:
    """A code, a list of codes or nothing, as a list of codes."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return list(value)


def binarise(rows: Iterable[Any], classes: Sequence[str]) -> np.ndarray:
    """Label lists -> an (n, len(classes)) 0/1 matrix; unknown codes are ignored."""
    position = {c: i for i, c in enumerate(classes)}
    rows = list(rows)
    out = np.zeros((len(rows), len(classes)), dtype=np.int8)
    for i, labels in enumerate(rows):
        for code in as_codes(labels):
            j = position.get(code)
            if j is not None:
                out[i, j] = 1
    return out
