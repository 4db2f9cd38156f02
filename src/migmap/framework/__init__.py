"""The framework as data: dimensions, codes, labels, definitions and keywords.

The framework (after Bisong and Knoll, ECDPM 2020) is shipped as ``framework.yaml``
inside this package and loaded into small immutable objects::

    >>> from migmap.framework import load_framework
    >>> fw = load_framework()
    >>> fw["stages"].codes
    ('pre_departure', 'transit', 'arrival', 'long_term', 'return_reintegration')
    >>> fw.label("stages", "long_term")
    'Long-term options'

Everything per dimension that the rest of migmap needs (model fields, filter names, CLI
options, web parameters, form fields, wording, the tagger's targets) is derived from that
file, so a dimension is declared in one place. ``MIGMAP_FRAMEWORK=/path/to/framework.yaml``
loads another framework file instead (for extending the framework; read once per process).

This module imports nothing else from migmap.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

__all__ = [
    "Code",
    "Dimension",
    "Framework",
    "load_framework",
    "TAG_DIMENSIONS",
    "MULTI_DIMENSIONS",
    "SINGLE_DIMENSIONS",
    "REQUIRED_MULTI",
    "FILTER_DIMENSIONS",
]


@dataclass(frozen=True)
class Code:
    """One code of a dimension, e.g. ``arrival`` of ``stages``."""

    code: str
    label: str
    definition: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dimension:
    """A dimension of the framework and its ordered codes."""

    code: str
    label: str
    cardinality: str  # "one" or "many"
    required: bool
    description: str
    entries: tuple[Code, ...] = field(default_factory=tuple)
    #: Name of its filter (Filters field, web and API query parameter).
    filter: str = ""
    #: Command-line option without dashes, with underscores (``stage`` for ``--stage``).
    option: str = ""
    #: Whether the auto-tagger proposes codes of this dimension.
    predicted: bool = False
    #: Sentence templates for a code as a gap-map row and as a column ({l} label, {a} article).
    row_phrase: str = "initiatives tagged {l}"
    column_phrase: str = "are tagged {l}"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.entries)

    @property
    def multi(self) -> bool:
        return self.cardinality == "many"

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __iter__(self) -> Iterator[Code]:
        return iter(self.entries)

    def get(self, code: str) -> Code:
        for entry in self.entries:
            if entry.code == code:
                return entry
        raise KeyError(f"{code!r} is not a code of {self.code}; allowed: {', '.join(self.codes)}")

    def label_of(self, code: str) -> str:
        return self.get(code).label


@dataclass(frozen=True)
class Framework:
    """The whole framework: tag dimensions plus small enumerations (status, roles...)."""

    version: int
    dimensions: tuple[Dimension, ...]
    enums: dict[str, tuple[Code, ...]]
    source: dict

    def __getitem__(self, name: str) -> Dimension:
        for dim in self.dimensions:
            if dim.code == name:
                return dim
        raise KeyError(f"unknown dimension {name!r}; allowed: {', '.join(self.names)}")

    def __contains__(self, name: object) -> bool:
        return name in self.names

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.dimensions)

    def codes(self, name: str) -> tuple[str, ...]:
        """Codes of a dimension or of an enumeration (``status``, ``country_role``...)."""
        if name in self.enums:
            return tuple(c.code for c in self.enums[name])
        return self[name].codes

    def label(self, name: str, code: str) -> str:
        if name in self.enums:
            for c in self.enums[name]:
                if c.code == code:
                    return c.label
            raise KeyError(f"{code!r} is not a code of {name}")
        return self[name].label_of(code)

    def all_codes(self) -> set[str]:
        out: set[str] = set()
        for dim in self.dimensions:
            out.update(dim.codes)
        for entries in self.enums.values():
            out.update(c.code for c in entries)
        return out


def _code(raw: dict) -> Code:
    return Code(
        code=raw["code"],
        label=raw["label"],
        definition=raw.get("definition", ""),
        keywords=tuple(raw.get("keywords", ())),
    )


def parse_framework(data: dict) -> Framework:
    """Build a :class:`Framework` from the parsed YAML mapping."""
    dims = []
    for raw in data["dimensions"]:
        phrases = raw.get("phrases") or {}
        dims.append(
            Dimension(
                code=raw["code"],
                label=raw["label"],
                cardinality=raw.get("cardinality", "many"),
                required=bool(raw.get("required", False)),
                description=raw.get("description", ""),
                entries=tuple(_code(c) for c in raw["codes"]),
                filter=raw.get("filter") or raw["code"],
                option=raw.get("option") or raw["code"],
                predicted=bool(raw.get("predicted", False)),
                row_phrase=phrases.get("row", Dimension.row_phrase),
                column_phrase=phrases.get("column", Dimension.column_phrase),
            )
        )
    enums = {name: tuple(_code(c) for c in values) for name, values in data.get("enums", {}).items()}
    return Framework(version=int(data.get("version", 1)), dimensions=tuple(dims), enums=enums, source=data.get("source", {}))


def framework_text() -> str:
    """The raw YAML text of the framework: the shipped file, or ``$MIGMAP_FRAMEWORK`` when set."""
    override = os.environ.get("MIGMAP_FRAMEWORK")
    if override:
        return Path(override).read_text(encoding="utf-8")
    return resources.files(__name__).joinpath("framework.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_framework() -> Framework:
    """Load the framework shipped in the package (cached; the objects are immutable)."""
    return parse_framework(yaml.safe_load(framework_text()))


_FRAMEWORK = load_framework()
#: Dimensions carried by every initiative, in display order (from ``framework.yaml``).
TAG_DIMENSIONS: tuple[str, ...] = _FRAMEWORK.names
#: Dimensions that hold exactly one code per initiative (the lead private actor's).
SINGLE_DIMENSIONS: tuple[str, ...] = tuple(d.code for d in _FRAMEWORK.dimensions if not d.multi)
#: Dimensions that hold a list of codes per initiative.
MULTI_DIMENSIONS: tuple[str, ...] = tuple(d.code for d in _FRAMEWORK.dimensions if d.multi)
#: Multi-valued dimensions every record needs at least one code of.
REQUIRED_MULTI: tuple[str, ...] = tuple(d.code for d in _FRAMEWORK.dimensions if d.multi and d.required)
#: Filter name -> dimension (``actor_types`` -> ``actor_type``).
FILTER_DIMENSIONS: dict[str, str] = {d.filter: d.code for d in _FRAMEWORK.dimensions}
