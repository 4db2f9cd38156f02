"""The question a public actor asks the advisor, checked against the framework.

    >>> q = Question.build(asker="donor_agency", stages="arrival", goals=["migrant_rights"],
    ...                    countries=["deu"], offers="funding,convening")
    >>> q.countries, q.offers
    (('DEU',), ('funding', 'convening'))
    >>> q.filters().describe()
    'countries=DEU'
    >>> Question.build(asker="bank", stages="arrival", goals="migrant_rights")
    Traceback (most recent call last):
    ...
    migmap.advice.question.InvalidQuestion: --as: unknown asker 'bank'; allowed: donor_agency, ...

Every problem is reported at once, each naming the option and the allowed values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from migmap.domain.codec import split_codes
from migmap.domain.countries import country_name, normalise_country, normalise_region
from migmap.domain.errors import MigmapError
from migmap.domain.filters import Filters
from migmap.framework import load_framework

from .knowledge import load_knowledge

__all__ = ["InvalidQuestion", "Question"]


class InvalidQuestion(MigmapError):
    """A question with unknown or missing codes; the message lists the allowed values."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _codes(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in split_codes(value))


def _short_allowed(allowed: Iterable[str]) -> str:
    return ", ".join(allowed)


@dataclass(frozen=True)
class Question:
    """Who asks, for which stages and goals, where, for whom, and with what to offer."""

    asker: str
    stages: tuple[str, ...]
    goals: tuple[str, ...]
    migrant_groups: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        asker: str | None,
        stages: Any,
        goals: Any,
        migrant_groups: Any = None,
        themes: Any = None,
        countries: Any = None,
        regions: Any = None,
        offers: Any = None,
    ) -> Question:
        """Normalise (comma-separated strings or lists) and check every part of a question.

        Raises :class:`InvalidQuestion` listing every problem with the allowed values."""
        fw = load_framework()
        kb = load_knowledge()
        problems: list[str] = []

        def check(option: str, what: str, values: tuple[str, ...], allowed: tuple[str, ...], required: bool = False) -> None:
            if required and not values:
                problems.append(f"{option}: give at least one {what}; allowed: {_short_allowed(allowed)}")
            bad = [v for v in values if v not in allowed]
            if bad:
                problems.append(f"{option}: unknown {what} {', '.join(map(repr, bad))}; allowed: {_short_allowed(allowed)}")

        asker_codes = _codes(asker)
        check("--as", "asker", asker_codes, fw["public_partners"].codes, required=True)
        if len(asker_codes) > 1:
            problems.append(f"--as: give one asker, not {len(asker_codes)} ({', '.join(asker_codes)})")
        st, gl = _codes(stages), _codes(goals)
        check("--stage", "stage", st, fw["stages"].codes, required=True)
        check("--goal", "goal", gl, fw["goals"].codes, required=True)
        groups, th = _codes(migrant_groups), _codes(themes)
        check("--migrant-group", "migrant group", groups, fw["migrant_groups"].codes)
        check("--theme", "theme", th, fw["themes"].codes)
        of = _codes(offers)
        check("--offer", "offer", of, tuple(kb.offers))
        # places read as every filter reads them: region names ("West Africa") and country names too
        reg_list: list[str] = []
        for r in _codes(regions):
            try:
                reg_list.append(normalise_region(r))
            except ValueError as exc:
                problems.append(f"--region: {exc}")
        regs = tuple(dict.fromkeys(reg_list))
        ctry: list[str] = []
        for c in _codes(countries):
            try:
                ctry.append(normalise_country(c, by_name=True))
            except ValueError as exc:
                problems.append(f"--country: {exc}")
        if problems:
            raise InvalidQuestion(problems)
        return cls(asker_codes[0], st, gl, groups, th, tuple(dict.fromkeys(ctry)), regs, of)

    def filters(self) -> Filters:
        """The slice of the map this question is about (where and for whom; not the stage).

        The stage is the row of the gap map, so it is not filtered here."""
        return Filters(
            migrant_groups=list(self.migrant_groups),
            themes=list(self.themes),
            countries=list(self.countries),
            regions=list(self.regions),
        )

    @property
    def has_place(self) -> bool:
        return bool(self.countries or self.regions)

    def place(self) -> str:
        """``Germany`` / ``Europe`` / ``anywhere``: where the question is about, for sentences."""
        names = [country_name(c) for c in self.countries]
        names += [r.replace("_", " ").title() for r in self.regions]
        return ", ".join(names) if names else "anywhere"

    def describe(self) -> str:
        """One sentence, e.g. ``Donor agency; stage Arrival; goal Migrant rights; in Germany``."""
        fw = load_framework()
        parts = [fw.label("public_partners", self.asker)]
        parts.append("stage " + ", ".join(fw.label("stages", s) for s in self.stages))
        parts.append("goal " + ", ".join(fw.label("goals", g) for g in self.goals))
        if self.has_place:
            parts.append("in " + self.place())
        if self.migrant_groups:
            parts.append("for " + ", ".join(fw.label("migrant_groups", g) for g in self.migrant_groups))
        if self.themes:
            parts.append("themes " + ", ".join(fw.label("themes", t) for t in self.themes))
        if self.offers:
            kb = load_knowledge()
            parts.append("can offer " + ", ".join(kb.offers[o].split(" (")[0].lower() for o in self.offers))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "asker": self.asker,
            "stages": list(self.stages),
            "goals": list(self.goals),
            "migrant_groups": list(self.migrant_groups),
            "themes": list(self.themes),
            "countries": list(self.countries),
            "regions": list(self.regions),
            "offers": list(self.offers),
        }
