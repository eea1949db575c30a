"""The `changes` table (compare/changes.py) against rows written by hand from before/after pages.

Every expected row below is read off the pages of the scenario (README, "changes": key between, school_year,
until, credential_slug, table, column, kind, old, new; nulls first), never from the code's own output.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline import cli
from pipeline.compare import changes, diff
from tests.test_coverage_changes import GOOD_CHANGE, _extract, _page, _raw, _table

OLD, NEW, CUT = "2023-2024", "2024-2025", "2025-2026"
COLUMNS = ["school_year", "credential_slug", "cred_id", "credential_name", "between", "since", "until"]
COLUMNS += ["table", "column", "old", "new", "kind"]
YEARS = "school years"

# 2023-2024: Alpha (3 years, $100 online), Bravo, Charlie. 2024-2025: Alpha (5 years, $150 online and $300 with
# a workshop), Bravo gone, Charlie renamed Charlie Two (same id), Delta new. 2025-2026: Alpha's page is cut (the
# year is incomplete), Charlie Two as before, Delta missing.
PAGES = {
    f"{OLD}/text/credential_1.txt": _page(
        OLD, "Alpha", "Credential Lifespan3 years", "Cost of Instructor Training$100.00 online"
    ),
    f"{OLD}/text/credential_2.txt": _page(OLD, "Bravo"),
    f"{OLD}/text/credential_3.txt": _page(OLD, "Charlie"),
    f"{NEW}/text/credential_1.txt": _page(
        NEW, "Alpha", "Credential Lifespan5 years", "Cost of Instructor Training$150.00 online\n$300.00 with a workshop"
    ),
    f"{NEW}/text/credential_3.txt": _page(NEW, "Charlie Two"),
    f"{NEW}/text/credential_4.txt": _page(NEW, "Delta"),
    f"{CUT}/text/credential_1.txt": _page(
        CUT,
        "Alpha",
        "Credential Lifespan5 years",
        "Cost of Instructor Training$150.00 online\n$300.00 with a workshop",
        cut=True,
    ),
    f"{CUT}/text/credential_3.txt": _page(CUT, "Charlie Two"),
}
REFRESH = {
    "refreshes": [
        {
            "refreshed_at": "2025-09-01T10:00:00Z",
            "since": "2025-08-01T09:00:00Z",
            "changes": [GOOD_CHANGE],
        }
    ]
}

_Y = (OLD, NEW)
_C = (NEW, CUT)
EXPECTED = [
    # the refresh's own change: `refreshes` sorts before `school years`
    [NEW, "alpha", 1, "Alpha", "refreshes", "2025-08-01T09:00:00Z", "2025-09-01T10:00:00Z"]
    + ["credentials", "lifespan_text", "3 years", "5 years", "changed"],
    [NEW, "alpha", 1, "Alpha", YEARS, *_Y, "credentials", "lifespan_text", "3 years", "5 years", "changed"],
    [NEW, "alpha", 1, "Alpha", YEARS, *_Y, "credentials", "lifespan_years", "3.0", "5.0", "changed"],
    [NEW, "alpha", 1, "Alpha", YEARS, *_Y, "instructor_training_costs", None]
    + [None, "amount_usd=300.0, condition=with a workshop", "added"],
    [NEW, "alpha", 1, "Alpha", YEARS, *_Y, "instructor_training_costs", None]
    + ["amount_usd=100.0, condition=online", "amount_usd=150.0, condition=online", "changed"],
    [NEW, "bravo", 2, "Bravo", YEARS, *_Y, "credentials", None, "Bravo", None, "removed"],
    [NEW, "charlie-two", 3, "Charlie Two", YEARS, *_Y, "credentials", "credential_name", "Charlie", "Charlie Two"]
    + ["renamed"],
    [NEW, "delta", 4, "Delta", YEARS, *_Y, "credentials", None, None, "Delta", "added"],
    # 2025-2026 is incomplete (a cut page): Delta missing from it is not removed
    [CUT, "delta", 4, "Delta", YEARS, *_C, "credentials", None, "Delta", None, "not in this copy"],
]


def _rows(frame: pd.DataFrame) -> list[list]:
    return [[None if pd.isna(v) else v for v in row] for row in frame[COLUMNS].values.tolist()]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("changes")
    raw = _raw(root, PAGES)
    (raw / NEW / "refreshes.json").write_text(json.dumps(REFRESH), encoding="utf-8")
    _extract(raw, root / "out")
    return root


def test_the_changes_table_has_one_row_per_change_between_years_and_per_refresh_in_key_order(scenario):
    table = _table(scenario / "out", "changes")
    assert list(table.columns) == COLUMNS
    assert _rows(table) == EXPECTED


def test_the_changes_csv_writes_the_same_rows(scenario):
    written = pd.read_csv(scenario / "out" / "csv" / "changes.csv", dtype=str, keep_default_na=False)
    assert [row[:2] + row[3:] for row in written[COLUMNS].values.tolist()] == [
        [cell if cell is not None else "" for cell in row[:2] + row[3:]] for row in EXPECTED
    ]
    assert written["cred_id"].tolist() == ["1", "1", "1", "1", "1", "2", "3", "4", "4"]


def test_without_a_second_year_or_a_refresh_there_are_no_changes(tmp_path):
    raw = _raw(tmp_path, {f"{OLD}/text/credential_1.txt": _page(OLD, "Alpha")})
    _extract(raw, tmp_path / "out")
    table = _table(tmp_path / "out", "changes")
    assert len(table) == 0 and list(table.columns) == COLUMNS


def test_one_change_alone_is_the_whole_table(tmp_path):
    raw = _raw(
        tmp_path,
        {f"{OLD}/text/credential_1.txt": _page(OLD, "Alpha"), f"{NEW}/text/credential_2.txt": _page(NEW, "Bravo")},
    )
    _extract(raw, tmp_path / "out")
    assert _rows(_table(tmp_path / "out", "changes")) == [
        [NEW, "alpha", 1, "Alpha", YEARS, *_Y, "credentials", None, "Alpha", None, "removed"],
        [NEW, "bravo", 2, "Bravo", YEARS, *_Y, "credentials", None, None, "Bravo", "added"],
    ]


CREDENTIALS = pd.DataFrame(
    {
        "credential_slug": ["alpha", "alpha-old", "bravo", "charlie", "charlie"],
        "cred_id": pd.array([1, 1, 2, None, 3], dtype="Int64"),
    }
)


@pytest.mark.parametrize(
    "size, sets",
    [
        # alpha and alpha-old share id 1; charlie's two rows share the slug; bravo is alone
        (1, [["alpha", "alpha-old"], ["bravo"], ["charlie"]]),
        (2, [["alpha", "alpha-old"], ["bravo", "charlie"]]),
        (3000, [["alpha", "alpha-old", "bravo", "charlie"]]),
    ],
)
def test_credentials_are_compared_in_sets_that_share_no_slug_and_no_cred_id(size, sets):
    assert [part.to_pylist() for part in changes._apart(CREDENTIALS, size)] == sets


def test_no_credentials_are_one_empty_set():
    empty = CREDENTIALS.iloc[:0]
    assert [part.to_pylist() for part in changes._apart(empty, 3000)] == [[]]


@pytest.mark.parametrize(
    "slugs, ids, reached",
    [
        # a -id 1- b -id 2- c; d (id 3) and e (no id) stand apart
        ({"a"}, set(), {"a", "b", "c"}),
        (set(), {2}, {"b", "c", "a"}),
        ({"d"}, set(), {"d"}),
        ({"e"}, set(), {"e"}),
        (set(), {9}, set()),
    ],
)
def test_a_rebuilt_credential_reaches_every_credential_sharing_a_slug_or_id_with_it_in_turn(slugs, ids, reached):
    credentials = pd.DataFrame(
        {
            "credential_slug": ["a", "b", "b", "c", "d", "e"],
            "cred_id": pd.array([1, 1, 2, 2, 3, None], dtype="Int64"),
        }
    )
    touched = changes.Touched(out=None, slugs=slugs, cred_ids=ids)
    assert changes._reach(credentials, touched) == reached


# --- an incremental run: only the credentials a change can reach are compared again ---------------------------

# Charlie Two's 2024-2025 page gains a lifespan; nothing else changes. Against 2023-2024's Charlie (no lifespan)
# that is three values added (the text, its years, and lifespan_lifetime: "false for other values; null for N/A
# or empty"); against 2025-2026's Charlie Two (no lifespan) the three gone.
_CHARLIE = [NEW, "charlie-two", 3, "Charlie Two", YEARS]
_LATER = [CUT, "charlie-two", 3, "Charlie Two", YEARS]
EXPECTED_AFTER = [
    *EXPECTED[:7],  # the refresh, Alpha, Bravo, Charlie's rename (credential_name sorts before lifespan_*)
    _CHARLIE + [*_Y, "credentials", "lifespan_lifetime", None, "false", "changed"],
    _CHARLIE + [*_Y, "credentials", "lifespan_text", None, "2 years", "changed"],
    _CHARLIE + [*_Y, "credentials", "lifespan_years", None, "2.0", "changed"],
    EXPECTED[7],  # Delta added
    _LATER + [*_C, "credentials", "lifespan_lifetime", "false", None, "changed"],
    _LATER + [*_C, "credentials", "lifespan_text", "2 years", None, "changed"],
    _LATER + [*_C, "credentials", "lifespan_years", "2.0", None, "changed"],
    EXPECTED[8],  # Delta not in 2025-2026's copy
]


def _incremental(tmp_path, before=None, during=None):
    """A cached extract of the scenario, `before` done to its outputs, Charlie Two's page changed, extracted again."""
    raw = _raw(tmp_path, PAGES)
    (raw / NEW / "refreshes.json").write_text(json.dumps(REFRESH), encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert cli.main(["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]) == 0
    if before:
        before(out)
    (raw / NEW / "text" / "credential_3.txt").write_bytes(_page(NEW, "Charlie Two", "Credential Lifespan2 years"))
    if during:
        during()
    assert cli.main(["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]) == 0
    return _rows(_table(out, "changes"))


def test_an_incremental_run_keeps_the_rows_of_untouched_credentials_and_compares_the_changed_one_again(tmp_path):
    assert _incremental(tmp_path) == EXPECTED_AFTER


def test_an_incremental_run_after_its_last_changes_table_was_damaged_still_gives_every_row(tmp_path):
    def break_it(out):
        (out / "parquet" / "changes.parquet").write_bytes(b"not parquet")

    assert _incremental(tmp_path, break_it) == EXPECTED_AFTER


def test_an_incremental_run_compares_again_only_the_credentials_the_change_can_reach(tmp_path, monkeypatch):
    """README: `changes` is compared "after a change only for the credentials it can reach". Charlie Two (id 3)
    changed: it reaches 2023-2024's Charlie (same id) and no other credential."""
    compared: set[str] = set()

    def spy():
        side = diff.side

        def seen(tables, *args, **kwargs):
            compared.update(tables["credentials"]["credential_slug"])
            return side(tables, *args, **kwargs)

        monkeypatch.setattr(diff, "side", seen)

    assert _incremental(tmp_path, during=spy) == EXPECTED_AFTER
    assert compared == {"charlie", "charlie-two"}


def test_a_cost_option_dropped_between_years_is_a_removed_child_row(tmp_path):
    costs_old = "Cost of Instructor Training$100.00 online\n$300.00 with a workshop"
    raw = _raw(
        tmp_path,
        {
            f"{OLD}/text/credential_1.txt": _page(OLD, "Alpha", costs_old),
            f"{NEW}/text/credential_1.txt": _page(NEW, "Alpha", "Cost of Instructor Training$100.00 online"),
        },
    )
    _extract(raw, tmp_path / "out")
    assert _rows(_table(tmp_path / "out", "changes")) == [
        [NEW, "alpha", 1, "Alpha", YEARS, *_Y, "instructor_training_costs", None]
        + ["amount_usd=300.0, condition=with a workshop", None, "removed"],
    ]


def test_a_diff_report_becomes_one_row_per_change_with_the_side_it_was_found_on():
    """rows_of on a report written by hand (the shape diff.compare gives), as a refresh uses it: between
    `refreshes`, each row in its credential's own school year."""
    item = {"school_year": "2024-2025", "credential_slug": "alpha", "cred_id": 1, "credential_name": "Alpha"}
    report = {
        "added": [{**item, "credential_slug": "new-one", "cred_id": None, "credential_name": "New One"}],
        "removed": [{**item, "credential_slug": "gone", "cred_id": 9, "credential_name": "Gone"}],
        "not_in_this_copy": [{**item, "credential_slug": "unseen", "cred_id": 8, "credential_name": "Unseen"}],
        "not_in_old_copy": [{**item, "credential_slug": "fresh", "cred_id": 7, "credential_name": "Fresh"}],
        "renamed": [{**item, "old_name": "Alfa"}],
        "changed": [
            {
                **item,
                "columns": [
                    {"column": "lifespan_years", "old": 3.0, "new": None},
                    {"column": "is_draft", "old": True, "new": False},
                    {"column": "vendor_name", "old": "", "new": "MSSC"},
                ],
                "children": {
                    "instructor_training_costs": {
                        "added": [{"amount_usd": 5.0, "condition": None}],
                        "removed": [{"amount_usd": 6.0, "condition": "online"}],
                        "changed": [{"old": {"amount_usd": 1.0}, "new": {"amount_usd": 2.0}}],
                    }
                },
            }
        ],
    }
    where = ["refreshes", "2025-08-01T09:00:00Z", "2025-09-01T10:00:00Z"]
    rows = changes.rows_of(report, "refreshes", "2025-08-01T09:00:00Z", "2025-09-01T10:00:00Z")
    assert [list(row.values()) for row in rows] == [
        [NEW, "new-one", None, "New One", *where, "credentials", None, None, "New One", "added"],
        [NEW, "gone", 9, "Gone", *where, "credentials", None, "Gone", None, "removed"],
        [NEW, "unseen", 8, "Unseen", *where, "credentials", None, "Unseen", None, "not in this copy"],
        [NEW, "fresh", 7, "Fresh", *where, "credentials", None, None, "Fresh", "not in the old copy"],
        [NEW, "alpha", 1, "Alpha", *where, "credentials", "credential_name", "Alfa", "Alpha", "renamed"],
        [NEW, "alpha", 1, "Alpha", *where, "credentials", "lifespan_years", "3.0", None, "changed"],
        [NEW, "alpha", 1, "Alpha", *where, "credentials", "is_draft", "true", "false", "changed"],
        [NEW, "alpha", 1, "Alpha", *where, "credentials", "vendor_name", None, "MSSC", "changed"],
        [NEW, "alpha", 1, "Alpha", *where, "instructor_training_costs", None, None, "amount_usd=5.0", "added"],
        [NEW, "alpha", 1, "Alpha", *where, "instructor_training_costs", None]
        + ["amount_usd=6.0, condition=online", None, "removed"],
        [NEW, "alpha", 1, "Alpha", *where, "instructor_training_costs", None, "amount_usd=1.0", "amount_usd=2.0"]
        + ["changed"],
    ]
    assert list(rows[0]) == COLUMNS


def test_between_school_years_a_row_is_in_the_newer_year_whatever_year_its_credential_names():
    report = {key: [] for key in ("added", "not_in_this_copy", "not_in_old_copy", "renamed", "changed")}
    report["removed"] = [{"school_year": OLD, "credential_slug": "gone", "cred_id": 9, "credential_name": "Gone"}]
    (row,) = changes.rows_of(report, YEARS, OLD, NEW)
    assert (row["school_year"], row["since"], row["until"], row["kind"]) == (NEW, OLD, NEW, "removed")


def test_a_year_that_became_complete_is_compared_again_whole_and_a_credential_missing_from_it_is_removed(tmp_path):
    """2025-2026's cut page is fetched whole: the year is complete now, so Delta, untouched by the change, is
    `removed` from it, no longer `not in this copy` (the last run's row for it is not kept)."""
    raw = _raw(tmp_path, PAGES)
    (raw / NEW / "refreshes.json").write_text(json.dumps(REFRESH), encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert cli.main(["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]) == 0
    whole = _page(
        CUT, "Alpha", "Credential Lifespan5 years", "Cost of Instructor Training$150.00 online\n$300.00 with a workshop"
    )
    (raw / CUT / "text" / "credential_1.txt").write_bytes(whole)
    assert cli.main(["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]) == 0
    delta_removed = [CUT, "delta", 4, "Delta", YEARS, *_C, "credentials", None, "Delta", None, "removed"]
    assert _rows(_table(out, "changes")) == EXPECTED[:-1] + [delta_removed]


def test_a_change_in_a_year_of_one_credential_compares_again_only_what_it_reaches(tmp_path, monkeypatch):
    """Beside a year of one credential, and a year of pages without any (in coverage, with 0 credentials)."""
    raw = _raw(
        tmp_path,
        {
            "2022-2023/text/credential_9.txt": b"2022-2023 Credential Information\n\nNo credential on this page.",
            f"{OLD}/text/credential_1.txt": _page(OLD, "Alpha"),
            f"{NEW}/text/credential_1.txt": _page(NEW, "Alpha"),
            f"{NEW}/text/credential_2.txt": _page(NEW, "Bravo"),
            f"{NEW}/text/credential_3.txt": _page(NEW, "Charlie"),
            f"{NEW}/text/credential_4.txt": _page(NEW, "Delta"),  # 1 of 5 pages changes: an incremental run
        },
    )
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert cli.main(["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]) == 0
    (raw / NEW / "text" / "credential_2.txt").write_bytes(_page(NEW, "Bravo", "Credential Lifespan2 years"))
    compared: set[str] = set()
    side = diff.side

    def seen(tables, *args, **kwargs):
        compared.update(tables["credentials"]["credential_slug"])
        return side(tables, *args, **kwargs)

    monkeypatch.setattr(diff, "side", seen)
    assert cli.main(["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]) == 0
    assert compared == {"bravo"}
    assert _rows(_table(out, "changes")) == [
        [NEW, "bravo", 2, "Bravo", YEARS, *_Y, "credentials", None, None, "Bravo", "added"],
        [NEW, "charlie", 3, "Charlie", YEARS, *_Y, "credentials", None, None, "Charlie", "added"],
        [NEW, "delta", 4, "Delta", YEARS, *_Y, "credentials", None, None, "Delta", "added"],
    ]


def test_a_renamed_credential_still_reaches_the_rows_of_its_old_slug():
    """The touched slugs include the one the last run wrote, gone now: it stays reached (so the last run's rows
    under it are not kept), beside what the others reach in turn."""
    credentials = pd.DataFrame({"credential_slug": ["a", "b", "b", "c"], "cred_id": pd.array([1, 1, 2, 2])})
    touched = changes.Touched(out=None, slugs={"old-a", "a"}, cred_ids=set())
    assert changes._reach(credentials, touched) == {"old-a", "a", "b", "c"}


def test_every_refresh_of_a_year_gives_its_rows_and_a_row_without_a_column_sorts_first(tmp_path):
    record = {
        "refreshes": [
            {
                "refreshed_at": "2025-10-01T00:00:00Z",
                "changes": [
                    {**REFRESH["refreshes"][0]["changes"][0], "column": "lifespan_text"},
                    {
                        "credential_slug": "alpha",
                        "table": "credentials",
                        "old": None,
                        "new": "Alpha",
                        "kind": "not in the old copy",
                    },
                ],
            },
            {**REFRESH["refreshes"][0], "refreshed_at": "2025-09-01T10:00:00Z"},
        ]
    }
    raw = _raw(tmp_path, {f"{NEW}/text/credential_1.txt": _page(NEW, "Alpha")})
    (raw / NEW / "refreshes.json").write_text(json.dumps(record), encoding="utf-8")
    _extract(raw, tmp_path / "out")
    changed = ["credentials", "lifespan_text", "3 years", "5 years", "changed"]
    assert _rows(_table(tmp_path / "out", "changes")) == [
        [NEW, "alpha", 1, "Alpha", "refreshes", "2025-08-01T09:00:00Z", "2025-09-01T10:00:00Z", *changed],
        [NEW, "alpha", None, None, "refreshes", None, "2025-10-01T00:00:00Z", "credentials", None, None, "Alpha"]
        + ["not in the old copy"],
        [NEW, "alpha", 1, "Alpha", "refreshes", None, "2025-10-01T00:00:00Z", *changed],
    ]
