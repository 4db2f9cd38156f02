"""The auto-tagger: read a text, predict the framework's tags with confidence and evidence.

    >>> from migmap.tagging import load_model
    >>> out = load_model().tag(["A bank opens free accounts for refugees in Germany."])[0]
    >>> out["countries"], "refugees_asylum" in out["migrant_groups"]
    (['DEU'], True)

Modules: ``tagger`` (FrameworkTagger, the default), ``keywords`` (the keyword baseline),
``heads`` and ``features`` (its scikit-learn parts), ``gazetteer`` (countries),
``passages`` (long documents), ``batch`` and ``dask_runner`` (JSONL at scale),
``dataset`` and ``evaluation`` (training data, held-out tenth, scores), ``model_io``.
Nothing is imported or loaded until used.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FrameworkTagger", "KeywordTagger", "load_model", "save_model", "TaggerError", "find_countries"]


def __getattr__(name: str) -> Any:  # lazy: importing migmap.tagging stays cheap
    if name == "FrameworkTagger":
        from .tagger import FrameworkTagger

        return FrameworkTagger
    if name == "KeywordTagger":
        from .keywords import KeywordTagger

        return KeywordTagger
    if name in ("load_model", "save_model", "TaggerError"):
        from . import model_io

        return getattr(model_io, name)
    if name == "find_countries":
        from .gazetteer import find_countries

        return find_countries
    raise AttributeError(f"module 'migmap.tagging' has no attribute {name!r}")
