"""The hand-checked sample read straight from YAML, for independent computations."""

from __future__ import annotations

import pytest
import yaml

from migmap.domain import Initiative

from ..conftest import DATA


@pytest.fixture(scope="session")
def raw():
    """The sample records as plain dicts (no migmap code involved)."""
    return yaml.safe_load((DATA / "sample.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def items(sample_db):
    return sample_db.list(order="id")


def tags(rec: dict, dim: str) -> list[str]:
    v = rec.get(dim) or []
    return [v] if isinstance(v, str) else list(v)


def as_items(records):
    return [Initiative.model_validate({**r, "version": 1}) for r in records]
