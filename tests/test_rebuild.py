"""pipeline/rebuild.py, in process: what a whole build holds, and what an incremental one rebuilds, keeps or refuses.

Every document is written to a cache in tmp_path as a result made by hand (`parse.write_results`, as a document
that could not be read is), the last run's outputs are written to an out folder in tmp_path, and every expected
row, slug, scope, tag and verdict is written here from the rules in rebuild.py's docstrings and the contract (a
change rebuilds its credentials from all their sources; an old group leaves; a listing, too many documents,
keys that meet, entangled groups or outputs that do not read back give a whole build: None), never computed by
pipeline code. The tests of whole extractions (test_incremental.py) hold the agreement with a cold run.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import pytest
from pyarrow import parquet

import pipeline.workers
from pipeline import rebuild
from pipeline.cache import BrokenPart, Facts, LastRun, Store
from pipeline.compare.changes import Touched
from pipeline.parse import DocumentResult, write_results
from pipeline.tables import build, validate
from pipeline.tables.rows import CredentialRows, Source
from schemas.tables import CHILD_TABLES

Y = "2024-2025"
US = "\x1f"  # between a group's school year and slug


def _group(slug: str, year: str = Y) -> str:
    return f"{year}{US}{slug}"


def _cred(path: str, slug: str, cred_id: int | None, name: str | None = None, block: int = 1, **columns):
    """A credential as read from `path` (its format from the folder), its slug as found."""
    fmt = path.split("/")[1]
    credential = {
        "school_year": Y,
        "cred_id": cred_id,
        "credential_slug": slug,
        "credential_name": name or slug.title(),
        "is_draft": False,
        "source_format": fmt,
        "complete": True,
        "source_path": path,
        "source_sha256": "a" * 64,
        "lifespan_years": None,
        "exam_minutes": None,
        **columns,
    }
    children = {table: [] for table in CHILD_TABLES}
    return CredentialRows(credential, children, Source(path, None, "a" * 64, fmt, Y, False, cred_id), None, block)


LISTING = f"{Y}/pdf/credentials_by_course.pdf"


def _course(code: str, slug: str, path: str = LISTING) -> dict:
    return {
        "school_year": Y,
        "course_code": code,
        "course_title": None,
        "credential_name": slug.title(),
        "credential_slug": slug,
        "federal_reporting": None,
        "source_path": path,
    }


LABEL_COLUMNS = ("school_year", "source_path", "block", "credential_slug", "label", "label_raw", "value", "position")


def _labels(path: str, *rows: tuple) -> dict[str, list]:
    """A document's label/value columns: rows of (block, slug, label, value, position)."""
    return {
        "school_year": [Y] * len(rows),
        "source_path": [path] * len(rows),
        "block": [row[0] for row in rows],
        "credential_slug": [row[1] for row in rows],
        "label": [row[2] for row in rows],
        "label_raw": [row[2] for row in rows],
        "value": [row[3] for row in rows],
        "position": [row[4] for row in rows],
    }


class World:
    """A cache of documents made by hand, their keys, and an out folder for the last run's outputs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "cache").mkdir(parents=True, exist_ok=True)
        self.store = Store(root / "cache")
        self.out = root / "out"
        self.keys: dict[str, str] = {}

    def put(self, path: str, *credentials, version: int = 1, course=(), labels=None, unreadable=None) -> str:
        """A document (a new version of it, when `version` is new) written to the cache as its own file."""
        key = f"{path}#{version}"
        result = DocumentResult(path, list(credentials), labels or {}, list(course), unreadable)
        write_results(self.store, [(key, result)])
        self.keys[path] = key
        return key

    def file_of(self, path: str) -> Path:
        return self.store.folder / self.store._where[self.keys[path]][0]

    def facts(self) -> dict[str, Facts]:
        return {path: self.store.facts[key] for path, key in self.keys.items()}

    def last_run(self) -> LastRun:
        """A whole build of the documents now, written to out/parquet as the last run's outputs."""
        job = rebuild.whole(dict(self.keys), self.store)
        (self.out / "parquet").mkdir(parents=True, exist_ok=True)
        for name, data in job.tables.items():
            table = validate.as_table(name, build.untagged(data))
            parquet.write_table(table, self.out / "parquet" / f"{name}.parquet")
        tags = {name: build.tags_table(data) for name, data in job.tables.items()}
        return LastRun(dict(self.keys), job.collisions, tags, job.renamed)

    def incremental(self, last: LastRun) -> rebuild.Job | None:
        return rebuild.incremental(last, dict(self.keys), self.facts(), self.store, self.out)


def _rows(data: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in row) for row in data[list(columns)].itertuples(index=False)]


def _credentials(job: rebuild.Job) -> list[tuple]:
    return _rows(job.tables["credentials"], "school_year", "credential_slug", "cred_id", "lifespan_years")


A, A_TEXT, B, C, D = (f"{Y}/html/credential_1.html", f"{Y}/text/credential_1.txt", f"{Y}/html/credential_2.html",
                      f"{Y}/html/credential_3.html", f"{Y}/html/credential_4.html")  # fmt: skip
E = f"{Y}/html/credential_6.html"


def _five(world: World) -> None:
    """alpha from two sources (html 5 years, text 6), beta (3 years, an exam time rejected), delta, the listing."""
    world.put(A, _cred(A, "alpha", 1, lifespan_years=5.0))
    world.put(A_TEXT, _cred(A_TEXT, "alpha", 1, lifespan_years=6.0))
    world.put(B, _cred(B, "beta", 2, lifespan_years=3.0, exam_minutes=0))
    world.put(C, _cred(C, "delta", 3, lifespan_years=2.0))
    world.put(LISTING, course=[_course("CS01", "alpha"), _course("BB02", "beta")])


# --- whole: every document's rows, a set of groups at a time -------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2], ids=["here", "two processes"])
@pytest.mark.parametrize("documents_a_set", [1, 2, 1500], ids=["one document a set", "two", "all in one set"])
def test_a_whole_build_holds_every_documents_rows_whatever_the_sets(tmp_path, monkeypatch, documents_a_set, workers):
    """Rule: a whole build merges every group from all its sources, keeps the listing's rows and the rejects,
    sorted by key, tagged with their group (typed rows) or document (listing rows), whatever the sets and
    wherever they are built."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", documents_a_set)
    world = World(tmp_path)
    _five(world)
    world.put(D, unreadable="an empty page")
    world.put(E, _cred(E, "aaa", 6, credential_name=""))  # its row rejected: the rows after it keep their numbers
    job = rebuild.whole(dict(world.keys), world.store, workers)
    assert (job.scope, job.entangled, job.collisions, job.renamed, job.touched) == ("everything", False, {}, {}, None)
    assert _credentials(job) == [(Y, "alpha", 1, 5.0), (Y, "beta", 2, 3.0), (Y, "delta", 3, 2.0)]
    assert _rows(job.tables["credentials"], build.DOC, build.GROUP) == [
        (None, _group("alpha")),
        (None, _group("beta")),
        (None, _group("delta")),
    ]
    assert _rows(job.tables["conflicts"], "credential_slug", "column", "chosen_source", "other_source") == [
        ("alpha", "lifespan_years", A, A_TEXT)
    ]
    assert _rows(job.tables["course_credentials"], "course_code", "credential_slug", build.DOC, build.GROUP) == [
        ("BB02", "beta", LISTING, None),
        ("CS01", "alpha", LISTING, None),
    ]
    assert _rows(job.tables["rejects"], "table", "column", "check", "source_path", build.GROUP) == [
        ("credentials", "credential_name", "str_length(1, None)", E, _group("aaa")),
        ("credentials", "exam_minutes", "greater_than_or_equal_to(1)", B, _group("beta")),
    ]
    assert list(job.tables) == list(build.TYPED)
    assert list(job.tables["credentials"].columns) == [*validate.table_schema("credentials").names, *build.TAGS]


def test_a_whole_build_of_documents_with_no_credential_and_no_listing(tmp_path):
    """Rule: documents of no group are read too (a set of no group, then theirs): empty tables, no error."""
    world = World(tmp_path)
    world.put(A, unreadable="an empty page")
    job = rebuild.whole(dict(world.keys), world.store)
    assert {name: len(data) for name, data in job.tables.items()} == {name: 0 for name in build.TYPED}


@pytest.mark.parametrize("workers", [1, 2], ids=["here", "two processes"])
@pytest.mark.parametrize("documents_a_set", [1, 1500], ids=["one document a set", "all in one set"])
def test_a_collision_renames_each_credential_to_slug_and_cred_id(tmp_path, monkeypatch, documents_a_set, workers):
    """Rule: two credentials of one year whose names give one slug become <slug>-<cred_id>; the collision's note
    and the renamed blocks are the group's."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", documents_a_set)
    world = World(tmp_path)
    world.put(A, _cred(A, "gamma", 7, lifespan_years=1.0))
    world.put(B, _cred(B, "gamma", 8, lifespan_years=2.0))
    world.put(C, _cred(C, "zeta", 9, lifespan_years=4.0))
    job = rebuild.whole(dict(world.keys), world.store, workers)
    assert _credentials(job) == [(Y, "gamma-7", 7, 1.0), (Y, "gamma-8", 8, 2.0), (Y, "zeta", 9, 4.0)]
    assert list(job.collisions) == [_group("gamma")] and len(job.collisions[_group("gamma")]) == 1
    assert job.renamed == {_group("gamma"): {f"{A}{US}1": "gamma-7", f"{B}{US}1": "gamma-8"}}
    assert not job.entangled


@pytest.mark.parametrize("workers", [1, 2], ids=["here", "two processes"])
@pytest.mark.parametrize("documents_a_set", [1, 1500], ids=["one document a set", "all in one set"])
def test_a_renamed_slug_that_is_another_credentials_own_builds_everything_at_once(
    tmp_path, monkeypatch, documents_a_set, workers
):
    """Rule: when a collision's renamed slug is another group's own slug, the groups meet: built at once, the
    job says entangled, and the two rows of one slug are merged as one credential."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", documents_a_set)
    world = World(tmp_path)
    world.put(A, _cred(A, "gamma", 7, lifespan_years=1.0))
    world.put(B, _cred(B, "gamma", 8, lifespan_years=2.0))
    world.put(C, _cred(C, "gamma-7", 9, lifespan_years=4.0))
    job = rebuild.whole(dict(world.keys), world.store, workers)
    assert job.entangled and job.scope == "everything"
    assert [row[1] for row in _credentials(job)] == ["gamma-7", "gamma-8"]
    assert job.renamed == {_group("gamma"): {f"{A}{US}1": "gamma-7", f"{B}{US}1": "gamma-8"}}
    assert list(job.collisions) == [_group("gamma")]


def test_a_build_of_everything_at_once_keeps_the_rejects_and_the_page_texts(tmp_path):
    """Rule: built at once (entangled), the build is the whole one: the rejected value with its page's text
    (the label row followed to its renamed slug) and the label/value rows' rejects."""
    world = World(tmp_path)
    labels = _labels(A, (1, "gamma", "Exam Time Allotment", "none", 1), (1, "gamma", "Credential Name", "Gamma", 0))
    world.put(A, _cred(A, "gamma", 7, exam_minutes=0), labels=labels)
    world.put(B, _cred(B, "gamma", 8))
    world.put(C, _cred(C, "gamma-7", 9))
    job = rebuild.whole(dict(world.keys), world.store)
    assert job.entangled
    assert [row[1:] for row in _credentials(job)] == [("gamma-7", 7, None), ("gamma-8", 8, None)]
    assert _rows(job.tables["rejects"], "table", "column", "page_text", "source_path") == [
        ("credentials", "exam_minutes", "none", A),
        ("label_values", "position", None, A),
    ]


def test_label_rejects_kept_with_a_documents_facts_are_beside_the_others(tmp_path):
    """Rule: the rejects of every document's label/value rows (validated where it was parsed) join the typed
    rows' rejects, with the document's tags."""
    world = World(tmp_path)
    world.put(A, _cred(A, "alpha", 1), labels=_labels(A, (1, "alpha", "Credential Name", "Alpha", 0)))
    job = rebuild.whole(dict(world.keys), world.store)
    assert _rows(job.tables["rejects"], "table", "column", "check", "source_path", build.DOC, build.GROUP) == [
        ("label_values", "position", "greater_than_or_equal_to(1)", A, A, _group("alpha"))
    ]


@pytest.mark.parametrize("documents_a_set", [1, 1500], ids=["one document a set", "all in one set"])
def test_a_rejected_value_gets_the_pages_own_text_for_its_label(tmp_path, monkeypatch, documents_a_set):
    """Rule: a reject of a value read from a label shows the page's text for that label, read from the label/value
    rows of the documents built (in a whole build, those of the reject's set)."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", documents_a_set)
    world = World(tmp_path)
    world.put(A, _cred(A, "alpha", 1), labels=_labels(A, (1, "alpha", "Exam Time Allotment", "90 minutes", 1)))
    world.put(B, _cred(B, "beta", 2, exam_minutes=0), labels=_labels(B, (1, "beta", "Exam Time Allotment", "none", 1)))
    job = rebuild.whole(dict(world.keys), world.store)
    assert _rows(job.tables["rejects"], "column", "failure_case", "page_text") == [("exam_minutes", "0", "none")]
    world.put(C, _cred(C, "delta", 3), labels=_labels(C, (1, "delta", "Exam Time Allotment", "none", 1)))
    world.put(D, _cred(D, "epsilon", 4))
    last = world.last_run()
    world.put(
        C,
        _cred(C, "delta", 3, exam_minutes=0),
        version=2,
        labels=_labels(C, (1, "delta", "Exam Time Allotment", "zero", 1)),
    )
    job = world.incremental(last)
    assert _rows(job.tables["rejects"], "source_path", "page_text") == [
        (B, "none"),
        (C, "zero"),
    ]


RUST = f"{Y}/text/credential_5.txt"


@pytest.mark.parametrize("workers", [1, 2], ids=["here", "two processes"])
@pytest.mark.parametrize("how", ["a set at a time", "entangled, at once"])
@pytest.mark.parametrize("damage", ["bytes that are no Parquet", "another result file"])
def test_a_cache_file_that_does_not_read_back_stops_the_build_naming_it(tmp_path, monkeypatch, how, damage, workers):
    """Rule: a cached result that does not read back (its file damaged, or replaced by a file without it) is never
    left out nor built from what remains: the build raises BrokenPart naming the file, and the run parses its
    documents again (test_extract, test_containment_state). Entangled: the groups of the first set of 3 meet,
    and the damaged document, of a later set, is first read when everything is read at once."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", 3 if how == "entangled, at once" else 1)
    world = World(tmp_path)
    entangled = how == "entangled, at once"
    world.put(A, _cred(A, "gamma" if entangled else "alpha", 7))
    world.put(C, _cred(C, "gamma-7" if entangled else "delta", 9))
    world.put(B, _cred(B, "gamma" if entangled else "beta", 8))
    world.put(RUST, _cred(RUST, "rust-certified-programmer", 5, lifespan_years=9.0))
    damaged = world.file_of(RUST)
    damaged.write_bytes(b"not parquet" if damage.startswith("bytes") else world.file_of(B).read_bytes())
    with pytest.raises(BrokenPart) as raised:
        rebuild.whole(dict(world.keys), world.store, workers)
    assert raised.value.name == damaged.name


_RECORDING: dict = {}  # what `_recorded` needs (a module's function: the pool pickles it by name)


def _recorded(task):
    import os

    if task[0] == _RECORDING["dies"] and os.getpid() != _RECORDING["here"]:
        os._exit(9)  # as the OOM killer would
    with _RECORDING["log"].open("a") as handle:
        handle.write(f"{task[0]} {'here' if os.getpid() == _RECORDING['here'] else 'pool'}\n")
    return _RECORDING["real"](task)


def _recording_builds(monkeypatch, tmp_path: Path, dies: int | None = None) -> Path:
    """`_build_set` made to write which process builds each set (and to kill a pool process given set `dies`)."""
    import os

    log = tmp_path / "built-by"
    monkeypatch.setitem(_RECORDING, "log", log)
    monkeypatch.setitem(_RECORDING, "dies", dies)
    monkeypatch.setitem(_RECORDING, "here", os.getpid())
    monkeypatch.setitem(_RECORDING, "real", rebuild._build_set)
    monkeypatch.setattr(rebuild, "_build_set", _recorded)
    return log


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")  # the pool's own thread fails
@pytest.mark.parametrize(
    ("workers", "dies", "built_by"),
    [
        (2, None, {"here", "pool"}),  # the pool takes sets from the first, this process from the last
        (1, None, {"here"}),
        (2, 1, {"here", "pool"}),  # set 1's process dies: it and the sets not returned are built here
    ],
)
def test_sets_are_built_on_forked_processes_and_those_of_a_dead_process_here(
    tmp_path, monkeypatch, workers, dies, built_by
):
    """Rule: with two workers or more the sets are built on a pool process and here at once; a pool process that
    dies (killed, out of memory) costs no set: the sets not returned are built here. The tables are the same
    either way."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", 1)
    world = World(tmp_path / "world")
    _five(world)
    log = _recording_builds(monkeypatch, tmp_path, dies)
    job = rebuild.whole(dict(world.keys), world.store, workers)
    assert _credentials(job) == [(Y, "alpha", 1, 5.0), (Y, "beta", 2, 3.0), (Y, "delta", 3, 2.0)]
    assert _rows(job.tables["course_credentials"], "course_code", "credential_slug") == [
        ("BB02", "beta"),
        ("CS01", "alpha"),
    ]
    built = [line.split() for line in log.read_text().splitlines()]
    assert {by for _, by in built} == built_by
    assert sorted(number for number, _ in built) == ["0", "1", "2", "3"]  # alpha, beta, delta, the listing's: once
    if workers == 2:
        assert ["0", "pool"] in built and ["3", "here"] in built
    if dies is not None:
        assert ["1", "here"] in built and ["1", "pool"] not in built


_SCRIPT: dict = {}  # what `_scripted` needs: the log, this process's pid, the real `_build_set`, what to wait for


def _waited_for(line: str) -> None:
    import time

    for _ in range(200):  # 10 s at most: a build that never writes the line goes on, and its test fails
        if line in _SCRIPT["log"].read_text().splitlines():
            return
        time.sleep(0.05)


def _scripted(task):
    """`_build_set` that writes "<set> <where>" when it starts a set, then waits for the line `waits` names for
    it (in a pool process, or here), and kills a pool process given set `dies` (as the OOM killer would)."""
    import os

    where = "here" if os.getpid() == _SCRIPT["here"] else "pool"
    with _SCRIPT["log"].open("a") as handle:
        handle.write(f"{task[0]} {where}\n")
    if (task[0], where) in _SCRIPT["waits"]:
        _waited_for(_SCRIPT["waits"][task[0], where])
    if task[0] == _SCRIPT["dies"] and where == "pool":
        os._exit(9)
    return _SCRIPT["real"](task)


def _started(parent: int) -> None:
    import os

    with _SCRIPT["log"].open("a") as handle:
        handle.write(f"started {os.getpid()} {parent}\n")
    _SCRIPT["start"](parent)


def _scripted_builds(monkeypatch, tmp_path: Path, waits: dict, dies: int | None = None) -> Path:
    import os

    log = tmp_path / "built-by"
    log.write_text("")
    for key, value in {"log": log, "here": os.getpid(), "real": rebuild._build_set, "waits": waits, "dies": dies,
                       "start": pipeline.workers.start}.items():  # fmt: skip
        monkeypatch.setitem(_SCRIPT, key, value)
    monkeypatch.setattr(rebuild, "_build_set", _scripted)
    return log


def _credentials_apart(world: World, count: int) -> dict[str, int]:
    """`count` credentials, each its own group (one document a set): set n is credential s10n's (the set after
    them, of no group, is empty)."""
    for number in range(100, 100 + count):
        path = f"{Y}/html/credential_{number}.html"
        world.put(path, _cred(path, f"s{number}", number))
    return {f"s{number}": number for number in range(100, 100 + count)}


def test_while_the_pools_first_set_is_built_this_process_builds_every_set_the_pool_has_not_started(
    tmp_path, monkeypatch
):
    """Rule: while the pool's first set is not back, this process builds the sets the pool has not started, from
    the last down, each once (a pool of one process holds the set it builds and the next, or the next two)."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", 1)
    world = World(tmp_path / "world")
    slugs = _credentials_apart(world, 8)
    log = _scripted_builds(monkeypatch, tmp_path, {(0, "pool"): "3 here"})  # set 0 is back once set 3 is built
    job = rebuild.whole(dict(world.keys), world.store, 2)
    assert [(row[1], row[2]) for row in _credentials(job)] == sorted(slugs.items())
    built = [line.split() for line in log.read_text().splitlines()]
    here = [number for number, where in built if where == "here"]
    assert here in (["8", "7", "6", "5", "4", "3"], ["8", "7", "6", "5", "4", "3", "2"])  # 8: of no group, empty
    assert [number for number, where in built if where == "pool"] == ["0", "1", "2"][: 9 - len(here)]


@pytest.mark.parametrize(
    ("workers", "given", "here"),
    [
        (2, ["0", "1"], ["8", "7", "6", "5", "4", "3", "2"]),  # one pool process: two sets given out
        (3, ["0", "1", "2", "3"], ["8", "7", "6", "5", "4"]),  # two: four
    ],
    ids=["a pool of one", "a pool of two"],
)
def test_the_pool_is_given_two_sets_a_process_at_a_time_and_this_process_builds_all_the_others(
    tmp_path, monkeypatch, workers, given, here
):
    """Rule: the pool is given at most two sets for each of its processes at a time (one it builds, one that waits),
    from the first on; while the first is not back this process builds every set not given out, from the last down.
    The pool's set 0 is held until this process starts the last set not given out: so no more can be given."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", 1)
    world = World(tmp_path / "world")
    slugs = _credentials_apart(world, 8)  # sets 0-7, and 8 of no group
    log = _scripted_builds(monkeypatch, tmp_path, {(0, "pool"): f"{here[-1]} here"})
    job = rebuild.whole(dict(world.keys), world.store, workers)
    assert [(row[1], row[2]) for row in _credentials(job)] == sorted(slugs.items())
    built = [line.split() for line in log.read_text().splitlines()]
    assert [number for number, where in built if where == "here"] == here
    assert sorted(number for number, where in built if where == "pool") == given


def test_a_pool_process_that_dies_after_two_sets_came_back_costs_only_the_sets_not_back(tmp_path, monkeypatch):
    """Rule: when a pool process dies, the sets that came back are kept and those that did not are built here,
    each once (the tables as if nothing had died)."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", 1)
    world = World(tmp_path / "world")
    slugs = _credentials_apart(world, 3)
    # this process's first set (3, of no group) is done once the pool has started set 2, on which it dies: 0 and 1
    # came back
    log = _scripted_builds(monkeypatch, tmp_path, {(3, "here"): "2 pool"}, dies=2)
    job = rebuild.whole(dict(world.keys), world.store, 2)
    assert [(row[1], row[2]) for row in _credentials(job)] == sorted(slugs.items())
    built = [line.split() for line in log.read_text().splitlines()]
    assert sorted(built) == [["0", "pool"], ["1", "pool"], ["2", "here"], ["2", "pool"], ["3", "here"]]


def test_a_whole_build_given_no_workers_builds_every_set_here(tmp_path, monkeypatch):
    """Rule: one worker by default: no pool, every set built in this process, in order."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", 1)
    world = World(tmp_path / "world")
    _five(world)
    log = _scripted_builds(monkeypatch, tmp_path, {})
    monkeypatch.setattr(rebuild, "_whole_at_once", lambda *_: pytest.fail("no set is entangled: nothing at once"))
    job = rebuild.whole(dict(world.keys), world.store)
    assert _credentials(job) == [(Y, "alpha", 1, 5.0), (Y, "beta", 2, 3.0), (Y, "delta", 3, 2.0)]
    assert log.read_text().splitlines() == ["0 here", "1 here", "2 here", "3 here"]


def test_two_sets_and_two_workers_are_a_pool_and_this_process(tmp_path, monkeypatch):
    """Rule: two sets are enough for a pool: the first is the pool's."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", 1)
    world = World(tmp_path / "world")
    slugs = _credentials_apart(world, 1)  # set 0, s100's, and set 1, of no group
    log = _scripted_builds(monkeypatch, tmp_path, {})
    job = rebuild.whole(dict(world.keys), world.store, 2)
    assert [(row[1], row[2]) for row in _credentials(job)] == sorted(slugs.items())
    assert "0 pool" in log.read_text().splitlines()


def test_the_pool_forks_and_starts_each_process_as_a_worker_whatever_the_default_start_method(tmp_path, monkeypatch):
    """Rule: the pool's processes are forked (they inherit the store and the spill folder), whatever start method
    the program set, and each starts as a worker of this process (pipeline.workers.start, given this pid)."""
    import multiprocessing
    import os

    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", 1)
    world = World(tmp_path / "world")
    _five(world)
    log = _scripted_builds(monkeypatch, tmp_path, {})
    monkeypatch.setattr("pipeline.workers.start", _started)
    default = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method("spawn", force=True)
    try:
        job = rebuild.whole(dict(world.keys), world.store, 2)
    finally:
        multiprocessing.set_start_method(default, force=True)
    assert _credentials(job) == [(Y, "alpha", 1, 5.0), (Y, "beta", 2, 3.0), (Y, "delta", 3, 2.0)]
    started = [line.split() for line in log.read_text().splitlines() if line.startswith("started")]
    assert len(started) == 1 and started[0][1] != str(os.getpid()) and started[0][2] == str(os.getpid())


def test_a_set_that_is_entangled_stops_the_pool_and_everything_is_built_at_once(tmp_path, monkeypatch):
    """Rule: a set whose groups meet another's is built at once with everything; the sets after it not yet given
    out are not built (the few the pool was given are waited for, not cancelled)."""
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", 3)  # the first set holds gamma and gamma-7
    world = World(tmp_path / "world")
    world.put(A, _cred(A, "gamma", 7))
    world.put(B, _cred(B, "gamma", 8))
    world.put(C, _cred(C, "gamma-7", 9))
    for number in range(100, 140):
        path = f"{Y}/html/credential_{number}.html"
        world.put(path, _cred(path, f"s{number}", number))
    log = _recording_builds(monkeypatch, tmp_path)
    job = rebuild.whole(dict(world.keys), world.store, 2)
    assert job.entangled and [row[1] for row in _credentials(job)][:2] == ["gamma-7", "gamma-8"]
    assert len(job.tables["credentials"]) == 42
    assert len(log.read_text().splitlines()) < 8  # of 15 sets: those under way when the first came back


# --- the pieces of a whole build ------------------------------------------------------------------------------


def _facts(path: str, *groups: str) -> Facts:
    return Facts(path, path, groups, False, None, (), ())


@pytest.mark.parametrize(
    ("documents", "stored", "a_set", "expected"),
    [
        # groups taken as their documents are stored, a set closed once it reaches the count; documents in the
        # keys' order
        (
            [("d1", ("b",)), ("d2", ("a",)), ("d3", ("a", "c")), ("d4", ())],
            None,
            2,
            [(["d1", "d2", "d3"], {"a", "b"}), (["d3"], {"c"}), (["d4"], None)],
        ),
        # stored the other way round: the sets follow the stored order, not the keys' nor the groups' names
        (
            [("d1", ("b",)), ("d2", ("a",)), ("d3", ("a", "c")), ("d4", ())],
            ["d4", "d3", "d2", "d1"],
            2,
            [(["d2", "d3"], {"a", "c"}), (["d1"], {"b"}), (["d4"], None)],
        ),
        (
            [("d1", ("b",)), ("d2", ("a",)), ("d3", ("a", "c")), ("d4", ())],
            None,
            1,
            [(["d1"], {"b"}), (["d2", "d3"], {"a"}), (["d3"], {"c"}), (["d4"], None)],
        ),
        # a group is taken once, with all its documents, wherever they are stored
        (
            [("d1", ("a",)), ("d2", ("b",)), ("d3", ("a",))],
            None,
            2,
            [(["d1", "d3"], {"a"}), (["d2"], {"b"})],
        ),
        # the keys' order, not the paths' (a set closed inside the walk, and the last one)
        ([("d2", ("a",)), ("d1", ("a",)), ("d0", ("b",))], None, 2, [(["d2", "d1"], {"a"}), (["d0"], {"b"})]),
        ([("d2", ("a",)), ("d1", ("a",))], None, 5, [(["d2", "d1"], {"a"})]),
        # a set of no document still comes when nothing else does: the tables exist
        ([], None, 2, [([], set())]),
        # only documents of no group: their set alone
        ([("d1", ()), ("d2", ())], None, 2, [(["d1", "d2"], None)]),
        # the last set, short of the count, before the documents of no group
        ([("d1", ("a",)), ("d2", ())], None, 5, [(["d1"], {"a"}), (["d2"], None)]),
    ],
)
def test_sets_of_groups_and_then_the_documents_of_none(monkeypatch, documents, stored, a_set, expected):
    monkeypatch.setattr(rebuild, "_SET_DOCUMENTS", a_set)
    keys = {path: f"k{path}" for path, _ in documents}
    stored = stored or list(keys)
    store = SimpleNamespace(
        facts={f"k{path}": _facts(path, *groups) for path, groups in documents},
        positions=lambda: {f"k{path}": (0, row) for row, path in enumerate(stored)},
    )
    assert list(rebuild._sets(keys, store)) == expected


def _written(*rows: tuple) -> pa.Table:
    return rebuild._written({(year, slug): group for year, slug, group in rows})


def test_written_slugs_as_a_table():
    table = _written(("2024-2025", "a", "g1"), (None, "b", "g2"))
    assert table.to_pydict() == {"school_year": ["2024-2025", None], "slug": ["a", "b"], "group": ["g1", "g2"]}
    assert table.schema == pa.schema([("school_year", pa.string()), ("slug", pa.string()), ("group", pa.string())])
    assert _written().num_rows == 0 and _written().schema.names == ["school_year", "slug", "group"]


@pytest.mark.parametrize(
    ("sets", "meet"),
    [
        ([[("y", "a", "g1")], [("y", "b", "g2")]], False),
        ([[("y", "a", "g1")], [("y", "a", "g2")]], True),  # one slug as written, two groups
        ([[("y", "a", "g1")], [("x", "a", "g2")]], False),  # another year
        ([[("y", "a", "g1")], [("y", "a", "g1")]], False),  # one group twice
        ([[("y", "a", "g1"), ("y", "b", "g1")], [("y", "c", "g2"), ("y", "b", "g3")]], True),
        ([[], []], False),
    ],
)
def test_two_sets_meet_when_a_slug_as_written_is_of_two_groups(sets, meet):
    assert rebuild._meet([_written(*rows) for rows in sets]) is meet


def test_spilled_tables_read_back_every_set_in_order_as_the_first_sets_types():
    with rebuild._Spilled() as parts:
        folder = Path(parts._folder.name)
        assert folder.name.startswith("nccte-sets-")
        # rows left of a validated table keep their numbers (5, 7): never a column of their own
        first = pd.DataFrame({"n": pd.Series([1, 2], dtype="Int64", index=[5, 7])})
        parts.add(10, {"t": pd.DataFrame({"n": pd.Series([9], dtype="Int64")})})  # sets in order of number, not text
        parts.add(2, {"t": pd.DataFrame({"n": pd.Series([3], dtype="Int32")})})  # read as the first set's type
        parts.add(0, {"t": first, "u": pd.DataFrame({"s": ["x"]})})
        parts.add(10, {"t": pd.DataFrame({"n": pd.Series([4], dtype="Int64")})})  # built again: replaces the first
        assert sorted(path.name for path in folder.iterdir()) == ["0-t.arrow", "0-u.arrow", "10-t.arrow", "2-t.arrow"]
        read = parts.read("t")
        assert read.to_pydict() == {"n": [1, 2, 3, 4]} and read.schema.field("n").type == pa.int64()
        assert parts.read("u").to_pydict() == {"s": ["x"]}
    assert not folder.exists()


@pytest.mark.parametrize(
    ("cred_id", "known"), [(None, False), (pd.NA, False), (0, True), (1230, True)], ids=["None", "NA", "0", "1230"]
)
def test_a_cred_id_is_known_unless_null(cred_id, known):
    assert rebuild._known(cred_id) is known


@pytest.mark.parametrize(
    ("dropped", "kept"),
    [
        ([False, False, False, False], [0, 1, 2, 3]),
        ([True, False, False, False], [1, 2, 3]),
        ([False, True, True, False], [0, 3]),
        ([False, False, False, True], [0, 1, 2]),
        ([True, False, True, False], [1, 3]),
        ([True, True, True, True], []),
    ],
)
@pytest.mark.parametrize("few", [256, 0, 1], ids=["slices", "filtered", "one slice at most"])
def test_the_rows_not_dropped_in_order(monkeypatch, dropped, kept, few):
    monkeypatch.setattr(build, "FEW_RUNS", few)
    data = pa.table({"n": [0, 1, 2, 3], "s": ["a", "b", "c", "d"]})
    result = rebuild._without(data, pa.chunked_array([dropped]))
    assert result.to_pydict() == {"n": kept, "s": ["abcd"[n] for n in kept]}
    assert result.schema == data.schema


def test_rejects_of_typed_rows_apart_from_those_of_label_values():
    data = pa.table({"table": ["credentials", "label_values", "conflicts"], "check": ["a", "b", "c"]})
    tags = pa.table({build.DOC: ["d1", "d2", "d3"], build.GROUP: ["g1", "g2", "g3"]})
    typed, typed_tags = rebuild._typed_rejects(data, tags)
    assert typed.to_pydict() == {"table": ["credentials", "conflicts"], "check": ["a", "c"]}
    assert typed_tags.to_pydict() == {build.DOC: ["d1", "d3"], build.GROUP: ["g1", "g3"]}


@pytest.mark.parametrize(
    ("paths", "order"),
    [
        (["b.txt", "a.txt", "B.txt"], ["B.txt", "a.txt", "b.txt"]),  # bytes: upper case first
        (["é.txt", "e.txt", "z.txt"], ["e.txt", "z.txt", "é.txt"]),
    ],
)
def test_label_values_come_in_path_order_by_bytes_with_renamed_slugs(tmp_path, paths, order):
    """Rule: label_values is every document's valid rows in path order (as Arrow orders text, by UTF-8 bytes),
    block and position as kept, each following its credential's slug when a collision renamed it."""
    world = World(tmp_path)
    for path in paths:
        rows = ((1, "s", "Credential Name", f"{path} 1", 1), (2, "s", "Credential Name", f"{path} 2", 1))
        world.put(path, labels=_labels(path, *rows))
    renamed = {_group("s"): {f"{order[0]}{US}2": "s-2"}}
    job = rebuild.Job({}, {}, False, "everything", renamed)
    batches = list(rebuild.label_batches(job, dict(world.keys), world.store))
    columns = ("source_path", "block", "credential_slug")
    got = [row for batch in batches for row in zip(*(batch[c].to_pylist() for c in columns), strict=True)]
    expected = [(path, block, "s-2" if (path, block) == (order[0], 2) else "s") for path in order for block in (1, 2)]
    assert got == expected


def test_label_batches_ask_the_cache_for_every_document_in_path_order_by_bytes():
    """Rule: documents in path order as Arrow orders text (UTF-8 bytes), a name that is not UTF-8 (a lone
    surrogate, as Python reads such a file name) ordered by its bytes too, never refused."""
    asked = []

    def batches(keys, schema, rows):
        asked.append((keys, schema, rows))
        yield pa.table({"source_path": ["p"], "block": pa.array([2], pa.int64()), "credential_slug": ["s"]})

    keys = {"z.txt": "kz", "\udcff.txt": "ks", "\ue000.txt": "ke", "A.txt": "kA"}
    job = rebuild.Job({}, {}, False, "everything", {_group("s"): {f"p{US}2": "s-2"}})
    found = list(rebuild.label_batches(job, keys, SimpleNamespace(label_batches=batches)))
    assert asked == [(["kA", "kz", "ks", "ke"], rebuild._LABELS, 50_000)]
    assert [batch.to_pydict() for batch in found] == [{"source_path": ["p"], "block": [2], "credential_slug": ["s-2"]}]


def test_label_batches_of_about_fifty_thousand_rows(tmp_path, monkeypatch):
    """Rule: label rows are gathered in batches of whole documents, at least _BATCH rows each (the bytes of
    label_values.parquet depend on where they end)."""
    monkeypatch.setattr(rebuild, "_BATCH", 3)
    world = World(tmp_path)
    for number in range(3):
        path = f"{Y}/text/credential_{number}.txt"
        world.put(path, labels=_labels(path, *((1, "s", "Credential Name", "v", p) for p in (1, 2))))
    job = rebuild.Job({}, {}, False, "everything", {})
    assert [batch.num_rows for batch in rebuild.label_batches(job, dict(world.keys), world.store)] == [4, 2]
    assert rebuild._BATCH == 3 and rebuild._LABELS.names == list(LABEL_COLUMNS)


def test_the_batch_size_of_label_values_is_fifty_thousand_rows():
    assert rebuild._BATCH == 50_000


# --- incremental: what a change rebuilds, what it keeps ----------------------------------------------------


def test_nothing_changed_rebuilds_nothing_and_keeps_every_row(tmp_path):
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    job = world.incremental(last)
    assert job.scope == "0 documents, 0 credentials"
    assert _credentials(job) == [(Y, "alpha", 1, 5.0), (Y, "beta", 2, 3.0), (Y, "delta", 3, 2.0)]
    assert _rows(job.tables["course_credentials"], "course_code", build.DOC) == [("BB02", LISTING), ("CS01", LISTING)]
    assert _rows(job.tables["rejects"], "column", build.GROUP) == [("exam_minutes", _group("beta"))]
    assert job.touched == Touched(world.out, set(), set())
    assert (job.entangled, job.collisions, job.renamed) == (False, {}, {})


def test_a_changed_value_rebuilds_its_credential_from_all_its_sources(tmp_path):
    """Rule: a change rebuilds the groups it touches from every document of those groups (the other source's
    value is still a conflict), and keeps the other rows."""
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    world.put(A, _cred(A, "alpha", 1, lifespan_years=7.0), version=2)
    job = world.incremental(last)
    assert job.scope == "1 documents, 1 credentials"
    assert _credentials(job) == [(Y, "alpha", 1, 7.0), (Y, "beta", 2, 3.0), (Y, "delta", 3, 2.0)]
    assert _rows(job.tables["conflicts"], "credential_slug", "column", "chosen_source", "other_source") == [
        ("alpha", "lifespan_years", A, A_TEXT)
    ]
    assert _rows(job.tables["rejects"], "column", build.GROUP) == [("exam_minutes", _group("beta"))]
    assert _rows(job.tables["credentials"], build.DOC, build.GROUP) == [
        (None, _group("alpha")),
        (None, _group("beta")),
        (None, _group("delta")),
    ]
    assert job.touched == Touched(world.out, {"alpha"}, {1})


def test_a_change_of_the_lower_ranked_source_rebuilds_from_the_better_one_too(tmp_path):
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    world.put(A_TEXT, _cred(A_TEXT, "alpha", 1, lifespan_years=8.0, exam_minutes=90), version=2)
    job = world.incremental(last)
    assert _rows(job.tables["credentials"], "credential_slug", "lifespan_years", "exam_minutes") == [
        ("alpha", 5.0, 90),
        ("beta", 3.0, None),
        ("delta", 2.0, None),
    ]
    assert _rows(job.tables["conflicts"], "credential_slug", "other_source") == [("alpha", A_TEXT)]


def test_only_the_documents_of_the_touched_groups_are_read(tmp_path, monkeypatch):
    """Rule: an incremental build reads the changed documents and the other documents of the groups they touch,
    no other (its cost is what changed)."""
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    world.put(A, _cred(A, "alpha", 1, lifespan_years=7.0), version=2)
    asked = []
    results = world.store.results

    def spy(keys):
        keys = list(keys)
        asked.append(keys)
        return results(keys)

    monkeypatch.setattr(world.store, "results", spy)
    assert world.incremental(last) is not None
    assert asked == [[f"{A}#2", f"{A_TEXT}#1"]]


def test_a_changed_document_gives_all_its_credentials_others_only_the_touched_groups(tmp_path):
    """Rule: a changed document is read whole (every credential it holds now), an unchanged one of a touched
    group gives that group's credentials only (its others are kept as they were)."""
    world = World(tmp_path)
    world.put(A, _cred(A, "alpha", 1, lifespan_years=5.0), _cred(A, "omega", 9, lifespan_years=1.0, block=2))
    world.put(B, _cred(B, "beta", 2, lifespan_years=3.0))
    world.put(C, _cred(C, "beta", 2, lifespan_years=3.0), _cred(C, "delta", 3, lifespan_years=2.0, block=2))
    world.put(f"{Y}/html/credential_4.html", _cred(f"{Y}/html/credential_4.html", "eta", 4, lifespan_years=6.0))
    last = world.last_run()
    world.put(B, _cred(B, "beta", 2, lifespan_years=3.0), _cred(B, "theta", 5, lifespan_years=8.0, block=2), version=2)
    job = world.incremental(last)
    assert job.scope == "1 documents, 2 credentials"
    assert _credentials(job) == [
        (Y, "alpha", 1, 5.0),
        (Y, "beta", 2, 3.0),
        (Y, "delta", 3, 2.0),
        (Y, "eta", 4, 6.0),
        (Y, "omega", 9, 1.0),
        (Y, "theta", 5, 8.0),
    ]
    assert job.touched == Touched(world.out, {"beta", "theta"}, {2, 5})


def test_a_deleted_documents_rows_leave_the_outputs(tmp_path):
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    del world.keys[B]
    job = world.incremental(last)
    assert job.scope == "1 documents, 1 credentials"
    assert _credentials(job) == [(Y, "alpha", 1, 5.0), (Y, "delta", 3, 2.0)]
    assert len(job.tables["rejects"]) == 0
    assert job.touched == Touched(world.out, {"beta"}, {2})


def test_a_renamed_credential_leaves_its_old_row(tmp_path):
    """Rule: the groups a change touches are those the document had before and has now."""
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    world.put(B, _cred(B, "beta-two", 2, lifespan_years=3.0), version=2)
    job = world.incremental(last)
    assert job.scope == "1 documents, 2 credentials"
    assert _credentials(job) == [(Y, "alpha", 1, 5.0), (Y, "beta-two", 2, 3.0), (Y, "delta", 3, 2.0)]
    assert len(job.tables["rejects"]) == 0
    assert job.touched == Touched(world.out, {"beta", "beta-two"}, {2})


def test_a_new_document_adds_its_rows(tmp_path):
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    world.put(D, _cred(D, "epsilon", None, lifespan_years=1.0))
    job = world.incremental(last)
    assert job.scope == "1 documents, 1 credentials"
    assert _credentials(job) == [
        (Y, "alpha", 1, 5.0),
        (Y, "beta", 2, 3.0),
        (Y, "delta", 3, 2.0),
        (Y, "epsilon", None, 1.0),
    ]
    assert job.touched == Touched(world.out, {"epsilon"}, set())


@pytest.mark.parametrize(
    "change",
    ["a listing changed", "a listing added", "the listing deleted"],
)
def test_a_listing_change_needs_a_whole_build(tmp_path, change):
    """Rule: listing rows of two documents can share a key, and which one is kept depends on both."""
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    if change == "a listing changed":
        world.put(LISTING, course=[_course("CS01", "alpha")], version=2)
    elif change == "a listing added":
        other = f"{Y}/pdf/credentials_by_course_2.pdf"
        world.put(other, course=[_course("ZZ09", "beta", other)])
    else:
        del world.keys[LISTING]
    assert world.incremental(last) is None


@pytest.mark.parametrize(("changes", "incremental"), [(1, True), (2, False)], ids=["one of five", "two of five"])
def test_more_than_a_quarter_of_the_documents_changed_needs_a_whole_build(tmp_path, changes, incremental):
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    world.put(A, _cred(A, "alpha", 1, lifespan_years=7.0), version=2)
    if changes == 2:
        world.put(B, _cred(B, "beta", 2, lifespan_years=4.0), version=2)
    assert (world.incremental(last) is not None) is incremental


def test_a_quarter_counts_the_documents_now_and_the_deleted_ones(tmp_path):
    """Two of eight: a quarter; one deleted of them makes two changed of seven, more than a quarter."""
    world = World(tmp_path)
    for number in range(8):
        path = f"{Y}/html/credential_{number + 10}.html"
        world.put(path, _cred(path, f"c{number}", number + 10))
    last = world.last_run()
    first, second = list(world.keys)[:2]
    world.put(first, _cred(first, "c0", 10, lifespan_years=1.0), version=2)
    world.put(second, _cred(second, "c1", 11, lifespan_years=1.0), version=2)
    assert world.incremental(last) is not None
    del world.keys[second]
    assert world.incremental(last) is None


@pytest.mark.parametrize("damaged", ["the changed document", "an unchanged document of a touched group"])
def test_a_result_an_incremental_build_reads_that_does_not_read_back_stops_it_naming_its_file(tmp_path, damaged):
    """Rule: as in a whole build, never left out: BrokenPart names the file, and the run parses it again."""
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    world.put(A, _cred(A, "alpha", 1, lifespan_years=7.0), version=2)
    broken = world.file_of(A if damaged == "the changed document" else A_TEXT)
    broken.write_bytes(b"not parquet")
    with pytest.raises(BrokenPart) as raised:
        world.incremental(last)
    assert raised.value.name == broken.name


@pytest.mark.parametrize(
    "damage",
    ["credentials missing", "conflicts not parquet", "a row more", "a table no run writes", "a table left out"],
)
def test_outputs_that_do_not_read_back_as_written_need_a_whole_build(tmp_path, damage):
    world = World(tmp_path)
    _five(world)
    last = world.last_run()
    folder = world.out / "parquet"
    if damage == "credentials missing":
        (folder / "credentials.parquet").unlink()
    elif damage == "conflicts not parquet":
        (folder / "conflicts.parquet").write_bytes(b"not parquet")
    elif damage == "a row more":
        table = parquet.read_table(folder / "rejects.parquet")
        parquet.write_table(pa.concat_tables([table, table]), folder / "rejects.parquet")
    elif damage == "a table no run writes":
        parquet.write_table(pa.table({"school_year": pa.array([], pa.string())}), folder / "coverage.parquet")
        last.tags["coverage"] = pa.table({build.DOC: pa.array([], pa.string()), build.GROUP: pa.array([], pa.string())})
    else:
        del last.tags["conflicts"]
    world.put(A, _cred(A, "alpha", 1, lifespan_years=7.0), version=2)
    assert world.incremental(last) is None


def test_a_new_credential_whose_slug_is_a_kept_rows_needs_a_whole_build(tmp_path):
    """Rule: a built row's key that is also a kept row's (here a collision's renamed slug, kept) is decided by
    a whole build."""
    world = World(tmp_path)
    world.put(A, _cred(A, "gamma", 7))
    world.put(B, _cred(B, "gamma", 8))
    world.put(C, _cred(C, "zeta", 9))
    last = world.last_run()
    path = f"{Y}/html/credential_4.html"
    world.put(path, _cred(path, "gamma-7", 10))
    assert world.incremental(last) is None


def test_a_change_that_entangles_two_rebuilt_groups_needs_a_whole_build(tmp_path):
    """Rule: a collision's renamed slug that another rebuilt group's own slug (both groups rebuilt) is
    entangled: a whole build."""
    world = World(tmp_path)
    g1, g2, h = A, B, C
    world.put(g1, _cred(g1, "gamma", 7))
    world.put(h, _cred(h, "gamma-8", 9))
    for number in range(6):
        path = f"{Y}/text/credential_{number + 20}.txt"
        world.put(path, _cred(path, f"pad{number}", number + 20))
    last = world.last_run()
    world.put(g2, _cred(g2, "gamma", 8))
    world.put(h, _cred(h, "gamma-8", 9, lifespan_years=1.0), version=2)
    assert world.incremental(last) is None


def test_collisions_of_groups_not_touched_are_kept_those_of_rebuilt_groups_built_again(tmp_path):
    world = World(tmp_path)
    world.put(A, _cred(A, "gamma", 7))
    world.put(B, _cred(B, "gamma", 8))
    world.put(C, _cred(C, "zeta", 9))
    world.put(D, _cred(D, "zeta", 10))
    last = world.last_run()
    notes = last.collisions[_group("gamma")]
    assert set(last.collisions) == {_group("gamma"), _group("zeta")}
    world.put(C, _cred(C, "eta", 9), version=2)  # zeta's collision undone
    job = world.incremental(last)
    assert job.collisions == {_group("gamma"): notes}
    assert job.renamed == {_group("gamma"): {f"{A}{US}1": "gamma-7", f"{B}{US}1": "gamma-8"}}
    assert [row[1] for row in _credentials(job)] == ["eta", "gamma-7", "gamma-8", "zeta"]
    world.put(C, _cred(C, "zeta", 9))  # C back as it was
    world.put(B, _cred(B, "gamma", 18), version=2)  # gamma rebuilt: its collision built again, zeta's kept
    job = world.incremental(last)
    assert set(job.collisions) == {_group("gamma"), _group("zeta")}
    assert job.collisions[_group("zeta")] == last.collisions[_group("zeta")]
    assert job.collisions[_group("gamma")] != notes and len(job.collisions[_group("gamma")]) == 1
    assert job.renamed == {
        _group("gamma"): {f"{A}{US}1": "gamma-7", f"{B}{US}1": "gamma-18"},
        _group("zeta"): {f"{C}{US}1": "zeta-9", f"{D}{US}1": "zeta-10"},
    }
    assert [row[1] for row in _credentials(job)] == ["gamma-18", "gamma-7", "zeta-10", "zeta-9"]


def test_label_rejects_are_read_from_every_documents_facts_once(tmp_path):
    """Rule: rejects of label/value rows are each document's own: the kept ones are dropped and every
    document's read again from its facts, so none is doubled or lost."""
    world = World(tmp_path)
    _five(world)
    world.put(D, _cred(D, "epsilon", 4), labels=_labels(D, (1, "epsilon", "Credential Name", "Epsilon", 0)))
    last = world.last_run()
    world.put(A, _cred(A, "alpha", 1, lifespan_years=7.0), version=2)
    job = world.incremental(last)
    assert _rows(job.tables["rejects"], "table", "column", "source_path", build.DOC, build.GROUP) == [
        ("credentials", "exam_minutes", B, None, _group("beta")),
        ("label_values", "position", D, D, _group("epsilon")),
    ]


def test_touched_reads_the_last_runs_slugs_and_cred_ids_of_the_rebuilt_groups(tmp_path):
    """Rule: the touched slugs and cred_ids are those of the rebuilt groups as written last time and as built
    now; nulls are no slug or cred_id."""
    world = World(tmp_path)
    (world.out / "parquet").mkdir(parents=True)
    written = pa.table({"credential_slug": ["a", "b-7", None], "cred_id": pa.array([1, 7, None], pa.int64())})
    parquet.write_table(written, world.out / "parquet" / "credentials.parquet")
    tags = pa.table({build.DOC: [None, None, None], build.GROUP: ["ga", "gb", None]}).cast(
        pa.schema([(build.DOC, pa.string()), (build.GROUP, pa.string())])
    )
    last = LastRun({}, {}, {"credentials": tags}, {})
    built = pd.DataFrame(
        {"credential_slug": pd.Series(["c", None], dtype="string"), "cred_id": pd.Series([3, None], dtype="Int64")}
    )
    assert rebuild._touched(world.out, last, {"gb"}, built) == Touched(world.out, {"b-7", "c"}, {7, 3})
    assert rebuild._touched(world.out, last, set(), built.iloc[:0]) == Touched(world.out, set(), set())
    last.tags["credentials"] = tags.slice(0, 2)
    assert rebuild._touched(world.out, last, {"gb"}, built) is None
    (world.out / "parquet" / "credentials.parquet").write_bytes(b"not parquet")
    last.tags["credentials"] = tags
    assert rebuild._touched(world.out, last, {"gb"}, built) is None


def test_with_label_rejects_adds_each_documents_rejects_in_key_order():
    reject = {"table": "label_values", "key": None, "column": "position", "check": "c", "failure_case": "0",
              "page_text": None, "source_path": "p", build.DOC: "p", build.GROUP: "g"}  # fmt: skip
    store = SimpleNamespace(
        facts={
            "k1": Facts("k1", "p1", (), False, None, (), (), 0, False, json.dumps([{**reject, "source_path": "p1"}])),
            "k2": Facts("k2", "p2", (), False, None, (), ()),
            "k3": Facts("k3", "p3", (), False, None, (), (), 0, False, json.dumps([{**reject, "source_path": "p3"}])),
        }
    )
    typed = build.rejects_frame([{**reject, "table": "credentials", "source_path": "p0"}])
    found = rebuild._with_label_rejects(typed, ["k3", "k2", "k1"], store)
    assert _rows(found, "table", "source_path", build.DOC) == [
        ("credentials", "p0", "p"),
        ("label_values", "p3", "p"),
        ("label_values", "p1", "p"),
    ]
    assert list(found.index) == [0, 1, 2]
    assert rebuild._with_label_rejects(typed, ["k2"], store) is typed


# --- the summary ---------------------------------------------------------------------------------------------


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, dtype="string") for name, values in columns.items()})


def test_the_summary_counts_what_the_tables_and_the_documents_hold():
    tables = {name: _frame({"x": []}) for name in build.TABLES}
    tables["credentials"] = _frame({"school_year": ["2023-2024", "2024-2025", "2024-2025", None]})
    tables["course_credentials"] = _frame(
        {"school_year": ["2023-2024"], "course_code": ["CS01"], "credential_slug": ["a"]}
    )
    tables["credential_courses"] = _frame(
        {"school_year": ["2023-2024"], "credential_slug": ["a"], "course_code": ["CS01"]}
    )
    tables["rejects"] = _frame({"x": ["1", "2"]})
    tables["conflicts"] = _frame({"x": ["1", "2", "3"]})
    facts = {
        "p1": Facts("k1", "p1", (), False, None, ("a note",), ("Mascot", "Color"), 4),
        "p2": Facts("k2", "p2", (), False, "cut", (), ("Mascot",), 3),
        "p3": Facts("k3", "p3", (), False, None, (), ()),
    }
    collisions = {"g2": ["second"], "g1": ["first", "again"]}
    summary = rebuild.summary_of(tables, collisions, facts)
    cross = summary.pop("course_cross_check")
    assert cross == validate.cross_check_courses(tables["course_credentials"], tables["credential_courses"])
    rows = summary.pop("rows")
    assert rows["label_values"] == 7 and rows["credentials"] == 4 and rows["conflicts"] == 3
    assert set(rows) == set(build.TABLES)
    assert summary == {
        "years_without_listing": ["2024-2025"],
        "documents": 3,
        "credentials": 4,
        "rejects": 2,
        "conflicts": 3,
        "slug_collisions": ["first", "again", "second"],
        "drift_labels": {"Color": 1, "Mascot": 2},
        "unreadable": {"p2": "cut"},
        "notes": {"p1": ["a note"]},
    }
    assert list(summary["drift_labels"]) == ["Color", "Mascot"]
