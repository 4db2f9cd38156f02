"""The framework as data: dimensions, codes, labels, definitions and keywords.

The framework (after Bisong and Knoll, ECDPM 2020) is shipped as ``framework.yaml``
inside this package and loaded into small immutable objects::

    >>> from migmap.framework import load_framework
    >>> fw = load_framework()
    >>> fw["stages"].codes
    ('pre_departure', 'transit', 'arrival', 'long_term', 'return_reintegration')
    >>> fw.label("stages", "long_term")
    'Long-term options'

This module imports nothing else from migmap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

__all__ = [
    "Code",
    "Dimension",
    "Framework",
    "load_framework",
    "TAG_DIMENSIONS",
    "MULTI_DIMENSIONS",
    "SINGLE_DIMENSIONS",
]

#: Dimensions carried by every initiative, in display order.
TAG_DIMENSIONS: tuple[str, ...] = (
    "stages",
    "contributions",
    "business_roles",
    "actor_type",
    "sector",
    "migrant_groups",
    "modalities",
    "public_partners",
    "themes",
    "goals",
)
#: Dimensions that hold exactly one code per initiative.
SINGLE_DIMENSIONS: tuple[str, ...] = ("actor_type", "sector")
#: Dimensions that hold a list of codes per initiative.
MULTI_DIMENSIONS: tuple[str, ...] = tuple(d for d in TAG_DIMENSIONS if d not in SINGLE_DIMENSIONS)


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
        dims.append(
            Dimension(
                code=raw["code"],
                label=raw["label"],
                cardinality=raw.get("cardinality", "many"),
                required=bool(raw.get("required", False)),
                description=raw.get("description", ""),
                entries=tuple(_code(c) for c in raw["codes"]),
            )
        )
    enums = {name: tuple(_code(c) for c in values) for name, values in data.get("enums", {}).items()}
    return Framework(version=int(data.get("version", 1)), dimensions=tuple(dims), enums=enums, source=data.get("source", {}))


def framework_text() -> str:
    """The raw YAML text of the shipped framework."""
    return resources.files(__name__).joinpath("framework.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_framework() -> Framework:
    """Load the framework shipped in the package (cached; the objects are immutable)."""
    return parse_framework(yaml.safe_load(framework_text()))
