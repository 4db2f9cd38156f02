"""Schemathesis against the app's own OpenAPI schema (/api/openapi.json).

Every documented operation is fuzzed with valid and invalid input. The checks: no response is a
5xx, every status code and content type is documented, and every body conforms to its schema
(error bodies included: see migmap.web.openapi). Reads run anonymously; writes carry an editor's
API token. Each operation gets a fresh copy of the sample database (the ``app`` fixture of
conftest.py), so writes do not leak from one operation into another.

Random strings almost never name a record or a framework code, so the hooks below replace a
generated value, some of the time, by one that names something real (an initiative id, an actor,
a stage code, the current version...): the success paths are fuzzed as well as the refusals.
Hypothesis is derandomized, so a run is reproducible.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from migmap.advice.knowledge import load_knowledge
from migmap.config import Settings
from migmap.domain.countries import REGION_LABELS
from migmap.domain.filters import TAG_FILTERS
from migmap.framework import TAG_DIMENSIONS, load_framework
from migmap.services.accounts import Accounts
from migmap.web import create_app
from tests.conftest import DATA, record
from tests.serving import serving

from .conftest import sample_site

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

SETTINGS = dict(
    derandomize=True,  # the same examples on every run, so CI is reproducible
    database=None,
    deadline=None,
    # the app (a fresh database) is a function-scoped fixture: created once per operation, on purpose;
    # large generated bodies are slow to build on a small CI machine, which is no fault of the app
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
#: Examples per operation; ``MIGMAP_FUZZ_EXAMPLES=500`` fuzzes deeper (in process; over HTTP a fifth of it).
EXAMPLES = int(os.environ.get("MIGMAP_FUZZ_EXAMPLES", "50"))
IN_PROCESS = settings(max_examples=EXAMPLES, **SETTINGS)
OVER_HTTP = settings(max_examples=max(1, EXAMPLES // 5), **SETTINGS)


def _openapi() -> dict[str, Any]:
    """The document /api/openapi.json serves (it depends on the routes only, not on the data)."""
    return create_app(Settings(database_url="sqlite:///:memory:"), warm_cache=False).openapi()


SCHEMA = schemathesis.openapi.from_dict(_openapi())
READS = SCHEMA.include(method="GET")
#: The write operations, and the review queue (anonymous visitors only ever get its 401).
WRITES = SCHEMA.include(lambda ctx: ctx.operation.method.upper() != "GET" or ctx.operation.path == "/api/review")

# ------------------------------------------------------------------ values that name real things
SAMPLE = yaml.safe_load(Path(DATA / "sample.yaml").read_text(encoding="utf-8"))
RECORD = record()
PROPOSED = record(id="proposed-hiring-pilot", name="Proposed hiring pilot")
FW = load_framework()


def _codes(values: Any) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(sorted(values)), min_size=1, max_size=2, unique=True)


_countries = sorted({c["code"] for r in SAMPLE for c in r.get("countries", [])})
KNOWN: dict[str, st.SearchStrategy[Any]] = {
    # path parameters
    "initiative_id": st.sampled_from([r["id"] for r in SAMPLE] + [PROPOSED["id"]]),
    "name": st.sampled_from(sorted({a["name"] for r in SAMPLE for a in r.get("actors", [])})),
    "revision_id": st.integers(1, 12),
    # query parameters
    **{field: _codes(FW.codes(dim)) for field, dim in TAG_FILTERS.items()},
    "countries": _codes(_countries),
    "regions": _codes(REGION_LABELS),
    "status": _codes(["active", "ended", "unknown"]),
    "year": st.integers(2010, 2030).map(str),
    "rows": st.sampled_from(TAG_DIMENSIONS),
    "cols": st.sampled_from(TAG_DIMENSIONS),
    "cell": st.tuples(st.sampled_from(FW.codes("stages")), st.sampled_from(FW.codes("actor_type"))).map(":".join),
    "asker": st.sampled_from(FW.codes("public_partners")),
    "offers": _codes(load_knowledge().offers),
    "version": st.integers(1, 3),
}
KNOWN_BY_PATH: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "/api/countries/{code}": {"code": st.sampled_from(_countries)},
    "/api/stages/{code}": {"code": st.sampled_from(FW.codes("stages"))},
    # the one record waiting for review, half of the time
    "/api/review/{initiative_id}": {"initiative_id": st.one_of(st.just(PROPOSED["id"]), KNOWN["initiative_id"])},
}
#: Valid bodies, and valid values of some of their fields, per write operation.
_fields = st.frozensets(st.sampled_from(sorted(RECORD)), max_size=3).map(lambda keys: {k: RECORD[k] for k in keys})
BODIES: dict[tuple[str, str], tuple[dict[str, Any], st.SearchStrategy[dict[str, Any]]]] = {
    ("POST", "/api/initiatives"): (RECORD, st.integers(1, 10**6).map(lambda n: {"name": f"Fuzzed programme {n}"})),
    ("PATCH", "/api/initiatives/{initiative_id}"): ({"version": 1}, _fields),
    ("POST", "/api/review/{initiative_id}"): ({"action": "accept", "version": 1}, st.fixed_dictionaries({"action": st.sampled_from(["accept", "reject"])})),
}


def _mix(context: Any, values: Any) -> st.SearchStrategy[Any]:
    """The parameters as generated, with some of them (or all that can) naming something real."""
    if not isinstance(values, dict) or not values:
        return st.just(values)
    known = {**KNOWN, **KNOWN_BY_PATH.get(context.operation.path, {})}
    some = st.fixed_dictionaries({k: st.one_of(st.just(v), known[k]) if k in known else st.just(v) for k, v in values.items()})
    every = st.fixed_dictionaries({k: known[k] if k in known else st.just(v) for k, v in values.items()})
    return st.one_of(some, every)


def flatmap_path_parameters(context: Any, path_parameters: Any) -> st.SearchStrategy[Any]:
    return _mix(context, path_parameters)


def flatmap_query(context: Any, query: Any) -> st.SearchStrategy[Any]:
    return _mix(context, query)


def flatmap_body(context: Any, body: Any) -> st.SearchStrategy[Any]:
    """The generated body, or a valid one with up to three generated fields or valid changes in it."""
    if not isinstance(body, dict) or not body:
        return st.just(body)
    base, valid_fields = BODIES.get((context.operation.method.upper(), context.operation.path), (None, None))
    if base is None:
        return st.just(body)
    generated = st.frozensets(st.sampled_from(sorted(body)), max_size=3).map(lambda keys: {k: body[k] for k in keys})

    def merged(fields: dict[str, Any], version: int) -> dict[str, Any]:
        return {**base, **({"version": version} if "version" in base else {}), **fields}

    return st.one_of(st.just(body), st.builds(merged, st.one_of(generated, valid_fields), st.integers(1, 3)))


def with_hooks(schema: Any) -> Any:
    for hook in (flatmap_path_parameters, flatmap_query, flatmap_body):
        schema.hook(hook)
    return schema


with_hooks(SCHEMA)


# ------------------------------------------------------------------ in-process (ASGI)
@pytest.fixture
def as_editor(app) -> dict[str, str]:
    """The Authorization header of the editor ``ed`` (an API token); and one proposed record to review."""
    app.state.db.add(PROPOSED, user="ed", curation_state="proposed")
    return {"Authorization": f"Bearer {Accounts(app.state.db).create_token('ed')}"}


def test_the_fuzzed_schema_is_the_served_one(client):
    assert client.get("/api/openapi.json").json() == SCHEMA.raw_schema


@IN_PROCESS
@READS.parametrize()
def test_reads(case, app):
    case.call_and_validate(app=app, checks=CHECKS)


@IN_PROCESS
@WRITES.parametrize()
def test_writes_as_editor(case, app, as_editor):
    case.call_and_validate(app=app, headers=as_editor, checks=CHECKS)


def test_write_successes_conform_to_the_schema(app, as_editor):
    """Each write's success answer, once for sure (the fuzzing above reaches most of them by chance)."""

    def call(path: str, method: str, status: int, **kwargs: Any) -> Any:
        response = SCHEMA[path][method].Case(**kwargs).call_and_validate(app=app, headers=as_editor, checks=CHECKS)
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    created = call("/api/initiatives", "POST", 201, body=record(name="Schema check programme"))
    iid = created["id"]
    call("/api/initiatives/{initiative_id}", "PATCH", 200, path_parameters={"initiative_id": iid}, body={"version": 1, "status": "ended"})
    update = [r for r in app.state.db.revisions(iid) if r.action == "update"][0]
    reverted = call(
        "/api/initiatives/{initiative_id}/revert/{revision_id}",
        "POST",
        200,
        path_parameters={"initiative_id": iid, "revision_id": update.id},
        query={"version": 2},
    )
    assert reverted["status"] == "active"
    call("/api/initiatives/{initiative_id}", "DELETE", 204, path_parameters={"initiative_id": iid}, query={"version": 3})
    call("/api/review/{initiative_id}", "POST", 200, path_parameters={"initiative_id": PROPOSED["id"]}, body={"action": "accept", "version": 1})
    call("/api/review/{initiative_id}", "POST", 409, path_parameters={"initiative_id": PROPOSED["id"]}, body={"action": "reject", "version": 2})
    call("/api/initiatives/{initiative_id}", "PATCH", 409, path_parameters={"initiative_id": SAMPLE[0]["id"]}, body={"version": 7})
    call("/api/review", "GET", 200)


# ------------------------------------------------------------------ a real `migmap serve` over loopback
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`migmap serve` on a free loopback port over the sample data: its base URL and its log file."""
    folder = tmp_path_factory.mktemp("fuzz-serve")
    env = sample_site(f"sqlite:///{folder / 'site.db'}", "fuzz-test-secret", editor=False)
    log = folder / "serve.log"
    with serving(env, "--log-level", "warning", log=log) as base:
        yield base, log


@pytest.mark.slow
def test_reads_over_http(served, subtests):
    """The read operations against `migmap serve`: uvicorn, real sockets, the schema it serves.

    (Built with ``@given`` per operation: ``schemathesis.pytest.from_fixture`` needs pytest's
    ``Node._nodeid``, which pytest 9.2 no longer has.)
    """
    server, log = served
    schema = with_hooks(schemathesis.openapi.from_url(server + "/api/openapi.json", timeout=10))
    assert schema.raw_schema == SCHEMA.raw_schema
    for result in schema.include(method="GET").get_all_operations():
        operation = result.ok()
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if operation.query or operation.path_parameters else [])

        @OVER_HTTP
        @given(case=st.one_of(*(operation.as_strategy(mode) for mode in modes)))
        def fuzz(case):
            case.call_and_validate(base_url=server, checks=CHECKS, timeout=30)

        with subtests.test(operation=operation.label):
            fuzz()
    assert "Traceback" not in log.read_text(), log.read_text()
