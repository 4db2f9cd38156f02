"""The tag index: every initiative's codes and the few columns the analyses need, in memory.

One row per initiative (its *position*), one small integer per dimension: the number of the
initiative's *combination* of codes in that dimension (``stages`` {arrival, long_term} is one
combination). Each dimension keeps a table of its combinations as bit masks over the
framework's codes, so that

* a filter on a dimension is one look-up per initiative (``wanted[combo]``),
* a cross-tab of two dimensions is one ``bincount`` of combination pairs, expanded to codes
  by two small matrix products (``B_rows.T @ joint @ B_cols``).

The database stays the source of truth. :meth:`TagIndex.apply` takes the current state of
changed initiatives (a :class:`Columns` batch) and replaces their rows: old rows are marked
dead, new ones appended, and the index compacts itself when a quarter of it is dead.

>>> from migmap.domain.filters import Filters
>>> cols = Columns.of(ids=["a", "b"], state=["published", "published"], status=["active", "unknown"],
...                start_year=[2019, None], end_year=[None, None], last_verified=[None, None],
...                tags={"stages": [["arrival"], ["arrival", "transit"]], "actor_type": [["sme"], ["multinational"]]},
...                countries=[("a", "DEU")])
>>> index = TagIndex.build(cols, stamp=1)
>>> index.count(Filters(stages=["transit"]))
1
>>> index.crosstab("stages", "actor_type")[0][("arrival", "sme")]
1
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from migmap.domain.countries import countries_in_region
from migmap.domain.filters import Filters
from migmap.framework import framework_text, load_framework

#: Ids of the initiatives matching a text query (the database's full-text search).
TextSearch = Callable[[str], Iterable[str]]

_NO_YEAR = 0
_NO_DATE = 0
#: Selections (filter masks) kept per index until it changes.
SELECTIONS_KEPT = 64


def _table(size: int, wanted: Iterable[int]) -> np.ndarray:
    """A look-up table of ``size`` + 1 booleans, True at ``wanted`` (the last, for -1 = unknown, False)."""
    table = np.zeros(size + 1, dtype=bool)
    table[list(wanted)] = True
    return table


@dataclass
class Columns:
    """The state of some initiatives as read from the database, column by column.

    Tags come numbered: per dimension, each initiative's *key* (its codes, sorted, joined
    by ``,``) is given as a number into that dimension's ``keys`` list, so that a million
    initiatives cross process boundaries and enter the index as arrays, not lists of lists.
    """

    ids: list[str]
    #: each column as a list of values, or already as the index's numbers (see :func:`numbered`)
    state: list[str] | np.ndarray
    status: list[str] | np.ndarray
    start_year: list[int | None] | np.ndarray
    end_year: list[int | None] | np.ndarray
    last_verified: list[dt.date | str | int | None] | np.ndarray
    #: dimension -> (number of each initiative's key, the keys)
    tags: dict[str, tuple[np.ndarray, list[str]]] = field(default_factory=dict)
    #: (initiative id, country code) pairs
    countries: list[tuple[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, ids: list[str], tags: dict[str, list[list[str]]], **columns: Any) -> Columns:
        """Columns from plain lists of codes per initiative (small batches and tests)."""
        numbered = {}
        for dim, lists in tags.items():
            number: dict[str, int] = {}
            combo = np.array([number.setdefault(",".join(sorted(codes)), len(number)) for codes in lists], dtype=np.int32)
            numbered[dim] = (combo, list(number))
        return cls(ids=ids, tags=numbered, **columns)


def numbered(values: Sequence[str] | np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Values as their numbers in ``names`` (-1 for a value not there); arrays pass through."""
    if isinstance(values, np.ndarray):
        return values.astype(np.int8)
    number = {s: i for i, s in enumerate(names)}
    return np.array([number.get(s, -1) for s in values], dtype=np.int8)


def years(values: Sequence[int | None] | np.ndarray) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(np.int16)
    return np.array([y or _NO_YEAR for y in values], dtype=np.int16)


def days(values: Sequence[dt.date | str | int | None] | np.ndarray) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(np.int32)
    return np.array([_day(d) for d in values], dtype=np.int32)


def _day(value: dt.date | str | int | None) -> int:
    if value is None or value == "":
        return _NO_DATE
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.toordinal()


class _Dimension:
    """The combinations of one dimension's codes, and each initiative's combination number."""

    def __init__(self, codes: Sequence[str]):
        self.codes = list(codes)
        self.bit = {c: 1 << i for i, c in enumerate(self.codes)}
        self.masks: list[int] = [0]  # combination 0: no code
        self.number: dict[int, int] = {0: 0}
        self.combo = np.zeros(0, dtype=np.int32)
        self._bits: np.ndarray | None = None

    def renumber(self, combo: np.ndarray, keys: Sequence[str]) -> np.ndarray:
        """Local key numbers -> this dimension's combination numbers (new combinations added)."""
        table = np.empty(max(len(keys), 1), dtype=np.int32)
        for i, key in enumerate(keys):
            m = 0
            for c in key.split(","):
                m |= self.bit.get(c, 0)  # a code the framework no longer has counts nowhere
            k = self.number.get(m)
            if k is None:
                k = self.number[m] = len(self.masks)
                self.masks.append(m)
                self._bits = None
            table[i] = k
        return table[combo] if len(combo) else np.zeros(0, dtype=np.int32)

    @property
    def bits(self) -> np.ndarray:
        """(combinations x codes) 0/1 matrix: which codes each combination holds."""
        if self._bits is None or self._bits.shape[0] != len(self.masks):
            m = np.array(self.masks, dtype=np.uint64)[:, None]
            shifts = np.arange(len(self.codes), dtype=np.uint64)[None, :]
            self._bits = ((m >> shifts) & np.uint64(1)).astype(np.int64)
        return self._bits

    def wanted(self, codes: Iterable[str]) -> np.ndarray:
        """Per combination: does it hold any of ``codes``?"""
        want = 0
        for c in codes:
            want |= self.bit.get(c, 0)
        return (np.array(self.masks, dtype=np.uint64) & np.uint64(want)) != 0

    def exactly(self, code: str) -> np.ndarray:
        """Per combination: is ``code`` its one and only code?"""
        return np.array(self.masks, dtype=np.uint64) == np.uint64(self.bit.get(code, 0) or 1 << 63)


class TagIndex:
    """Codes and analysis columns of every initiative, for counting and cross-tabulating slices."""

    def __init__(self, stamp: int | None = None):
        fw = load_framework()
        self.stamp = stamp
        self.dims = {d.code: _Dimension(d.codes) for d in fw.dimensions}
        self.states = list(fw.codes("curation_state"))
        self.statuses = list(fw.codes("status"))
        self.ids = np.zeros(0, dtype=object)
        self.alive = np.zeros(0, dtype=bool)
        self.state = np.zeros(0, dtype=np.int8)
        self.status = np.zeros(0, dtype=np.int8)
        self.start_year = np.zeros(0, dtype=np.int16)
        self.end_year = np.zeros(0, dtype=np.int16)
        self.last_verified = np.zeros(0, dtype=np.int32)
        self.country_codes: list[str] = []
        self._country_number: dict[str, int] = {}
        self.country_pos = np.zeros(0, dtype=np.int32)
        self.country_code = np.zeros(0, dtype=np.int16)
        #: rows [0, _sorted_n) are in id order; later rows (written since) are found in _recent
        self._sorted_n = 0
        self._recent: dict[str, int] = {}
        self._selections: dict[str, np.ndarray] = {}

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, columns: Columns | Iterable[Columns], stamp: int | None = None) -> TagIndex:
        """An index of one batch of columns, or of several (the parts of a parallel read), in order."""
        index = cls(stamp)
        for part in [columns] if isinstance(columns, Columns) else columns:
            index._append(part, recent=False)  # _sort() below puts every row in id order
        index._sort()
        return index

    def __len__(self) -> int:
        """Initiatives in the index (every curation state)."""
        return int(self.alive.sum())

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (ids' strings not counted)."""
        arrays = [self.ids, self.alive, self.state, self.status, self.start_year, self.end_year, self.last_verified, self.country_pos, self.country_code]
        return sum(a.nbytes for a in arrays) + sum(d.combo.nbytes for d in self.dims.values())

    def _append(self, c: Columns, recent: bool = True) -> None:
        self._selections.clear()
        n0, m = len(self.ids), len(c)
        self.ids = np.concatenate([self.ids, np.array(c.ids, dtype=object)])
        self.alive = np.concatenate([self.alive, np.ones(m, dtype=bool)])
        self.state = np.concatenate([self.state, numbered(c.state, self.states)])
        self.status = np.concatenate([self.status, numbered(c.status, self.statuses)])
        self.start_year = np.concatenate([self.start_year, years(c.start_year)])
        self.end_year = np.concatenate([self.end_year, years(c.end_year)])
        self.last_verified = np.concatenate([self.last_verified, days(c.last_verified)])
        none = (np.zeros(m, dtype=np.int32), [""])
        for name, dim in self.dims.items():
            combo, keys = c.tags.get(name, none)
            dim.combo = np.concatenate([dim.combo, dim.renumber(combo, keys)])
        if recent:
            self._recent.update({iid: n0 + i for i, iid in enumerate(c.ids)})
        if c.countries:
            batch = {iid: n0 + i for i, iid in enumerate(c.ids)}
            pos = np.fromiter((batch[iid] for iid, _ in c.countries), dtype=np.int32, count=len(c.countries))
            code = np.fromiter((self._country(code) for _, code in c.countries), dtype=np.int16, count=len(c.countries))
            self.country_pos = np.concatenate([self.country_pos, pos])
            self.country_code = np.concatenate([self.country_code, code])

    def _country(self, code: str) -> int:
        k = self._country_number.get(code)
        if k is None:
            k = self._country_number[code] = len(self.country_codes)
            self.country_codes.append(code)
        return k

    def apply(self, changed: Columns, removed: Iterable[str] = (), stamp: int | None = None) -> None:
        """Replace the rows of ``changed`` initiatives by their new state, drop ``removed`` ones."""
        gone = [*changed.ids, *removed]
        self._selections.clear()
        self.alive[self.positions(gone)] = False
        for iid in gone:
            self._recent.pop(iid, None)
        self._append(changed)
        self.stamp = stamp
        if (~self.alive).sum() * 4 > len(self.alive):
            self._compact()
        if len(self._recent) * 10 > len(self.alive) + 1000:
            self._sort()

    def _compact(self) -> None:
        self._selections.clear()
        keep = np.flatnonzero(self.alive)
        new_pos = np.full(len(self.alive), -1, dtype=np.int64)
        new_pos[keep] = np.arange(len(keep))
        for name in ("ids", "alive", "state", "status", "start_year", "end_year", "last_verified"):
            setattr(self, name, getattr(self, name)[keep])
        for dim in self.dims.values():
            dim.combo = dim.combo[keep]
        moved = new_pos[self.country_pos]
        ok = moved >= 0
        self.country_pos, self.country_code = moved[ok].astype(np.int32), self.country_code[ok]
        self._sorted_n = int((keep < self._sorted_n).sum())
        self._recent = {iid: self._sorted_n + i for i, iid in enumerate(self.ids[self._sorted_n :].tolist())}

    def _sort(self) -> None:
        """Put every row in id order, so that ids are found by binary search."""
        n = len(self.ids)
        self._selections.clear()
        if n and not (self.ids[:-1] < self.ids[1:]).all():
            order = np.argsort(self.ids, kind="stable")
            new_pos = np.empty(n, dtype=np.int64)
            new_pos[order] = np.arange(n)
            for name in ("ids", "alive", "state", "status", "start_year", "end_year", "last_verified"):
                setattr(self, name, getattr(self, name)[order])
            for dim in self.dims.values():
                dim.combo = dim.combo[order]
            self.country_pos = new_pos[self.country_pos].astype(np.int32)
        self._sorted_n, self._recent = n, {}

    # ------------------------------------------------------------------ keeping
    _ARRAYS = ("alive", "state", "status", "start_year", "end_year", "last_verified", "country_pos", "country_code")

    def save(self, path: str | os.PathLike[str], about: str) -> None:
        """Write the index to one ``.npz`` file (written aside, then renamed: never half a file)."""
        meta = {
            "stamp": self.stamp,
            "about": about,
            "framework": _framework_digest(),
            "countries": self.country_codes,
            "dims": {name: d.masks for name, d in self.dims.items()},
            "sorted": self._sorted_n,
        }
        arrays = {name: getattr(self, name) for name in self._ARRAYS}
        arrays.update({f"combo_{name}": d.combo for name, d in self.dims.items()})
        ids = "\n".join(self.ids.tolist()).encode("utf-8")
        tmp = f"{os.fspath(path)}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            np.savez(fh, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8), ids=np.frombuffer(ids, dtype=np.uint8), **arrays)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str], about: str) -> TagIndex | None:
        """The index kept in ``path``, or None when it is missing, damaged, or of another map or framework."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(data["meta"].tobytes().decode("utf-8"))
                if meta.get("about") != about or meta.get("framework") != _framework_digest():
                    return None
                index = cls(meta["stamp"])
                if set(meta["dims"]) != set(index.dims):
                    return None
                raw = data["ids"].tobytes().decode("utf-8")
                index.ids = np.array(raw.split("\n") if raw else [], dtype=object)
                for name in cls._ARRAYS:
                    setattr(index, name, data[name])
                for name, d in index.dims.items():
                    d.masks = list(meta["dims"][name])
                    d.number = {m: k for k, m in enumerate(d.masks)}
                    d.combo = data[f"combo_{name}"]
        except (OSError, ValueError, KeyError, json.JSONDecodeError):
            return None
        index.country_codes = list(meta["countries"])
        index._country_number = {c: k for k, c in enumerate(index.country_codes)}
        index._sorted_n = int(meta["sorted"])
        later = index._sorted_n + np.flatnonzero(index.alive[index._sorted_n :])
        index._recent = dict(zip(index.ids[later].tolist(), later.tolist()))
        return index

    def positions(self, ids: Iterable[str]) -> np.ndarray:
        """Rows of the (living) initiatives ``ids``; unknown ids are left out."""
        wanted = np.array(list(ids), dtype=object)
        if not len(wanted):
            return np.zeros(0, dtype=np.int64)
        head = self.ids[: self._sorted_n]
        at = np.searchsorted(head, wanted) if len(head) else np.zeros(len(wanted), dtype=np.int64)
        inside = at < len(head)
        found = np.zeros(len(wanted), dtype=bool)
        found[inside] = head[at[inside]] == wanted[inside]
        found[found] = self.alive[at[found]]
        rows = [int(p) for p in at[found]]
        rows += [p for p in (self._recent.get(i) for i in wanted[~found].tolist()) if p is not None]
        return np.array(rows, dtype=np.int64)

    # ------------------------------------------------------------------ selecting
    def select(self, filters: Filters | None = None, text_search: TextSearch | None = None) -> np.ndarray:
        """Boolean mask of the initiatives in the slice (the one compiler from filters to rows).

        The last :data:`SELECTIONS_KEPT` masks are kept until the index changes (read-only arrays),
        since a page or a brief asks for the same slice several times."""
        f = filters or Filters()
        key = f.model_dump_json()
        sel = self._selections.get(key)
        if sel is None:
            sel = self._select(f, text_search)
            sel.flags.writeable = False
            self._selections[key] = sel
            while len(self._selections) > SELECTIONS_KEPT:
                self._selections.pop(next(iter(self._selections)))
        return sel

    def _select(self, f: Filters, text_search: TextSearch | None) -> np.ndarray:
        sel = self.alive.copy()
        if f.curation_state:
            sel &= _table(len(self.states), [self.states.index(s) for s in f.curation_state])[self.state]
        for dim, codes in f.tag_filters().items():
            d = self.dims[dim]
            sel &= d.wanted(codes)[d.combo]
        if f.countries or f.regions:
            wanted = set(f.countries)
            for region in f.regions:
                wanted |= countries_in_region(region)
            numbers = [self._country_number[c] for c in wanted if c in self._country_number]
            here = np.zeros(len(sel), dtype=bool)
            here[self.country_pos[_table(len(self.country_codes), numbers)[self.country_code]]] = True
            sel &= here
        if f.year:
            sel &= (self.start_year != _NO_YEAR) & (self.start_year <= f.year)
            sel &= (self.end_year == _NO_YEAR) | (self.end_year >= f.year)
        if f.status:
            sel &= _table(len(self.statuses), [self.statuses.index(s) for s in f.status])[self.status]
        if f.text:
            if text_search is None:
                raise ValueError("a text filter needs the database's full-text search (text_search)")
            hits = np.zeros(len(sel), dtype=bool)
            hits[self.positions(text_search(f.text))] = True
            sel &= hits
        return sel

    def ids_of(self, sel: np.ndarray) -> list[str]:
        return sorted(self.ids[sel].tolist())

    def first_ids(self, filters: Filters | None = None, limit: int = 20, text_search: TextSearch | None = None) -> list[str]:
        """The first ``limit`` ids of the slice in id order (a bounded sample, e.g. of evidence)."""
        rows = np.flatnonzero(self.select(filters, text_search))
        head = rows[rows < self._sorted_n][:limit]  # already in id order
        later = rows[rows >= self._sorted_n]
        return sorted([*self.ids[head].tolist(), *self.ids[later].tolist()])[:limit]

    # ------------------------------------------------------------------ counting
    def count(self, filters: Filters | None = None, text_search: TextSearch | None = None) -> int:
        return int(self.select(filters, text_search).sum())

    def _per_code(self, dim: str, sel: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        d = self.dims[dim]
        per_combo = np.bincount(d.combo[sel], weights=None if weights is None else weights[sel], minlength=len(d.masks))
        return per_combo.astype(np.int64) @ d.bits

    def margin(self, dim: str, sel: np.ndarray) -> dict[str, int]:
        """Initiatives per code of ``dim`` within the selection (codes with none left out)."""
        counts = self._per_code(dim, sel)
        return {c: int(k) for c, k in zip(self.dims[dim].codes, counts) if k}

    def tag_counts(self, dim: str, filters: Filters | None = None, text_search: TextSearch | None = None) -> dict[str, int]:
        return self.margin(dim, self.select(filters, text_search))

    def crosstab(
        self, rows: str, cols: str, filters: Filters | None = None, text_search: TextSearch | None = None, sel: np.ndarray | None = None
    ) -> tuple[dict[tuple[str, str], int], dict[str, int], dict[str, int], int]:
        """Pair counts, row totals, column totals and the slice total (distinct initiatives)."""
        if sel is None:
            sel = self.select(filters, text_search)
        r, c = self.dims[rows], self.dims[cols]
        cr, cc = r.combo[sel].astype(np.int64), c.combo[sel]
        kr, kc = len(r.masks), len(c.masks)
        joint = np.bincount(cr * kc + cc, minlength=kr * kc).reshape(kr, kc)
        pairs = r.bits.T @ joint @ c.bits
        row_totals = joint.sum(axis=1) @ r.bits
        col_totals = joint.sum(axis=0) @ c.bits
        out = {(a, b): int(pairs[i, j]) for i, a in enumerate(r.codes) for j, b in enumerate(c.codes) if pairs[i, j]}
        rt = {a: int(k) for a, k in zip(r.codes, row_totals) if k}
        ct = {b: int(k) for b, k in zip(c.codes, col_totals) if k}
        return out, rt, ct, int(sel.sum())

    def crosstab_ids(self, rows: str, cols: str, filters: Filters | None = None, text_search: TextSearch | None = None) -> dict[tuple[str, str], list[str]]:
        """(row code, column code) -> sorted ids of the initiatives in that cell."""
        sel = self.select(filters, text_search)
        r, c = self.dims[rows], self.dims[cols]
        out: dict[tuple[str, str], list[str]] = {}
        for i, a in enumerate(r.codes):
            in_row = sel & r.bits[:, i].astype(bool)[r.combo]
            if not in_row.any():
                continue
            where = np.flatnonzero(in_row)
            ccombo = c.combo[where]
            for j, b in enumerate(c.codes):
                hit = where[c.bits[:, j].astype(bool)[ccombo]]
                if len(hit):
                    out[(a, b)] = sorted(self.ids[hit].tolist())
        return out

    def funding_only_counts(
        self, dimensions: Sequence[str], filters: Filters | None = None, text_search: TextSearch | None = None
    ) -> dict[str, dict[Any, tuple[int, int]]]:
        """(initiatives, of which funding-only) overall (``"all"``), per code of each dimension, per start year."""
        sel = self.select(filters, text_search)
        contrib = self.dims["contributions"]
        fo = contrib.exactly("funding")[contrib.combo].astype(np.int64)
        out: dict[str, dict[Any, tuple[int, int]]] = {"all": {"all": (int(sel.sum()), int(fo[sel].sum()))}}
        for dim in dimensions:
            if dim == "start_year":
                dated = sel & (self.start_year != _NO_YEAR)
                years = self.start_year[dated].astype(np.int64)
                n = np.bincount(years)
                k = np.bincount(years, weights=fo[dated])
                out[dim] = {int(y): (int(n[y]), int(k[y])) for y in np.flatnonzero(n)}
            else:
                n = self._per_code(dim, sel)
                k = self._per_code(dim, sel, weights=fo.astype(np.float64)).round().astype(np.int64)
                out[dim] = {c: (int(a), int(b)) for c, a, b in zip(self.dims[dim].codes, n, k) if a}
        return out

    def verification(self, filters: Filters | None = None, text_search: TextSearch | None = None) -> dict[str, Any]:
        """How many records of the slice were verified, and the oldest and newest verification dates."""
        sel = self.select(filters, text_search)
        days = self.last_verified[sel]
        days = days[days != _NO_DATE]
        return {
            "total": int(sel.sum()),
            "verified": len(days),
            "oldest": dt.date.fromordinal(int(days.min())) if len(days) else None,
            "newest": dt.date.fromordinal(int(days.max())) if len(days) else None,
        }

    def starts_by_year(self, dimension: str = "stages", filters: Filters | None = None, text_search: TextSearch | None = None) -> dict[tuple[int, str], int]:
        """(start year, code of ``dimension``) -> initiatives of the slice started that year."""
        sel = self.select(filters, text_search) & (self.start_year != _NO_YEAR)
        d = self.dims[dimension]
        years = self.start_year[sel].astype(np.int64)
        if not len(years):
            return {}
        y0, k = int(years.min()), len(d.masks)
        joint = np.bincount((years - y0) * k + d.combo[sel], minlength=(int(years.max()) - y0 + 1) * k).reshape(-1, k)
        per_code = joint @ d.bits
        return {(y0 + int(y), d.codes[j]): int(per_code[y, j]) for y, j in zip(*np.nonzero(per_code))}

    def starts_per_year(self, filters: Filters | None = None, text_search: TextSearch | None = None) -> dict[int | None, int]:
        """Start year (None for undated) -> initiatives of the slice."""
        sel = self.select(filters, text_search)
        years = self.start_year[sel]
        n = np.bincount(years.astype(np.int64)) if len(years) else np.zeros(1, dtype=np.int64)
        out: dict[int | None, int] = {int(y): int(n[y]) for y in np.flatnonzero(n) if y != _NO_YEAR}
        if len(n) and n[_NO_YEAR]:
            out[None] = int(n[_NO_YEAR])
        return out


def _framework_digest() -> str:
    return hashlib.sha256(framework_text().encode("utf-8")).hexdigest()[:16]


__all__ = ["Columns", "TagIndex"]
