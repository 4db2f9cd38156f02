"""The in-memory tag index agrees with plain SQL on any filter, and never answers stale.

The reference counts are SQL: the repository's filter compiler (the path list pages use)
gives the slice, and GROUP BY statements written here count it.
"""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from migmap import Database
from migmap.domain.filters import TAG_FILTERS, Filters
from migmap.framework import load_framework
from migmap.query.index import TagIndex
from migmap.store import index_source
from tests.conftest import DATA, record

FW = load_framework()
COUNTRIES = ["DEU", "KEN", "JOR", "MEX", "PHL", "SEN", "TUR", "USA", "UGA", "COL", "NPL", "FJI"]


def random_record(rng: random.Random, i: int) -> dict:
    def some(dim: str, lo: int = 1, hi: int = 3) -> list[str]:
        return rng.sample(FW.codes(dim), rng.randint(lo, min(hi, len(FW.codes(dim)))))

    stages = some("stages", 1, 2)
    start = rng.choice([None, *range(1998, 2026)])
    status = rng.choice(["active", "ended", "unknown"])
    end = None if status != "ended" or start is None else rng.randint(start, 2026)
    modalities = some("modalities", 1, 2)
    partners = [] if modalities == ["private_only"] else some("public_partners", 1, 2)
    if "private_only" in modalities and partners:
        modalities = [m for m in modalities if m != "private_only"] or ["core_business_partnership"]
    return record(
        name=f"Generated initiative {i} {rng.choice(['water', 'housing', 'jobs', 'remittance'])}",
        lead_actor=f"Company {i % 17}",
        actor_type=rng.choice(FW.codes("actor_type")),
        sector=rng.choice(FW.codes("sector")),
        stages=stages,
        contributions=some("contributions"),
        business_roles=some("business_roles", 1, 2),
        migrant_groups=some("migrant_groups"),
        modalities=modalities,
        public_partners=partners,
        themes=some("themes"),
        goals=some("goals", 1, 2),
        countries=[{"code": c, "role": rng.choice(["origin", "transit", "destination"])} for c in rng.sample(COUNTRIES, rng.randint(1, 3))],
        start_year=start,
        end_year=end,
        status=status,
        return_type=rng.choice(["voluntary", "forced"]) if "return_reintegration" in stages else None,
        last_verified=rng.choice([None, "2024-05-01", "2025-11-30", "2026-02-14"]),
    )


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def mapped(request, tmp_path_factory):
    """A database with the sample and 160 random initiatives (some proposed), and its index."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('index') / 'migmap.db'}"
    else:
        from tests.conftest import PG_URL, _pg_admin_engine, postgres_available

        ok, why = postgres_available()
        if not ok:
            pytest.skip(why)
        name = f"migmap_index_{random.randrange(10**8)}"
        admin = _pg_admin_engine()
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        from sqlalchemy.engine import make_url

        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        request.addfinalizer(lambda: _drop(admin, name))
    db = Database(url, user="tester")
    db.init(bundled=False)
    assert db.import_files([DATA / "sample.yaml"]).ok
    rng = random.Random(20261207)
    for i in range(160):
        db.add(random_record(rng, i), curation_state="proposed" if i % 9 == 0 else "published")
    yield db
    db.close()


def _drop(admin, name: str) -> None:
    with admin.connect() as c:
        c.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


def sql_slice(db: Database, f: Filters) -> list[str]:
    with db.reading() as repo:
        return sorted(repo.session.execute(repo.filtered(f)).scalars())


def sql_crosstab(db: Database, rows: str, cols: str, ids: list[str]) -> dict[tuple[str, str], int]:
    if not ids:
        return {}
    with db.reading() as repo:
        out = {}
        for start in range(0, len(ids), 400):
            chunk = ids[start : start + 400]
            marks = ",".join(f":i{k}" for k in range(len(chunk)))
            stmt = text(
                "SELECT a.code, b.code, COUNT(*) FROM initiative_tags a JOIN initiative_tags b ON a.initiative_id = b.initiative_id "
                f"WHERE a.dimension = :r AND b.dimension = :c AND a.initiative_id IN ({marks}) GROUP BY a.code, b.code"
            )
            params = {"r": rows, "c": cols, **{f"i{k}": v for k, v in enumerate(chunk)}}
            for a, b, n in repo.session.execute(stmt, params):
                out[(a, b)] = out.get((a, b), 0) + int(n)
        return out


def sql_margin(db: Database, dim: str, ids: list[str]) -> dict[str, int]:
    pairs = sql_crosstab(db, dim, dim, ids)
    return {a: n for (a, b), n in pairs.items() if a == b}


def _codes_of(field: str):
    return st.lists(st.sampled_from(FW.codes(TAG_FILTERS[field])), min_size=1, max_size=3, unique=True)


tag_filter = st.sampled_from(sorted(TAG_FILTERS)).flatmap(lambda f: st.tuples(st.just(f), _codes_of(f)))
filters_strategy = st.builds(
    lambda tags, countries, regions, year, status, states, word: Filters.model_validate(
        {
            **dict(tags),
            "countries": countries,
            "regions": regions,
            "year": year,
            "status": status,
            "curation_state": states,
            "text": word,
        }
    ),
    st.lists(tag_filter, max_size=3, unique_by=lambda t: t[0]),
    st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True),
    st.lists(st.sampled_from(["western_africa", "europe", "americas", "middle_east", "oceania"]), max_size=1),
    st.one_of(st.none(), st.integers(1995, 2027)),
    st.lists(st.sampled_from(["active", "ended", "unknown"]), max_size=2, unique=True),
    st.sampled_from([["published"], ["published", "proposed"], ["proposed"]]),
    st.one_of(st.none(), st.sampled_from(["water", "housing", "jobs", "refugees", "nothingmatches"])),
)
dimension = st.sampled_from(FW.names)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=filters_strategy, rows=dimension, cols=dimension)
def test_index_counts_agree_with_sql_on_random_filters(mapped, f, rows, cols):
    index = mapped.index()
    ids = sql_slice(mapped, f)
    sel = index.select(f, mapped.text_ids)
    assert index.ids_of(sel) == ids
    pairs, row_totals, col_totals, total = index.crosstab(rows, cols, f, mapped.text_ids)
    assert total == len(ids)
    assert pairs == sql_crosstab(mapped, rows, cols, ids)
    assert row_totals == sql_margin(mapped, rows, ids)
    assert col_totals == sql_margin(mapped, cols, ids)
    assert index.tag_counts(rows, f, mapped.text_ids) == sql_margin(mapped, rows, ids)


def test_cell_ids_and_the_other_counts_agree_with_sql(mapped):
    f = Filters(migrant_groups=["refugees_asylum", "labour_migrants"])
    index = mapped.index()
    ids = sql_slice(mapped, f)
    cells = index.crosstab_ids("stages", "themes", f)
    assert {k: len(v) for k, v in cells.items()} == sql_crosstab(mapped, "stages", "themes", ids)
    for (stage, theme), members in cells.items():
        for iid in members[:3]:
            item = mapped.get(iid)
            assert stage in item.stages and theme in item.themes
    with mapped.reading() as repo:
        years = dict(repo.session.execute(text("SELECT start_year, COUNT(*) FROM initiatives WHERE curation_state = 'published' GROUP BY start_year")).all())
    assert index.starts_per_year() == {y: n for y, n in years.items()}
    funding_only = [i for i in mapped.iterate() if i.contributions == ["funding"]]
    overall = index.funding_only_counts(("stages", "start_year"))["all"]["all"]
    assert overall == (mapped.count(), len(funding_only))


def test_writes_of_this_process_show_at_once(db):
    first = db.index()
    assert len(first) == 0
    item = db.add(record(name="First", stages=["arrival"]))
    assert db.index().count(Filters(stages=["arrival"])) == 1
    db.update(item.id, {"version": item.version, "stages": ["transit"]})
    assert db.index().count(Filters(stages=["arrival"])) == 0
    assert db.index().count(Filters(stages=["transit"])) == 1
    db.delete(item.id, item.version + 1)
    assert db.index().count() == 0
    assert db.index() is first  # patched in place, not rebuilt


def test_a_patched_index_equals_a_fresh_one_after_many_changes(db):
    rng = random.Random(5)
    items = [db.add(random_record(rng, i)) for i in range(40)]
    db.index()
    for item in items[:25]:  # more than a quarter changes: the index compacts itself
        db.update(item.id, {"version": item.version, "themes": ["health"], "stages": ["return_reintegration"], "return_type": "voluntary"})
    for item in items[25:30]:
        db.delete(item.id, item.version)
    patched = db.index()
    newest, parts = index_source.read_all(db.engine, db.url)
    fresh = TagIndex.build(parts, newest)
    assert patched.stamp == fresh.stamp
    assert len(patched) == len(fresh) == 35
    for rows, cols in [("stages", "themes"), ("actor_type", "sector"), ("countries_free", None)][:2]:
        assert patched.crosstab(rows, cols) == fresh.crosstab(rows, cols)
    assert patched.count(Filters(countries=["DEU", "KEN"])) == fresh.count(Filters(countries=["DEU", "KEN"]))


def test_a_write_by_another_process_is_never_missed(db_url, tmp_path):
    """Process A holds an index; process B adds and edits initiatives; A's next answers include them."""
    a = Database(db_url, user="a")
    a.init(bundled=False)
    a.add(record(name="Seen by both", stages=["arrival"]))
    assert a.index().count(Filters(stages=["arrival"])) == 1
    writer = textwrap.dedent(
        f"""
        from migmap import Database
        from tests.conftest import record
        b = Database({db_url!r}, user="b")
        for i in range(3):
            b.add(record(name=f"Written by B {{i}}", stages=["return_reintegration"], return_type="forced"))
        item = b.list(text="Seen")[0]
        b.update(item.id, {{"version": item.version, "stages": ["transit"]}})
        """
    )
    subprocess.run([sys.executable, "-c", writer], check=True, cwd=str(DATA.parent.parent))
    index = a.index()
    assert index.count(Filters(stages=["return_reintegration"])) == 3
    assert index.count(Filters(stages=["arrival"])) == 0
    assert index.count(Filters(stages=["transit"])) == 1
    assert a.index().crosstab("stages", "return_type" if "return_type" in FW.names else "actor_type")[3] == 4
    a.close()


def test_a_kept_index_is_reused_and_brought_up_to_date(tmp_path, monkeypatch):
    """A large map's index is written to the index folder; the next run loads it and applies later writes."""
    from migmap.config import Settings
    from migmap.store import index_source as source

    monkeypatch.setattr(source, "PARALLEL_FROM", 10)  # 'large' for this test
    url = f"sqlite:///{tmp_path / 'big.db'}"
    settings = Settings(database_url=url, index_dir=str(tmp_path / "kept"))
    rng = random.Random(9)
    with Database(url, settings=settings) as first:
        first.init(bundled=False)
        for i in range(12):
            first.add(random_record(rng, i))
        before = first.index().crosstab("stages", "sector")
    kept = list((tmp_path / "kept").glob("*.npz"))
    assert len(kept) == 1
    with Database(url, settings=settings) as writer:
        writer.add(random_record(rng, 99) | {"stages": ["transit"], "return_type": None})
    with Database(url, settings=settings) as second:
        loaded = TagIndex.load(kept[0], second.url)
        assert loaded is not None and len(loaded) == 12 and loaded.crosstab("stages", "sector") == before
        index = second.index()
        assert len(index) == 13
        assert index.crosstab("stages", "sector") == TagIndex.build(source.read_all(second.engine, second.url)[1]).crosstab("stages", "sector")
    assert TagIndex.load(kept[0], "sqlite:///another.db") is None  # kept for one map only
    kept[0].write_bytes(b"damaged")
    assert TagIndex.load(kept[0], url) is None


def test_first_ids_are_the_first_of_the_slice_in_id_order(mapped):
    f = Filters(stages=["long_term", "arrival"])
    index = mapped.index()
    assert index.first_ids(f, 7) == sql_slice(mapped, f)[:7]
    with mapped.reading() as repo:
        assert index.first_ids(f, 7) == repo.query_ids(f, order="id", limit=7)
