"""The extract cache attacked from outside, through the command line (brief CACHE_HOSTILE).

Each test writes a few credential pages by hand, runs `python -m pipeline extract --raw raw --out out
--cache cache` as a user would, then does something hostile to the cache folder between two runs, or during
a run (a hook the process installs before the command starts: it only spoils files, or makes a write fail,
at one chosen moment, so every attack is deterministic). What a user must see, whatever the cache holds:

- a broken, foreign or outdated cache only costs time: the run ends (exit 0) with the very bytes a run
  without a cache writes (every file under out/csv), and the pages' own names and values in them;
- or the run stops with a one-line error naming the file or folder and its cause (no traceback), and the
  outputs of the last good run stay as they were;
- no file stalls a run (every call has a timeout: a hang is a failure), and nothing outside the cache
  folder is read, changed or removed (a sentinel file beside it survives, byte for byte).

The 10 defects these tests found were kept as strict xfails until each was fixed (what a user saw is in
tests/mutants_triage.md's section on this file and in the commit that fixed it).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pyarrow as pa
import pytest
from pyarrow import parquet

from tests.conftest import REPO
from tests.test_containment_state import _can_drop_root_privileges, _drop_root_privileges

YEAR = "2024-2025"
WAIT = 120  # seconds: bounds a hang, never a speed
STALL = 30  # seconds: for the attacks that may stall a run (a FIFO); a run of these pages takes 2 to 5 s
NOTHING = "nothing changed since the last run"
SENTINEL = b"the user's own file, beside the cache: never read, changed or removed\n"

# number -> (credential name, lifespan), as written on each page
PAGES = {1: ("Alpha One", "5 years"), 2: ("Bravo Two", "3 years"), 3: ("Charlie Three", "4 years")}
NEW_PAGE = (4, "Delta Four", "2 years")  # added between two runs, so that the second run has work to do
EDITED_PAGE = (2, "Bravo Deux", "7 years")  # page 2 rewritten between two runs
FOREIGN_PAGES = {1: ("Foxtrot Six", "6 years"), 2: ("Golf Seven", "8 years"), 3: ("Hotel Eight", "9 years")}

RAWS = {  # what raw/ holds: the page numbers and what each says
    "three": PAGES,
    "four": {**PAGES, NEW_PAGE[0]: NEW_PAGE[1:]},
    "edited": {**PAGES, EDITED_PAGE[0]: EDITED_PAGE[1:]},
    "foreign": FOREIGN_PAGES,
}


def page(name: str, lifespan: str) -> bytes:
    """A glued-text page as the directory renders it: heading, title, then label+value lines."""
    pairs = f"Credential Name{name}\nCredential Lifespan{lifespan}\nDirectory NotesNone\n"
    return f"{YEAR} Credential Information\n\n{name}\n\n{pairs}".encode()


def write_raw(root: Path, pages: dict[int, tuple[str, str]]) -> None:
    folder = root / YEAR / "text"
    folder.mkdir(parents=True, exist_ok=True)
    for number, (name, lifespan) in pages.items():
        (folder / f"credential_{number}.txt").write_bytes(page(name, lifespan))


# --- running the command ------------------------------------------------------------------------------------

HOOKED = """
import os, sys
exec(os.environ["HOSTILE_HOOK"])
from pipeline import cli
sys.exit(cli.command())
"""


def run(home: Path, *args: str, hook: str | None = None, timeout: int = WAIT, unprivileged: bool = False):
    command = [sys.executable, "-c", HOOKED, *args] if hook else [sys.executable, "-m", "pipeline", *args]
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOSTILE_HOOK": hook or "", "HOSTILE_CACHE": str(home / "cache")}
    env.pop("NCCTE_DEBUG", None)
    try:
        return subprocess.run(
            command,
            cwd=home,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=_drop_root_privileges if unprivileged else None,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{' '.join(args)}` still running after {timeout} s: a file in the cache stalled the run")


def extract(home: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return run(home, "extract", "--raw", "raw", "--out", "out", "--cache", "cache", *extra, **kwargs)


# --- what a user sees ---------------------------------------------------------------------------------------


def csv_files(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((out / "csv").glob("*.csv"))}


def everything(folder: Path, leave_out: tuple[str, ...] = ()) -> dict[str, object]:
    """Every entry under folder (links not followed): a file's bytes, a link's target, a folder's mark."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if rel.parts[0] in leave_out:
            continue
        if path.is_symlink():
            found[rel.as_posix()] = ("link", os.readlink(path))
        elif path.is_dir():
            found[rel.as_posix()] = "folder"
        else:
            found[rel.as_posix()] = path.read_bytes()
    return found


def credentials(out: Path) -> dict[str, str]:
    """credential name -> lifespan text, from out/csv/credentials.csv."""
    text = (out / "csv" / "credentials.csv").read_text(encoding="utf-8")
    return {row["credential_name"]: row["lifespan_text"] for row in csv.DictReader(io.StringIO(text))}


def label_pairs(out: Path) -> set[tuple[str, str, str]]:
    text = (out / "csv" / "label_values.csv").read_text(encoding="utf-8")
    return {(row["source_path"], row["label"], row["value"]) for row in csv.DictReader(io.StringIO(text))}


def said(pages: dict[int, tuple[str, str]]) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    """What the pages say: each name's lifespan, and the label/value pairs of each page."""
    pairs = set()
    for number, (name, lifespan) in pages.items():
        path = f"{YEAR}/text/credential_{number}.txt"
        pairs |= {(path, "Credential Name", name), (path, "Credential Lifespan", lifespan)}
    return {name: lifespan for name, lifespan in pages.values()}, pairs


def quiet(done: subprocess.CompletedProcess) -> None:
    """No traceback, and at most one error line among a few lines of progress (a broken file is parsed again
    three times at most, each round two lines)."""
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
    assert len(errors) <= 1 and len(done.stderr.splitlines()) <= 12, done.stderr


def costs_only_time(home: Path, done: subprocess.CompletedProcess, raw: str, expected: dict) -> None:
    """The run ended as one without a cache would: exit 0, the same bytes, the pages' own words; the next run
    too (the cache healed), and the user's sentinel beside the cache is as it was."""
    assert done.returncode == 0, done.stderr
    quiet(done)
    assert csv_files(home / "out") == expected[raw]
    names, pairs = said(RAWS[raw])
    assert credentials(home / "out") == names
    assert pairs <= label_pairs(home / "out")
    again = extract(home)
    assert again.returncode == 0, again.stderr
    quiet(again)
    assert csv_files(home / "out") == expected[raw]
    assert (home / "sentinel.txt").read_bytes() == SENTINEL


def stopped_or_whole(home: Path, done: subprocess.CompletedProcess, raw: str, expected: dict, before: dict) -> None:
    """Either the cache cost only time (exit 0, the bytes of a run without a cache), or the run stopped with a
    one-line error (exit 1) and the outputs of the last good run are untouched: never a failed run that
    replaced them."""
    quiet(done)
    if done.returncode == 0:
        assert csv_files(home / "out") == expected[raw]
    else:  # 3: refused before anything was done (an unsafe --cache)
        assert done.returncode in (1, 3) and done.stderr.splitlines()[-1].startswith("error: "), done.stderr
        assert everything(home / "out") == before, "a run that failed replaced the outputs"
    assert (home / "sentinel.txt").read_bytes() == SENTINEL


# --- fixtures -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """Every raw/ of these tests extracted without a cache: out/csv's files, what a cached run must write."""
    found = {}
    for name, pages in RAWS.items():
        home = tmp_path_factory.mktemp(f"reference-{name}")
        write_raw(home / "raw", pages)
        done = run(home, "extract", "--raw", "raw", "--out", "out", "--no-cache")
        assert done.returncode == 0, done.stderr
        assert credentials(home / "out") == said(pages)[0]  # the reference itself says what the pages say
        found[name] = csv_files(home / "out")
    return found


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache folder of another raw/ (three other credentials), as its own run left it."""
    home = tmp_path_factory.mktemp("foreign")
    write_raw(home / "raw", FOREIGN_PAGES)
    done = extract(home)
    assert done.returncode == 0, done.stderr
    return home / "cache"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """Three pages, one good run with the cache, and the user's sentinel file beside the cache folder."""
    write_raw(tmp_path / "raw", PAGES)
    (tmp_path / "sentinel.txt").write_bytes(SENTINEL)
    first = extract(tmp_path)
    assert first.returncode == 0, first.stderr
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == [
        "documents-1.parquet",
        "stamp.json",
        "state.json",
        "tags.parquet",
    ]
    return tmp_path


def add_page(home: Path) -> None:
    number, name, lifespan = NEW_PAGE
    (home / "raw" / YEAR / "text" / f"credential_{number}.txt").write_bytes(page(name, lifespan))


def edit_page(home: Path) -> None:
    number, name, lifespan = EDITED_PAGE
    (home / "raw" / YEAR / "text" / f"credential_{number}.txt").write_bytes(page(name, lifespan))


def result_file(home: Path) -> Path:
    return home / "cache" / "documents-1.parquet"


# --- 1. result files spoiled between two runs -----------------------------------------------------------------


def _half(path: Path, foreign: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _emptied(path: Path, foreign: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path, foreign: Path) -> None:
    path.write_bytes(b"not a Parquet file at all\n" * 40)


def _other_schema(path: Path, foreign: Path) -> None:
    parquet.write_table(pa.table({"key": [1, 2, 3], "colour": ["red", "green", "blue"]}), path)


def _foreign(path: Path, foreign: Path) -> None:
    shutil.copyfile(foreign / path.name, path)


def _deleted(path: Path, foreign: Path) -> None:
    path.unlink()


def _facts_without_rows(path: Path, foreign: Path) -> None:
    """The same documents' keys and facts, but not their typed rows nor label rows (a half-migrated file)."""
    table = parquet.read_table(path)
    parquet.write_table(table.drop_columns(["result", "labels"]), path)


def _rows_of_other_keys(path: Path, foreign: Path) -> None:
    """Every column as written, but each key replaced (a file another code wrote for other bytes)."""
    table = parquet.read_table(path)
    keys = pa.array([key.replace(YEAR, "1999-2000") for key in table["key"].to_pylist()], pa.string())
    parquet.write_table(table.set_column(0, "key", keys), path)


def _link_outside(path: Path, foreign: Path) -> None:
    """A link to a copy of itself beside the cache folder: used through the link, never changed or removed."""
    outside = path.parent.parent / "kept-elsewhere.parquet"
    shutil.copyfile(path, outside)
    path.unlink()
    path.symlink_to(outside)


def _dangling_link(path: Path, foreign: Path) -> None:
    path.unlink()
    path.symlink_to(path.parent.parent / "nowhere.parquet")


def _sparse(path: Path, foreign: Path) -> None:
    """8 GiB of nothing (a sparse file: no disk is used)."""
    path.write_bytes(b"")
    os.truncate(path, 8 << 30)


def _huge_footer(path: Path, foreign: Path) -> None:
    """The file as written, but its last bytes claim 2 GiB of metadata before them."""
    data = path.read_bytes()
    path.write_bytes(data[:-8] + (2**31 - 1).to_bytes(4, "little") + b"PAR1")


SPOILS = {
    "a sparse file of 8 GiB": _sparse,
    "a footer claiming 2 GiB": _huge_footer,
    "truncated to half": _half,
    "emptied": _emptied,
    "garbage": _garbage,
    "a Parquet file of another schema": _other_schema,
    "another run's result file": _foreign,
    "deleted while state.json lists it": _deleted,
    "its facts without its rows": _facts_without_rows,
    "rows of other keys": _rows_of_other_keys,
    "a link to a copy beside the cache": _link_outside,
    "a link to nothing": _dangling_link,
}


@pytest.mark.agreement
@pytest.mark.parametrize("spoil", SPOILS)
def test_a_spoiled_result_file_only_costs_time_when_a_page_is_added(home, expected, foreign, spoil):
    add_page(home)
    SPOILS[spoil](result_file(home), foreign)
    elsewhere = everything(home, leave_out=("cache", "out"))
    done = extract(home)
    costs_only_time(home, done, "four", expected)
    assert everything(home, leave_out=("cache", "out")) == elsewhere


@pytest.mark.agreement
@pytest.mark.parametrize("spoil", ["truncated to half", "a Parquet file of another schema", "rows of other keys"])
def test_a_spoiled_result_file_only_costs_time_when_the_stamp_is_gone_too(home, expected, foreign, spoil):
    """No stamp: every page is read and looked up in the cache by its bytes, and the build is a whole one."""
    (home / "cache" / "stamp.json").unlink()
    SPOILS[spoil](result_file(home), foreign)
    costs_only_time(home, extract(home), "three", expected)


@pytest.mark.agreement
def test_result_files_swapped_with_each_other_only_cost_time(home, expected):
    add_page(home)
    assert extract(home).returncode == 0
    cache = home / "cache"
    assert (cache / "documents-2.parquet").is_file()  # the added page's results, apart from the first three
    (cache / "documents-1.parquet").rename(cache / "swap")
    (cache / "documents-2.parquet").rename(cache / "documents-1.parquet")
    (cache / "swap").rename(cache / "documents-2.parquet")
    (home / "raw" / YEAR / "text" / "credential_4.txt").unlink()
    edit_page(home)
    costs_only_time(home, extract(home), "edited", expected)


@pytest.mark.agreement
def test_a_result_file_with_a_few_bytes_changed_on_disk_is_noticed_not_served(home, expected):
    """Bit rot: the lifespan written on page 1 ("5 years") becomes "9 years" inside the cached file, the file
    still a readable Parquet file. The outputs must say what the page says."""
    path = result_file(home)
    data = path.read_bytes()
    assert data.count(b"5 years") >= 1  # the premise: the value lies in the file as plain bytes
    path.write_bytes(data.replace(b"5 years", b"9 years"))
    add_page(home)
    done = extract(home)
    assert done.returncode == 0, done.stderr
    assert (f"{YEAR}/text/credential_1.txt", "Credential Lifespan", "9 years") not in label_pairs(home / "out")
    assert csv_files(home / "out") == expected["four"]


# --- 2. a folder, a FIFO, an unreadable file where the cache keeps a file ---------------------------------------

CACHE_FILES = ["documents-1.parquet", "tags.parquet", "state.json", "stamp.json"]


@pytest.mark.agreement
@pytest.mark.parametrize("name", CACHE_FILES)
def test_a_folder_in_place_of_a_cache_file_only_costs_time_or_stops_before_the_outputs(home, expected, name):
    """A folder (with a file of the user's in it) where the cache keeps a file. Either the run goes on without
    that file (exit 0, the outputs of a run without a cache), or it stops at once naming it, outputs untouched;
    the folder and what it holds stay."""
    add_page(home)
    before = everything(home / "out")
    target = home / "cache" / name
    target.unlink()
    target.mkdir()
    (target / "notes.txt").write_bytes(SENTINEL)
    done = extract(home)
    stopped_or_whole(home, done, "four", expected, before)
    if done.returncode != 0:
        assert name in done.stderr.splitlines()[-1] and "cache" in done.stderr.splitlines()[-1], done.stderr
    assert (target / "notes.txt").read_bytes() == SENTINEL
    costs_only_time(home, extract(home), "four", expected)  # and the next run is whole: the cache did not stall


def test_a_folder_in_place_of_the_cache_lock_stops_the_run_naming_it_and_leaves_the_outputs(home, expected):
    add_page(home)
    before = everything(home / "out")
    (home / "cache" / "extract.lock").mkdir()
    done = extract(home)
    assert done.returncode == 3, done.stderr  # an unsafe --cache: a usage error
    quiet(done)
    assert "extract.lock" in done.stderr.splitlines()[-1]
    assert everything(home / "out") == before
    assert (home / "cache" / "extract.lock").is_dir()


@pytest.mark.agreement
@pytest.mark.parametrize("name", CACHE_FILES)
def test_a_fifo_in_place_of_a_cache_file_never_stalls_the_run(home, expected, name):
    add_page(home)
    before = everything(home / "out", leave_out=())
    target = home / "cache" / name
    target.unlink()
    os.mkfifo(target)
    done = extract(home, timeout=STALL)
    stopped_or_whole(home, done, "four", expected, before)


def test_a_fifo_in_place_of_the_cache_lock_stops_the_run_naming_it(home):
    add_page(home)
    before = everything(home / "out")
    os.mkfifo(home / "cache" / "extract.lock")
    done = extract(home, timeout=STALL)
    quiet(done)
    assert done.returncode == 3  # an unsafe --cache: a usage error
    assert everything(home / "out") == before
    assert "extract.lock" in done.stderr.splitlines()[-1], done.stderr


@pytest.mark.agreement
@pytest.mark.skipif(not _can_drop_root_privileges(), reason="needs a user that cannot read a file of mode 000")
@pytest.mark.parametrize(
    "name",
    CACHE_FILES,
)
def test_an_unreadable_cache_file_only_costs_time_once(home, expected, name):
    """A cache file of mode 000 (the runs cannot read it: as root, without the capability to read any file).
    The run goes on as without it; and the cache heals: a later run finds the three pages unchanged in it."""
    add_page(home)
    (home / "cache" / name).chmod(0)
    done = extract(home, unprivileged=True)
    assert done.returncode == 0, done.stderr
    quiet(done)
    assert csv_files(home / "out") == expected["four"]
    (home / "raw" / YEAR / "text" / "credential_4.txt").unlink()
    edit_page(home)
    later = extract(home, unprivileged=True)
    assert later.returncode == 0, later.stderr
    assert csv_files(home / "out") == expected["edited"]
    assert "3 documents: 2 unchanged (cached), 1 to parse" in later.stderr
    assert NOTHING in extract(home, unprivileged=True).stdout


# --- 3. the cache folder itself -------------------------------------------------------------------------------


def test_a_file_in_place_of_the_cache_folder_is_refused_and_left_as_it_was(home):
    shutil.rmtree(home / "cache")
    (home / "cache").write_bytes(SENTINEL)
    add_page(home)
    before = everything(home / "out")
    done = extract(home)
    assert done.returncode == 3, done.stderr
    quiet(done)
    assert done.stderr.splitlines()[-1].startswith("error: --cache cache")
    assert (home / "cache").read_bytes() == SENTINEL
    assert everything(home / "out") == before


@pytest.mark.agreement
def test_a_cache_folder_that_is_a_link_to_an_empty_folder_elsewhere_is_used_there(home, expected):
    shutil.rmtree(home / "cache")
    (home / "elsewhere").mkdir()
    (home / "cache").symlink_to(home / "elsewhere")
    add_page(home)
    done = extract(home)
    assert done.returncode == 0, done.stderr
    assert csv_files(home / "out") == expected["four"]
    assert (home / "elsewhere" / "state.json").is_file() and (home / "cache").is_symlink()
    again = extract(home)
    assert again.returncode == 0 and NOTHING in again.stdout


@pytest.mark.parametrize("target", ["raw", "out", "raw/2024-2025", "sentinel.txt"])
def test_a_cache_folder_that_is_a_link_to_the_raw_or_output_folder_or_a_file_is_refused(home, target):
    shutil.rmtree(home / "cache")
    (home / "cache").symlink_to(home / target)
    add_page(home)
    before = everything(home, leave_out=("cache",))
    done = extract(home)
    assert done.returncode == 3, done.stderr
    quiet(done)
    assert done.stderr.splitlines()[-1].startswith("error: --cache cache")
    assert everything(home, leave_out=("cache",)) == before


@pytest.mark.agreement
def test_a_cache_folder_that_is_a_link_to_nothing_is_made_there_or_refused(home, expected):
    shutil.rmtree(home / "cache")
    (home / "cache").symlink_to(home / "made-later")
    add_page(home)
    before = everything(home / "out")
    done = extract(home)
    stopped_or_whole(home, done, "four", expected, before)


# --- 4. state.json, tags.parquet and stamp.json: other bytes, other shapes ------------------------------------


def _state(home: Path) -> dict:
    return json.loads((home / "cache" / "state.json").read_bytes())


def _shifted_counts(state: dict) -> None:
    """Row counts that add up to the tags' rows but give one credentials row's tags to the rejects."""
    counts = dict(state["tables"])
    counts["credentials"] -= 1
    counts["rejects"] += 1
    state["tables"] = [[name, counts[name]] for name, _ in state["tables"]]


_STATE_KEYS = ("format", "code", "raw", "out", "files", "documents", "collisions", "renamed", "tables", "entangled")


def _without(key: str, home: Path, state: dict) -> dict:
    return {name: value for name, value in state.items() if name != key}


STATES = {  # each keeps this code's version and format unless it is what is spoiled
    "garbage": lambda home, state: b"\x00\xff{not json",
    "a JSON list": lambda home, state: b"[]",
    "null": lambda home, state: b"null",
    "nested 100,000 deep": lambda home, state: b"[" * 100_000 + b"]" * 100_000,
    "a number past any float": lambda home, state: b"1e999",
    "format a huge number": lambda home, state: {**state, "format": 10**40},
    "files a string": lambda home, state: {**state, "files": "documents-1.parquet"},
    "files a list of lists": lambda home, state: {**state, "files": [["documents-1.parquet"]]},
    "files twice the same": lambda home, state: {**state, "files": ["documents-1.parquet"] * 2},
    "files up and out": lambda home, state: {**state, "files": ["../sentinel.txt"]},
    "files an absolute path": lambda home, state: {**state, "files": [str(home / "sentinel.txt")]},
    "files through a folder": lambda home, state: {**state, "files": ["documents-1.parquet/../../sentinel.txt"]},
    "documents a list": lambda home, state: {**state, "documents": []},
    "documents up and out": lambda home, state: {
        **state,
        "documents": {**state["documents"], "../../sentinel.txt": next(iter(state["documents"].values()))},
    },
    "documents of swapped keys": lambda home, state: {
        **state,
        "documents": dict(zip(state["documents"], reversed(list(state["documents"].values())), strict=True)),
    },
    "tables a huge count": lambda home, state: {**state, "tables": [["credentials", 10**30]]},
    "tables negative counts": lambda home, state: {
        **state,
        "tables": [
            [name, -1 if name == "credentials" else count + 4 if name == "rejects" else count]
            for name, count in state["tables"]
        ],
    },
    "collisions not lists": lambda home, state: {**state, "collisions": {f"{YEAR}\x1fname": 5}},
    "renamed a list": lambda home, state: {**state, "renamed": []},
    "entangled a string": lambda home, state: {**state, "entangled": "no"},
    "raw and out elsewhere": lambda home, state: {**state, "raw": "/", "out": str(home / "sentinel.txt")},
    **{f"no {key}": partial(_without, key) for key in _STATE_KEYS},
}


@pytest.mark.agreement
@pytest.mark.parametrize("spoil", STATES)
def test_a_spoiled_state_only_costs_time_and_nothing_outside_the_cache_is_touched(home, expected, spoil):
    """state.json of other bytes or another shape; a page edited so that the run must rebuild what it touches."""
    made = STATES[spoil](home, _state(home))
    (home / "cache" / "state.json").write_bytes(made if isinstance(made, bytes) else json.dumps(made).encode())
    edit_page(home)
    elsewhere = everything(home, leave_out=("cache", "out"))
    done = extract(home)
    costs_only_time(home, done, "edited", expected)
    assert everything(home, leave_out=("cache", "out")) == elsewhere


@pytest.mark.agreement
def test_state_row_counts_that_add_up_but_are_split_otherwise_only_cost_time(home, expected):
    state = _state(home)
    _shifted_counts(state)
    (home / "cache" / "state.json").write_bytes(json.dumps(state).encode())
    edit_page(home)
    costs_only_time(home, extract(home), "edited", expected)


def _tags_other_schema(home: Path, foreign: Path) -> None:
    parquet.write_table(pa.table({"row": [1, 2, 3]}), home / "cache" / "tags.parquet")


def _tags_foreign(home: Path, foreign: Path) -> None:
    """Another run's tags, of as many rows as ours (three credentials there too): the counts add up."""
    shutil.copyfile(foreign / "tags.parquet", home / "cache" / "tags.parquet")


def _tags_reversed(home: Path, foreign: Path) -> None:
    table = parquet.read_table(home / "cache" / "tags.parquet")
    parquet.write_table(table.take(list(reversed(range(table.num_rows)))), home / "cache" / "tags.parquet")


def _tags_empty_file(home: Path, foreign: Path) -> None:
    (home / "cache" / "tags.parquet").write_bytes(b"")


TAGS = {
    "emptied": _tags_empty_file,
    "garbage": lambda home, foreign: (home / "cache" / "tags.parquet").write_bytes(b"PAR1" + b"\x00" * 64 + b"PAR1"),
    "another schema": _tags_other_schema,
    "another run's, as many rows": _tags_foreign,
    "in reverse order": _tags_reversed,
}


@pytest.mark.agreement
@pytest.mark.parametrize("spoil", TAGS)
def test_spoiled_tags_only_cost_time(home, expected, foreign, spoil):
    TAGS[spoil](home, foreign)
    edit_page(home)
    costs_only_time(home, extract(home), "edited", expected)


def _stamp(home: Path) -> dict:
    return json.loads((home / "cache" / "stamp.json").read_bytes())


def _stamp_hashes_swapped(home: Path) -> bytes:
    """Each page's stat as it is now, but another page's hash: the run must not take page 1 for page 3."""
    stamp = _stamp(home)
    inputs = stamp["inputs"]
    rels = sorted(inputs)
    hashes = [inputs[rel][1] for rel in rels]
    for rel, digest in zip(rels, [*hashes[1:], hashes[0]], strict=True):
        info = os.lstat(home / "raw" / rel)
        inputs[rel] = [[info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino], digest]
    return json.dumps(stamp).encode()


STAMPS = {
    "garbage": lambda home, foreign: b"\xff\xfe garbage",
    "a JSON list": lambda home, foreign: b"[1, 2, 3]",
    "another run's": lambda home, foreign: (foreign / "stamp.json").read_bytes(),
    "version a huge number": lambda home, foreign: json.dumps({**_stamp(home), "version": 10**400}).encode(),
    "inputs huge numbers": lambda home, foreign: json.dumps(
        {**_stamp(home), "inputs": {rel: [[10**400] * 4, "0" * 64] for rel in _stamp(home)["inputs"]}}
    ).encode(),
    "inputs of another shape": lambda home, foreign: json.dumps(
        {**_stamp(home), "inputs": {rel: {"size": 1} for rel in _stamp(home)["inputs"]}}
    ).encode(),
    "outputs up and out": lambda home, foreign: json.dumps(
        {**_stamp(home), "outputs": {"../sentinel.txt": [1, 2, 3, 4], "/etc/passwd": [1, 2, 3, 4]}}
    ).encode(),
    "outputs not lists": lambda home, foreign: json.dumps(
        {**_stamp(home), "outputs": {rel: 7 for rel in _stamp(home)["outputs"]}}
    ).encode(),
    "hashes of other pages": lambda home, foreign: _stamp_hashes_swapped(home),
    "nested 100,000 deep": lambda home, foreign: b"[" * 100_000 + b"]" * 100_000,
    "no inputs": lambda home, foreign: json.dumps({k: v for k, v in _stamp(home).items() if k != "inputs"}).encode(),
}


@pytest.mark.agreement
@pytest.mark.parametrize("spoil", STAMPS)
def test_a_spoiled_stamp_only_costs_time_and_nothing_outside_the_cache_is_touched(home, expected, foreign, spoil):
    made = STAMPS[spoil](home, foreign)
    edit_page(home)
    (home / "cache" / "stamp.json").write_bytes(made)
    elsewhere = everything(home, leave_out=("cache", "out"))
    costs_only_time(home, extract(home), "edited", expected)
    assert everything(home, leave_out=("cache", "out")) == elsewhere


# --- 5. links from the cache to the user's files --------------------------------------------------------------


@pytest.mark.agreement
@pytest.mark.parametrize("name", ["tags.parquet", "state.json", "stamp.json"])
def test_a_cache_file_that_is_a_link_to_a_file_outside_never_changes_that_file(home, expected, name):
    """The cache's file is a link to the user's file beside the cache (a copy of what the cache held): the
    run replaces the link, never writes through it."""
    outside = home / f"mine-{name}"
    shutil.copyfile(home / "cache" / name, outside)
    kept = outside.read_bytes()
    (home / "cache" / name).unlink()
    (home / "cache" / name).symlink_to(outside)
    add_page(home)
    costs_only_time(home, extract(home), "four", expected)
    assert outside.read_bytes() == kept


def test_a_cache_lock_that_is_a_link_to_a_file_outside_never_changes_that_file(home, expected):
    (home / "cache" / "extract.lock").symlink_to(home / "sentinel.txt")
    add_page(home)
    before = everything(home / "out")
    done = extract(home)
    assert (home / "sentinel.txt").read_bytes() == SENTINEL
    stopped_or_whole(home, done, "four", expected, before)


# --- 6. during a run: a full disk, files that break as soon as written, files spoiled mid-run ----------------

_WRAPPED = """
import contextlib, errno, os, pathlib, re
from pipeline import cache, files
_original = files.atomic_file
_cache = pathlib.Path(os.environ["HOSTILE_CACHE"]).resolve()
_done = []
def _ours(path, pattern):
    path = pathlib.Path(path)
    return path.parent.resolve() == _cache and re.fullmatch(pattern, path.name) is not None
"""


def full_disk(pattern: str) -> str:
    """A hook: every write of a cache file whose name matches fails as a full disk makes it fail, once its
    bytes are written and before the file takes its name (the file is never there)."""
    return (
        _WRAPPED
        + f"""
@contextlib.contextmanager
def _full(path):
    with _original(path) as temp:
        yield temp
        if _ours(path, {pattern!r}):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
files.atomic_file = cache.atomic_file = _full
"""
    )


def breaking(times: int) -> str:
    """A hook: the first `times` result files written in the cache are overwritten with garbage as soon as they
    are there (a failing disk, another program writing in the folder)."""
    return (
        _WRAPPED
        + f"""
@contextlib.contextmanager
def _breaking(path):
    with _original(path) as temp:
        yield temp
    if _ours(path, r"documents-\\d+\\.parquet") and len(_done) < {times}:
        _done.append(path)
        pathlib.Path(path).write_bytes(b"PAR1 broken as soon as it was written PAR1")
files.atomic_file = cache.atomic_file = _breaking
"""
    )


@pytest.mark.agreement
@pytest.mark.parametrize(
    "pattern",
    [
        ".*",
        r"documents-\d+\.parquet",
        r"tags\.parquet",
        r"state\.json",
        r"stamp\.json",
    ],
)
def test_a_full_disk_for_the_cache_keeps_the_outputs_whole_or_the_last_ones(home, expected, pattern):
    add_page(home)
    before = everything(home / "out")
    done = extract(home, hook=full_disk(pattern))
    stopped_or_whole(home, done, "four", expected, before)
    if done.returncode != 0:
        last = done.stderr.splitlines()[-1]
        assert "cache" in last and "No space left on device" in last, done.stderr
    costs_only_time(home, extract(home), "four", expected)  # room again: the next run is whole


def test_result_files_that_break_each_time_they_are_written_stop_the_run_naming_the_cache(home, expected):
    add_page(home)
    before = everything(home / "out")
    done = extract(home, hook=breaking(10**6))
    assert done.returncode == 1, done.stderr
    quiet(done)
    last = done.stderr.splitlines()[-1]
    assert last.startswith("error: cache: ") and "does not keep them" in last, done.stderr
    assert everything(home / "out") == before
    costs_only_time(home, extract(home), "four", expected)  # the disk mended: the next run is whole


def test_result_files_that_always_break_on_a_first_run_leave_no_output(tmp_path):
    write_raw(tmp_path / "raw", PAGES)
    done = extract(tmp_path, hook=breaking(10**6))
    assert done.returncode == 1, done.stderr
    quiet(done)
    assert done.stderr.splitlines()[-1].startswith("error: cache: ")
    assert not (tmp_path / "out").exists()


@pytest.mark.agreement
@pytest.mark.parametrize("times", [1, 3])
def test_result_files_that_break_a_few_times_only_cost_time(home, expected, times):
    add_page(home)
    costs_only_time(home, extract(home, hook=breaking(times)), "four", expected)


SPOILED_BEFORE_THE_OUTPUTS = """
import pathlib, os
from pipeline import extract
_original, _done = extract.label_batches, []
def _spoiling(*args, **kwargs):
    if not _done:
        _done.append(1)
        for path in pathlib.Path(os.environ["HOSTILE_CACHE"]).glob("documents-*.parquet"):
            path.write_bytes(b"PAR1 spoiled while the outputs were written PAR1")
    return _original(*args, **kwargs)
extract.label_batches = _spoiling
"""

DELETED_BEFORE_THE_SAVE = """
import pathlib, os
from pipeline import cache
_original = cache.Store.save
def _deleting(self, *args, **kwargs):
    for path in pathlib.Path(os.environ["HOSTILE_CACHE"]).glob("documents-*.parquet"):
        path.unlink()
    return _original(self, *args, **kwargs)
cache.Store.save = _deleting
"""


@pytest.mark.agreement
@pytest.mark.parametrize(
    "hook", [SPOILED_BEFORE_THE_OUTPUTS, DELETED_BEFORE_THE_SAVE], ids=["spoiled as outputs", "deleted before save"]
)
def test_result_files_spoiled_during_the_run_only_cost_time(home, expected, hook):
    add_page(home)
    costs_only_time(home, extract(home, hook=hook), "four", expected)


@pytest.mark.agreement
def test_a_stray_result_file_of_a_huge_number_only_costs_time(home, expected):
    """A result file no state lists, named as ours, of a number so long that the next number makes a name past
    what the file system takes."""
    (home / "cache" / f"documents-{'9' * 236}.parquet").write_bytes(b"")
    add_page(home)
    before = everything(home / "out")
    done = extract(home)
    stopped_or_whole(home, done, "four", expected, before)
    costs_only_time(home, extract(home), "four", expected)
