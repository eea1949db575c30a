"""Semantic mutants: for each rule a module exists to enforce, the slip a person makes that breaks it.

Each entry names the rule (CONTRACT section 5, RFC 9309, the stamp's and the README's promises), the file,
the exact snippet and what a slip turns it into, and the tests that must fail when it is planted. The runner
copies the repository to a temporary folder once, plants one mutant at a time THERE (the working tree is
never edited), runs only the listed tests with -x under a time limit, and puts the file back.

    python -m tests.semantic_mutants            # every mutant (`make mutants-semantic`)
    python -m tests.semantic_mutants --check    # only: does every snippet still match exactly once?
    python -m tests.semantic_mutants NAME ...   # the mutants whose name contains one of these words
    python -m tests.semantic_mutants --files fetch/ cli.py   # the mutants of these files

A snippet that no longer matches exactly once is STALE: the runner says so and exits 1, so a changed line
is seen and its mutant rewritten. A mutant marked `equivalent` (with its reason) is checked for staleness
but not run. Exit 0 only when every mutant that runs is killed.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = int(os.environ.get("SEMANTIC_MUTANT_TIMEOUT", "900"))  # seconds per mutant: a hang is a kill

RULES = "tests/test_semantic_rules.py"  # the tests written for mutants that survived: KILLERS below
MERGE = ("tests/test_survivors.py", "tests/test_answers_from_the_page.py", "tests/test_extract.py")
NORMALIZE = ("tests/test_normalize.py", "tests/test_survivors.py", "tests/test_answers_from_the_page.py")
VALIDATE = ("tests/test_validate.py", "tests/test_survivors.py", "tests/test_bad_input.py")
DIFF = ("tests/test_diff_check.py", "tests/test_coverage_changes.py", "tests/test_survivors.py")
CHECK = (
    "tests/test_check_report.py",
    "tests/test_diff_check.py",
    "tests/test_containment_state.py",
    "tests/test_coverage_changes.py",
)
STAMP = ("tests/test_stamp.py", "tests/test_containment_state.py", "tests/test_incremental.py")
CACHE = ("tests/test_incremental.py", "tests/test_stamp.py", "tests/test_survivors.py")
READ = (
    "tests/test_parse_html.py",
    "tests/test_survivors.py",
    "tests/test_answers_from_the_page.py",
    "tests/test_real_samples.py",
    "tests/test_golden_seed.py",
)
DOCS = ("tests/test_documents.py", "tests/test_bad_input.py", "tests/test_survivors.py")
PDF = ("tests/test_parse_pdf.py", "tests/test_pdf_layouts.py")
PAGE_BREAK = "tests/renderings/test_renderings.py::test_the_cost_option_after_a_page_break_keeps_its_condition"
NET = (
    "tests/test_scrape_urls.py",
    "tests/test_scrape_tls.py",
    "tests/test_scrape_containment.py",
    "tests/test_scrape_hostile.py",
    "tests/test_scrape.py",
)
REFRESH = ("tests/test_refresh.py", "tests/test_coverage_changes.py")
EXITS = ("tests/test_exit_codes.py", "tests/test_check_report.py")
TEXT = ("tests/test_parse_text.py", "tests/test_real_samples.py", "tests/renderings/test_renderings.py")
SAFETY = (
    "tests/test_output_safety.py",
    "tests/test_containment_files.py",
    "tests/test_containment_state.py",
    "tests/test_bad_input.py",
)
BUDGET = ("tests/test_containment_files.py", "tests/test_bad_input.py")
REPORT = ("tests/test_report.py", "tests/test_check_report.py")
FIELD_MAP = ("tests/test_field_map.py",)
NAMES = (
    "tests/test_answers_from_the_page.py",
    "tests/test_parse_html.py",
    "tests/test_parse_text.py",
    "tests/test_extract.py",
)

H, C, U, S, CLI = (
    "pipeline/fetch/http.py",
    "pipeline/fetch/crawl.py",
    "pipeline/fetch/urls.py",
    "pipeline/fetch/settings.py",
    "pipeline/cli.py",
)


# The modules of parsing, extraction, export, the changes table, the terminal and the schemas' derived facts.
CF, CS, BI = "tests/test_containment_files.py", "tests/test_containment_state.py", "tests/test_bad_input.py"
TERMINAL = (
    f"{CF}::test_a_file_name_is_shown_on_one_printable_line",
    f"{CS}::test_file_names_and_page_text_reach_the_terminal_with_control_characters_escaped",
)
WORKERS = (
    f"{CS}::test_workers_die_with_a_killed_extract_and_its_lock_with_them",
    f"{CF}::test_a_pdf_reader_dies_with_a_killed_extract",
)
PDF_WORKER = (
    f"{CF}::test_a_pdf_reader_that_dies_or_hangs_costs_one_document",
    f"{CF}::test_an_inline_image_bomb_kills_only_its_reader",
)
PARSE = (
    f"{RULES}::test_a_page_s_cred_id_names_its_credential_only_when_the_page_holds_one_block",
    f"{CF}::test_a_parsing_process_that_dies_costs_one_document_not_the_pool",
    f"{BI}::test_an_unforeseen_failure_in_one_document_is_its_cause",
    "tests/test_parse_pdf.py::test_printed_footer_url_names_the_credential_without_a_manifest",
    "tests/test_parse_pdf.py::test_unreadable_pdfs_are_reported_by_cause",
    "tests/test_extract.py",
)
EXTRACT = (
    "tests/test_output_safety.py::test_extract_refuses_an_unsafe_out_and_touches_nothing",
    "tests/test_output_safety.py::test_extract_refuses_an_unsafe_cache_folder_and_touches_nothing",
    "tests/test_extract.py::test_unreadable_documents_are_reported_and_the_rest_goes_on",
    "tests/test_incremental.py::test_a_page_edited_between_planning_and_parsing_is_kept_as_parsed_and_read_again_next_time",
    f"{CS}::test_a_file_made_unreadable_is_reported_by_the_next_run",
)
PATTERNS = (
    "tests/test_extract.py::test_near_misses_reach_rejects_visibly",
    "tests/test_properties.py",
    "tests/test_scrape_hostile.py::test_odd_ids_in_links_are_not_pages",
    f"{BI}::test_a_javascript_url_is_never_a_source_url",
    "tests/test_patterns.py",
)
BUILD = (
    "tests/test_extract.py::test_snapshot_outputs_match_the_committed_extracted",
    f"{BI}::test_two_credentials_with_one_slug_and_two_cred_ids_are_never_merged",
    "tests/test_validate.py",
    "tests/test_survivors.py",
    "tests/test_incremental.py",
)
EXPORT = (
    f"{RULES}::test_a_streamed_table_is_written_whole_past_its_last_full_row_group",
    f"{CS}::test_csv_values_a_spreadsheet_would_run_get_a_quote_and_parquet_keeps_them",
    "tests/test_dataset.py::test_parquet_carries_descriptions_required_fields_and_the_version",
    f"{CS}::test_diff_json_of_outputs_of_two_schema_versions_lists_what_was_not_compared",
    "tests/test_extract.py::test_snapshot_outputs_match_the_committed_extracted",
)
CHANGES = ("tests/test_changes.py", "tests/test_coverage_changes.py")
DICTIONARY = ("tests/test_readme.py",)
VERSION = (
    f"{RULES}::test_the_schema_version_changes_with_a_column_s_type_required_ness_or_a_key_and_only_then",
    "tests/test_dataset.py",
    f"{CS}::test_a_baseline_of_a_newer_schema_with_the_same_rows_differs_only_in_its_metadata",
)


@dataclass(frozen=True)
class Mutant:
    name: str
    rule: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]
    equivalent: str | None = None  # why no test can tell it apart (then it is not run)


M = Mutant
MUTANTS: tuple[Mutant, ...] = (
    # --- tables/merge.py: CONTRACT 5 "One credential, several sources" and "Names and keys" ---------------
    M(
        "merge draft over final",
        "sources rank: final over draft",
        "pipeline/tables/merge.py",
        'bool(row["is_draft"]),',
        'not row["is_draft"],',
        MERGE,
    ),
    M(
        "merge cut over complete",
        "sources rank: complete over cut",
        "pipeline/tables/merge.py",
        'not row["complete"],',
        'bool(row["complete"]),',
        MERGE,
    ),
    M(
        "merge pdf over html",
        "sources rank: html > pdf > text",
        "pipeline/tables/merge.py",
        '{"html": 0, "pdf": 1, "text": 2}',
        '{"html": 1, "pdf": 0, "text": 2}',
        MERGE,
    ),
    M(
        "merge children only from the best",
        "child rows come from the best-ranked source that has any",
        "pipeline/tables/merge.py",
        "next((r.children[table] for r in ranked if r.children[table]), [])",
        "ranked[0].children[table]",
        MERGE,
    ),
    M(
        "merge gap not filled",
        "a value only a lower source has fills the gap",
        "pipeline/tables/merge.py",
        "result[column], chosen_from = value, other",
        "continue",
        MERGE,
    ),
    M(
        "merge conflicts dropped",
        "two different non-null values go to conflicts",
        "pipeline/tables/merge.py",
        "elif value != result[column] and not",
        "elif False and not",
        MERGE,
    ),
    M(
        "merge cut value any prefix",
        "a cut value counts as a conflict unless it is the start of the chosen one",
        "pipeline/tables/merge.py",
        "isinstance(value, str) and str(chosen).startswith(value)",
        "isinstance(value, str)",
        MERGE,
    ),
    M(
        "merge cut value of complete source",
        "only a cut source's value is explained by the cut",
        "pipeline/tables/merge.py",
        'return not other.credential["complete"] and',
        "return True and",
        MERGE,
    ),
    M(
        "slug collision not separated",
        "different known cred_ids are never merged",
        "pipeline/tables/merge.py",
        "if len(ids) < 2:",
        "if len(ids) < 3:",
        MERGE,
    ),
    M(
        "orphan joins on slug alone",
        "a source without cred_id joins the one whose name it carries exactly",
        "pipeline/tables/merge.py",
        "if cred_id is None and len(named) == 1:\n                cred_id = next(iter(named))",
        "if cred_id is None:\n                cred_id = ids[0]",
        MERGE,
    ),
    # --- tables/normalize.py: CONTRACT 4 columns and 5 "Text", "Numbers", "Near misses" ------------------------
    M(
        "training level last wins",
        "instructor_training: the strongest level wins",
        "pipeline/tables/normalize.py",
        "max(levels, key=_TRAINING_STRENGTH.__getitem__) if levels else None",
        "levels[-1] if levels else None",
        NORMALIZE,
    ),
    M(
        "score form last wins",
        "passing score: the first score form written wins",
        "pipeline/tables/normalize.py",
        "percent.start() < ratio.start()",
        "percent.start() > ratio.start()",
        NORMALIZE,
    ),
    M(
        "url punctuation kept",
        "a URL item without the sentence's punctuation",
        "pipeline/tables/normalize.py",
        'return match.group(0).rstrip(".,;:") if match else None',
        "return match.group(0) if match else None",
        NORMALIZE,
    ),
    M(
        "email dot kept",
        "an email item without a trailing full stop",
        "pipeline/tables/normalize.py",
        'email.strip(".").lower()',
        "email.lower()",
        NORMALIZE,
    ),
    M(
        "guessed name uncapped",
        "vendor name before a contact only when four words or fewer",
        "pipeline/tables/normalize.py",
        "len(name.split()) <= _MAX_GUESSED_NAME_WORDS else None",
        "True else None",
        NORMALIZE,
    ),
    M(
        "guessed name to the last contact",
        "vendor name is the text before the FIRST contact item",
        "pipeline/tables/normalize.py",
        "value[: min(contacts)]",
        "value[: max(contacts)]",
        NORMALIZE,
    ),
    M(
        "slug not trimmed",
        "credential_slug: trim '-'",
        "pipeline/tables/normalize.py",
        'patterns.NON_SLUG.sub("-", ascii_name.lower()).strip("-")',
        'patterns.NON_SLUG.sub("-", ascii_name.lower())',
        NORMALIZE,
    ),
    M(
        "placeholder lifetime false",
        "placeholders are null in typed columns",
        "pipeline/tables/normalize.py",
        "    if is_placeholder(value):\n        return None\n    return bool(patterns.LIFETIME",
        "    if value is None:\n        return None\n    return bool(patterns.LIFETIME",
        NORMALIZE,
    ),
    M(
        "months read as years",
        "lifespan_years: months are divided by 12",
        "pipeline/tables/normalize.py",
        "round(amount / 12, 4)",
        "amount",
        NORMALIZE,
    ),
    M(
        "items not deduplicated",
        "vendor_emails/phones: each item once",
        "pipeline/tables/normalize.py",
        "unique = list(dict.fromkeys(items))",
        "unique = list(items)",
        NORMALIZE,
    ),
    M(
        "endorsement any -> all",
        "diploma endorsement: True when any course reads = Yes",
        "pipeline/tables/normalize.py",
        "return any(flag.flag for flag in flags)",
        "return all(flag.flag for flag in flags)",
        NORMALIZE,
    ),
    M(
        "cents not padded",
        "$1.5 is 1.50 dollars",
        "pipeline/tables/normalize.py",
        'float(cents.ljust(2, "0")) / 100',
        "float(cents) / 100",
        NORMALIZE,
    ),
    M(
        "pol flags not told apart",
        "POL flags (`POL = Yes`) and endorsement flags (`= Yes`) are apart",
        "pipeline/tables/normalize.py",
        "if bool(match.group(2)) != pol:",
        "if False:",
        NORMALIZE,
    ),
    # --- tables/validate.py: "Nothing disappears silently", "Numbers", course listing -------------------------
    M(
        "duplicate keeps last",
        "a repeated key keeps the first row",
        "pipeline/tables/validate.py",
        'keep="first"',
        'keep="last"',
        VALIDATE,
    ),
    M(
        "required value not dropping its row",
        "a failing required value leaves its row out",
        "pipeline/tables/validate.py",
        "required = column in KEYS[table] or not schema.columns[column].nullable",
        "required = column in KEYS[table]",
        VALIDATE,
    ),
    M(
        "orphans matched on slug alone",
        "child rows join on (school_year, credential_slug)",
        "pipeline/tables/validate.py",
        'return pd.MultiIndex.from_arrays([data["school_year"], data["credential_slug"]])',
        'return pd.Index(data["credential_slug"])',
        VALIDATE,
    ),
    M(
        "years without listing cross-checked",
        "only years with a listing are cross-checked",
        "pipeline/tables/validate.py",
        "for key in zip(*_lists(courses, _PAIR), strict=True) if key[0] in years}",
        "for key in zip(*_lists(courses, _PAIR), strict=True)}",
        VALIDATE,
    ),
    M(
        "huge int not screened",
        "a number too large for its type is a rejected value, never a crash",
        "pipeline/tables/validate.py",
        "return value is None or (isinstance(value, int) and _INT64_RANGE[0] <= value <= _INT64_RANGE[1])",
        "return True",
        VALIDATE,
    ),
    M(
        "infinite float not screened",
        "an infinite amount is a rejected value",
        "pipeline/tables/validate.py",
        "return math.isfinite(float(value))",
        "return True",
        VALIDATE,
    ),
    M(
        "bad key row kept",
        "a row whose key is not a number it can hold is left out, with a reject",
        "pipeline/tables/validate.py",
        "if not any(column in KEYS[table] or not schema.columns[column].nullable for column in bad):",
        "if True:",
        VALIDATE,
    ),
    # --- compare/diff.py: CONTRACT 5 "Comparisons", README diff -------------------------------------------------
    M(
        "diff matches slug before cred_id",
        "credentials match on cred_id, else on slug (a rename)",
        "pipeline/compare/diff.py",
        'for key in ("cred_id", "credential_slug") if key in shared',
        'for key in ("credential_slug", "cred_id") if key in shared',
        DIFF,
    ),
    M(
        "draft to final not reported",
        "is_draft is compared: a draft turning final is news",
        "pipeline/compare/diff.py",
        'IGNORED = IDENTITY | (PROVENANCE - {"is_draft"}) | {"option"}',
        'IGNORED = IDENTITY | PROVENANCE | {"option"}',
        DIFF,
    ),
    M(
        "provenance compared",
        "diff ignores provenance",
        "pipeline/compare/diff.py",
        "if column not in shared or column in IGNORED or before[column] == after[column]:",
        "if column not in shared or before[column] == after[column]:",
        DIFF,
    ),
    M(
        "missing from incomplete is removed",
        "a credential missing from an incomplete year is never removed",
        "pipeline/compare/diff.py",
        'report["not_in_this_copy" if gone else "removed"]',
        'report["removed"]',
        DIFF,
    ),
    M(
        "match across years",
        "outputs match credentials within a school year",
        "pipeline/compare/diff.py",
        'return (row["school_year"] if by_year else None, row[key])',
        "return (None, row[key])",
        DIFF,
    ),
    M(
        "cut page hides removed children",
        "child rows a cut page does not show are unseen, not removed",
        "pipeline/compare/diff.py",
        "    if cut[1]:\n        unseen, removed = unseen + len(removed), []",
        "    if False:\n        unseen, removed = unseen + len(removed), []",
        DIFF,
    ),
    M(
        "costs not paired",
        "costs match on (amount_usd, condition); one that changed is a change",
        "pipeline/compare/diff.py",
        'for column in ("condition", "amount_usd"):',
        "for column in ():",
        DIFF,
    ),
    M(
        "not in this copy is a change",
        "a credential missing from an incomplete copy is not a change",
        "pipeline/compare/diff.py",
        'CHANGE_COUNTS = ("added", "removed", "renamed", "changed", "values", "child_rows", "schema")',
        'CHANGE_COUNTS = ("added", "removed", "renamed", "changed", "values", "child_rows", "schema", '
        '"not_in_this_copy")',
        DIFF,
    ),
    # --- compare/check.py: exit codes of check, staleness ------------------------------------------------------
    M(
        "manifest problems valid",
        "check: manifest problems make the data invalid",
        "pipeline/compare/check.py",
        "found.drift or found.skipped or found.manifest_problems",
        "found.drift or found.skipped",
        CHECK,
    ),
    M(
        "skipped files valid",
        "check: skipped files make the data invalid",
        "pipeline/compare/check.py",
        "found.drift or found.skipped or",
        "found.drift or",
        CHECK,
    ),
    M(
        "parquet metadata not compared",
        "check: a Parquet file whose metadata differs is stale",
        "pipeline/compare/check.py",
        "if before.equals(after, check_metadata=True):\n            return None",
        "if before.equals(after):\n            return None",
        CHECK,
    ),
    M(
        "extra baseline file not stale",
        "check: an output no longer written is stale",
        "pipeline/compare/check.py",
        '            stale[name] = "not an output of extract any more"',
        "            pass",
        CHECK,
    ),
    M(
        "new output not stale",
        "check: an output missing from the baseline is stale",
        "pipeline/compare/check.py",
        '            stale[name] = "missing from the baseline"',
        "            pass",
        CHECK,
    ),
    M(
        "stale is valid",
        "check exits 2 when outputs are stale",
        "pipeline/compare/check.py",
        "INVALID if problems else STALE if found.stale else VALID",
        "INVALID if problems else VALID",
        CHECK,
    ),
    M(
        "data date makes stale",
        "the date of the data alone never makes outputs stale",
        "pipeline/compare/check.py",
        'if key not in ("extracted_at", "created")}',
        "if True}",
        CHECK,
    ),
    # --- stamp.py: "nothing changed, nothing done" and its limits -----------------------------------------------
    M(
        "stamp ignores code version",
        "a change of code is a change",
        "pipeline/stamp.py",
        '    if stamp["code"] != _code_version():\n        return None',
        "    if False:\n        return None",
        STAMP,
    ),
    M(
        "stamp ignores outputs",
        "outputs changed since the run is a change",
        "pipeline/stamp.py",
        "if stamp is None or not outputs_unchanged(stamp, out):",
        "if stamp is None:",
        STAMP,
    ),
    M(
        "stamp misses a deleted input",
        "a file removed from raw/ is a change",
        "pipeline/stamp.py",
        'if tree.files.keys() != stamp["inputs"].keys():',
        'if not tree.files.keys() <= stamp["inputs"].keys():',
        STAMP,
    ),
    M(
        "stamp trusts a changed stat",
        "a file whose stat moved is compared by content",
        "pipeline/stamp.py",
        "        if _hash_or_none(raw / rel) != digest:\n            return None",
        "        if False:\n            return None",
        STAMP,
    ),
    M(
        "known hash for a changed file",
        "a stamped hash stands only for a file whose stat is as stamped",
        "pipeline/stamp.py",
        "if stamped == info and digest is not None:",
        "if digest is not None:",
        STAMP,
    ),
    M(
        "untrusted stat stamped",
        "a read that failed for a cause that may pass is not vouched for by its stat",
        "pipeline/stamp.py",
        "list(before) if steady and rel not in untrusted else None",
        "list(before) if steady else None",
        STAMP,
    ),
    M(
        "report counts as an output",
        "`report` writing report.html does not make the next extract run",
        "pipeline/stamp.py",
        "if rel != REPORT_NAME}",
        "if True}",
        STAMP,
    ),
    # --- cache.py: the cache key and code version ----------------------------------------------------------
    M(
        "cache key without url",
        "a document's key holds every manifest fact (a new URL is a change)",
        "pipeline/cache.py",
        "fields = (ref.rel_path, ref.kind, ref.folder_year, ref.url, ref.cred_id, ref.course_id, ref.origin, sha256)",
        "fields = (ref.rel_path, ref.kind, ref.folder_year, ref.cred_id, ref.course_id, ref.origin, sha256)",
        CACHE,
    ),
    M(
        "cache key without origin",
        "a document's key holds the manifest's origin",
        "pipeline/cache.py",
        "ref.course_id, ref.origin, sha256)",
        "ref.course_id, sha256)",
        CACHE,
    ),
    M(
        "cache ignores code version",
        "nothing of an older code version is used",
        "pipeline/cache.py",
        'if state["format"] != _FORMAT or state["code"] != code_version():',
        'if state["format"] != _FORMAT:',
        CACHE,
    ),
    M(
        "code version without schemas",
        "a change to schemas makes a new code version",
        "pipeline/cache.py",
        '[*root.rglob("*.py"), *(root.parent / "schemas").rglob("*.py")]',
        '[*root.rglob("*.py")]',
        CACHE,
    ),
    M(
        "cache of another output folder",
        "an incremental run only from the run that wrote this --out",
        "pipeline/cache.py",
        'if not state or state["entangled"] or (state["raw"], state["out"]) != '
        "(str(raw.resolve()), str(out.resolve())):",
        'if not state or state["entangled"]:',
        CACHE,
        equivalent=(
            "extract asks the cache for its last run only when the stamp, which holds raw and out, says this --out "
            "is as that run left it (extract.py: outputs_unchanged); "
            "test_a_cache_of_another_output_folder_never_serves_rows_to_this_one holds the rule"
        ),
    ),
    # --- rebuild.py: incremental == whole, by hand-written values --------------------------------------------
    M(
        "deleted document kept",
        "a deleted document's rows leave the outputs",
        "pipeline/rebuild.py",
        "    changed |= set(last.documents) - set(keys)\n",
        "",
        CACHE,
    ),
    M(
        "listing change incremental",
        "a changed listing rebuilds everything",
        "pipeline/rebuild.py",
        "    if any(item.listing for item in before + after):\n        return None",
        "    if False:\n        return None",
        CACHE,
    ),
    M(
        "other sources of a group not rebuilt",
        "a changed source rebuilds its credential from all its sources",
        "pipeline/rebuild.py",
        "others = [path for path in keys if path not in changed and groups.intersection(facts[path].groups)]",
        "others = []",
        CACHE,
    ),
    M(
        "old group left",
        "a credential renamed by a change leaves its old row",
        "pipeline/rebuild.py",
        "groups = {group for item in before + after for group in item.groups}",
        "groups = {group for item in after for group in item.groups}",
        CACHE,
    ),
    M(
        "sets by the groups' names",
        "a whole build's sets follow where their documents are stored (few row groups read), not the groups' names",
        "pipeline/rebuild.py",
        "    for path in sorted(keys, key=lambda path: position[keys[path]]):",
        "    for path in sorted(keys, key=lambda path: sorted(store.facts[keys[path]].groups)):",
        ("tests/test_rebuild.py::test_sets_of_groups_and_then_the_documents_of_none",),
    ),
    M(
        "sets of a dead build process lost",
        "a pool process that dies costs no set: the sets not returned are built here",
        "pipeline/rebuild.py",
        "        for number in range(returned, len(sets)):",
        "        for number in range(returned + 1, len(sets)):",
        ("tests/test_rebuild.py::test_sets_are_built_on_forked_processes_and_those_of_a_dead_process_here",),
    ),
    M(
        "every set given to the pool at once",
        "the pool is given a few sets at a time: a build that stops (an entangled set) does not wait for the rest",
        "pipeline/rebuild.py",
        "                    while first <= last and len(pooled) < processes * _AHEAD:",
        "                    while first <= last:",
        ("tests/test_rebuild.py::test_a_set_that_is_entangled_stops_the_pool_and_everything_is_built_at_once",),
    ),
    M(
        "the run's process idle while the pool builds",
        "this process builds the last sets not given out while it waits (two cores, one pool process)",
        "pipeline/rebuild.py",
        "                    if number not in pooled or pooled[number].done() or first > last:",
        "                    if True:",
        ("tests/test_rebuild.py::test_sets_are_built_on_forked_processes_and_those_of_a_dead_process_here",),
    ),
    M(
        "spilled sets read in the order of their names",
        "a table's rows are every set's in the sets' order (10 after 2), whichever process wrote them first",
        "pipeline/rebuild.py",
        "for _, path in sorted(numbered)]",
        "for path in sorted(path for _, path in numbered)]",
        ("tests/test_rebuild.py::test_spilled_tables_read_back_every_set_in_order_as_the_first_sets_types",),
    ),
    M(
        "files ranked by their numbers",
        "a cache file's rank is its place in the list (files listed, then written), not its number",
        "pipeline/cache.py",
        "        rank = {name: number for number, name in enumerate(dict.fromkeys("
        "name for name, _ in self._where.values()))}",
        "        rank = {name: _number(name) for name, _ in self._where.values()}",
        (
            "tests/test_cache.py::"
            "test_positions_rank_the_files_listed_then_those_written_by_their_order_not_their_numbers",
        ),
    ),
    M(
        "damaged cached results skipped",
        "a cached result that no longer reads back is parsed again, never left out",
        "pipeline/cache.py",
        "        for key in keys:\n"
        "            if key not in found:\n"
        "                raise BrokenPart(self._where[key][0])\n"
        "        return found\n",
        "        return found\n",
        (
            "tests/test_cache.py::test_rows_that_do_not_read_back_name_their_file_never_left_out",
            "tests/test_containment_state.py::test_cached_results_damaged_after_the_cache_was_read_are_parsed_again",
        ),
    ),
    # --- read/blocks.py, labels.py, text.py, html.py: CONTRACT 5 "Names", "Cut pages", "Text", chrome ------------
    M(
        "inline words of a value trimmed",
        "a value after a bold label keeps the spaces written around the inline words in it",
        "pipeline/read/html.py",
        "            _gather(child, pieces)  # as written: the spaces at its edges stay (`use<b> only </b>approved`)",
        '            pieces.append(child_text if _tag(child) != "br" else "\\n")',
        ("tests/test_parse_html.py::test_a_value_after_a_bold_label_keeps_the_spaces_around_the_inline_words_in_it",),
    ),
    M(
        "a starred footnote is a listing row",
        "a footnote under the listing (`* Courses marked ...`) is never a row nor the end of one",
        "pipeline/read/pdf_listing.py",
        "    return text.strip().casefold().startswith(_FOOTNOTE_MARKS)",
        "    return fold(text).startswith(_FOOTNOTE_MARKS)\n\n\nfrom pipeline.read.labels import fold",
        (
            "tests/test_parse_pdf.py::test_a_listing_s_rows_from_its_cells_across_pages_footnotes_and_a_row_broken_by_a_page",
        ),
    ),
    M(
        "a header line judged by its extent",
        "a header word reaching into the white space between the listing's columns is not cut by a gutter",
        "pipeline/read/pdf_listing.py",
        "    header = [line for line in lines[:first] if _leaves_open(runs, _white_runs([*rows, line], height))]",
        "    header = [line for line in lines[:first] if not any(\n"
        "        min(w['x0'] for w in line) < start and max(w['x1'] for w in line) > end for start, end in runs)]",
        ("tests/test_pdf_listing.py::test_a_header_word_reaching_into_a_gutter_is_not_cut_by_it",),
    ),
    M(
        "a listing with no rows only from the last pass",
        "a ruled listing printed with its header and no row is a listing with no rows, not a printed page",
        "pipeline/read/pdf_listing.py",
        "        if rows == []:\n            found = []",
        "        found = [] if rows == [] else None",
        (
            "tests/test_pdf_listing.py::"
            "test_a_ruled_listing_printed_with_its_header_and_no_row_is_a_listing_with_no_rows",
        ),
    ),
    M(
        "a broken row cut to its rest's cells",
        "a row broken by a page keeps its last cells when its rest on the next page has fewer",
        "pipeline/read/pdf_listing.py",
        "zip_longest(rows[-1], cells)",
        "zip(rows[-1], cells)",
        (
            "tests/test_pdf_listing.py::"
            "test_a_row_broken_by_a_page_is_the_last_row_and_keeps_its_cells_when_its_rest_has_fewer",
        ),
    ),
    M(
        "last year heading wins",
        "the page's first school-year heading is its year",
        "pipeline/read/blocks.py",
        "match = patterns.SCHOOL_YEAR_HEADING.search(text)",
        "match = ([None, *patterns.SCHOOL_YEAR_HEADING.finditer(text)])[-1]",
        READ,
    ),
    M(
        "a markdown header row is a pair",
        "the row above a Markdown table's separator names its columns: no pair, no second block",
        "pipeline/read/text_markup.py",
        "                out.pop()  # the row above",
        "                pass  # the row above",
        ("tests/test_parse_text.py",),
    ),
    M(
        "a markdown label row read as a header",
        "a converter's header made of a table's first row of labels is that row",
        "pipeline/read/text_markup.py",
        "    return canonical_label(inline(first).strip()) is None\n",
        "    return True\n",
        ("tests/test_parse_text.py",),
    ),
    M(
        "a br tag is text",
        "a `<br>` in Markdown is a line break of the value",
        "pipeline/read/text_markup.py",
        '    return _HTML_BREAK.sub("\\n", text).rstrip()',
        "    return text.rstrip()",
        ("tests/test_parse_text.py",),
    ),
    M(
        "an invisible character splits a label",
        "a label is matched as a person reads it: what shows nothing (a soft hyphen) is no part of it",
        "pipeline/read/labels.py",
        '    text = patterns.INVISIBLE.sub("", text.replace("^*", " ").replace("*", " "))\n',
        '    text = text.replace("^*", " ").replace("*", " ")\n',
        ("tests/test_parse_html.py", "tests/test_properties.py"),
    ),
    M(
        "an invisible character stays in a value",
        "a name or a value is what a person reads: what shows nothing is no part of it",
        "pipeline/read/blocks.py",
        "    for event in _shown(events):\n",
        "    for event in events:\n",
        ("tests/test_parse_html.py",),
    ),
    M(
        "bordered table read as text",
        "a table a text browser drew with borders is read by its columns",
        "pipeline/read/text.py",
        "    lines = text_markup.without_borders(text_markup.without_tabs(text.splitlines()))\n",
        "    lines = text_markup.without_tabs(text.splitlines())\n",
        ("tests/test_parse_text.py",),
    ),
    M(
        "every bar is a border",
        "a bar that stands where no border's joint is, is text (`Autodesk | Pearson VUE`)",
        "pipeline/read/text_markup.py",
        '"".join(" " if at in edges and character in _BARS else character',
        '"".join(" " if character in _BARS else character',
        ("tests/test_parse_text.py",),
    ),
    M(
        "any loose line quoted as a cut title",
        "a cause is one short line: a loose line too long for a title is not quoted",
        "pipeline/parse.py",
        "    if page.title_fragment and len(page.title_fragment) <= _TITLE_AT_MOST:\n",
        "    if page.title_fragment:\n",
        ("tests/test_parse.py",),
    ),
    M(
        "a copied table's tabs are spaces",
        "a table copied out of a browser is read by its tabs",
        "pipeline/read/text.py",
        "text_markup.without_borders(text_markup.without_tabs(text.splitlines()))",
        "text_markup.without_borders([line.expandtabs() for line in text.splitlines()])",
        ("tests/test_parse_text.py",),
    ),
    M(
        "a copied cell's lines are loose",
        "a copied cell's own line breaks are lines of that cell, up to the next row",
        "pipeline/read/text_markup.py",
        "        in_a_cell = bool(tab) or (in_a_cell and bool(line.strip()))\n",
        "        in_a_cell = bool(tab)\n",
        ("tests/test_parse_text.py",),
    ),
    M(
        "an email swallows a glued web address",
        "an email's domain stops where a web address glued to it begins (a flattened table's lines joined by nothing)",
        "pipeline/patterns.py",
        '_DOMAIN_CHARACTER = r"(?:(?!(?i:https?://|www\\.))[A-Za-z0-9-])"',
        '_DOMAIN_CHARACTER = r"[A-Za-z0-9-]"',
        ("tests/test_normalize.py", "tests/test_properties.py"),
    ),
    M(
        "a manifest row naming no file is silent",
        "a manifest row naming no file of its folder (a file lost since it was fetched) is a manifest problem",
        "pipeline/read/documents.py",
        "        _rows_without_a_file(year_dir, raw_root, manifest, {in_year for in_year, _ in found}, inventory)\n",
        "",
        ("tests/test_documents.py",),
    ),
    M(
        "a section's heading goes on a value",
        "an element holding a heading is a section of its own: no value goes on in it",
        "pipeline/read/html.py",
        '    return next(element.iterdescendants(*_HEADINGS, "table", "dl"), None) is not None\n',
        "    return False\n",
        ("tests/test_parse_html.py",),
    ),
    M(
        "a value never goes on",
        "a bold label's value goes on in the paragraphs after it, up to the next label: nothing is dropped",
        "pipeline/read/blocks.py",
        "                _go_on(blocks[-1], going_on, loose)\n",
        "                pass\n",
        ("tests/test_parse_html.py",),
    ),
    M(
        "a heading goes on a value",
        "a heading between two labels is no value's",
        "pipeline/read/blocks.py",
        "joined = list(itertools.takewhile(lambda line: line.joins, lines))",
        "joined = list(lines)",
        ("tests/test_parse_html.py",),
    ),
    M(
        "a heading may go on (HTML)",
        "a heading between two labels is no value's",
        "pipeline/read/html.py",
        " and not _is_heading(child):",
        ":",
        ("tests/test_parse_html.py",),
    ),
    M(
        "a name goes on",
        "the name is one line, a key: a paragraph after it goes on nothing",
        "pipeline/read/blocks.py",
        " or block.pairs[-1].key == FIRST_LABEL:",
        ":",
        ("tests/test_parse_html.py",),
    ),
    M(
        "a joined paragraph stays a title",
        "a paragraph a value went on in is never the next block's title",
        "pipeline/read/blocks.py",
        "    del loose[len(loose) - len(lines) : len(loose) - len(lines) + len(joined)]\n",
        "",
        ("tests/test_parse_html.py",),
    ),
    M(
        "label met again stays in the block",
        "a label its open block already met opens a new block: two credentials never merge",
        "pipeline/read/blocks.py",
        "if event.key == FIRST_LABEL or not blocks or event.key in met:",
        "if event.key == FIRST_LABEL or not blocks:",
        READ,
    ),
    M(
        "cut block complete",
        "a block that stops before Directory Notes is not complete",
        "pipeline/read/blocks.py",
        "return any(pair.key == LAST_LABEL for pair in self.pairs)",
        "return bool(self.pairs)",
        READ,
    ),
    M(
        "chrome line as title",
        "page chrome is never a title",
        "pipeline/read/blocks.py",
        "if not lines or is_page_chrome(lines[-1]):",
        "if not lines:",
        READ,
    ),
    M(
        "first loose line as title",
        "the title is the last loose line before the block",
        "pipeline/read/blocks.py",
        "return _one_line(lines[-1]), None",
        "return _one_line(lines[0]), None",
        READ,
    ),
    M(
        "star not folded",
        "labels match after folding whitespace, case and `*`",
        "pipeline/read/labels.py",
        'text.replace("^*", " ").replace("*", " ")',
        'text.replace("^*", " ")',
        READ,
    ),
    M(
        "shortest glued label first",
        "a glued label is the longest that matches",
        "pipeline/read/labels.py",
        "key=lambda label: -len(label.text)",
        "key=lambda label: len(label.text)",
        READ,
        equivalent=(
            "no label of site.FIELDS begins another once folded (a test checks it), so at most one label can open "
            "a line and the order they are tried in decides nothing"
        ),
    ),
    M(
        "a label twice in a block",
        "a value line starting with a label met already is text",
        "pipeline/read/text.py",
        "    return key not in current.seen",
        "    return True",
        READ,
    ),
    M(
        "one-line value taken as title",
        "only the last of several value lines is the next title",
        "pipeline/read/text.py",
        "    if len(pair.lines) > 1:\n        return pair.lines.pop().strip()",
        "    if len(pair.lines) > 0:\n        return pair.lines.pop().strip()",
        READ,
    ),
    M(
        "label fragment kept in value",
        "a label fragment at the very end is not data",
        "pipeline/read/text.py",
        "    if is_label_fragment(last, pair.seen):",
        "    if False:",
        READ,
    ),
    M(
        "script read as text",
        "scripts are chrome, never data",
        "pipeline/read/html.py",
        '_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "head", "template"})',
        '_SKIPPED_TAGS = frozenset({"style", "noscript", "head", "template"})',
        READ,
    ),
    M(
        "br not a line break",
        "`<br>` breaks a value's line",
        "pipeline/read/html.py",
        '    if tag == "br":\n        pieces.append("\\n")',
        '    if tag == "br":\n        pieces.append(" ")',
        READ,
    ),
    M(
        "link target dropped",
        "a link's target shows beside its text when the text does not hold it",
        "pipeline/read/html.py",
        'if href.lower().startswith(("http://", "https://")) and',
        'if False and href.lower().startswith(("http://", "https://")) and',
        READ,
    ),
    # --- read/documents.py: CONTRACT 5 "Names and keys", "Unreadable documents" ------------------------------
    M(
        "file name over url",
        "cred_id: a URL wins over a file name",
        "pipeline/read/documents.py",
        "    if not url:\n        cred_id, course_id = file_cred, file_course",
        "    if file_cred is not None or not url:\n        cred_id, course_id = file_cred, file_course",
        DOCS,
    ),
    M(
        "folder year over page year",
        "the page's school year wins over its folder's",
        "pipeline/read/documents.py",
        'return page_year, f"school year {page_year} on the page',
        'return ref.folder_year, f"school year {page_year} on the page',
        DOCS,
    ),
    M(
        "charset ignored",
        "decoding: a BOM, then an HTML charset, then UTF-8, then windows-1252",
        "pipeline/read/documents.py",
        "    if is_html:\n        declared",
        "    if False:\n        declared",
        DOCS,
    ),
    M(
        "windows-1252 replaced",
        "decoding falls back to windows-1252, not to replacement characters",
        "pipeline/read/documents.py",
        "    return _decode_by_segments(data)\n",
        '    return data.decode("utf-8", "replace")\n',
        DOCS,
    ),
    M(
        "negative id read",
        "cred_id=-1 means none",
        "pipeline/read/documents.py",
        "return int(text) if patterns.ASCII_ID.fullmatch(text) else None",
        'return int(text) if text.lstrip("-").isdigit() else None',
        DOCS,
    ),
    # --- read/pdf_listing.py: CONTRACT 5 "Credentials by Course" -------------------------------------------
    M(
        "directory label makes a listing",
        "words that are also directory labels do not make a listing",
        "pipeline/read/pdf_listing.py",
        "    if labels_spelled >= _PAGE_LABELS:\n        return False",
        "    if False:\n        return False",
        PDF,
    ),
    # --- read/pdf_pages.py: a value's lines as printed -------------------------------------------------------
    M(
        "blank line at a page's end lost",
        "a page that ended a line early left a blank line of the value there",
        "pipeline/read/pdf_pages.py",
        "        and last.top + _BLANK_AT_PAGE_END * last.size <= frame.bottom\n",
        "        and False\n",
        (PAGE_BREAK,),
    ),
    M(
        "line break over a page read as a blank line",
        "a page that goes on in lower case carried a line break over, not a blank line",
        "pipeline/read/pdf_pages.py",
        "        and not patterns.LOWER_CASE_WORD.fullmatch(first.text)\n",
        "",
        (PAGE_BREAK,),
    ),
    # --- read/text_markup.py, read/text_columns.py: text renderings (CONTRACT section 3) --------------------
    M(
        "link address dropped",
        "a link whose text does not show its address keeps the address after the text",
        "pipeline/read/text_markup.py",
        'return f"{shown} {target}".strip()',
        "return shown.strip()",
        TEXT,
    ),
    M(
        "mailto kept",
        "an email link is its address, without `mailto:`",
        "pipeline/read/text_markup.py",
        'return target[len("mailto:") :] if target.lower().startswith("mailto:") else target',
        "return target",
        TEXT,
    ),
    M(
        "hard break by spaces ignored",
        "Markdown's two trailing spaces are a line break, not a wrap",
        "pipeline/read/text_markup.py",
        'return line.endswith(("  ", "\\\\"))',
        'return line.endswith("\\\\")',
        TEXT,
    ),
    M(
        "address cut at a slash joined with a space",
        "an address a dump cut after `/` or `-` goes on without a space",
        "pipeline/read/text_markup.py",
        'if cut and (token.endswith(("/", "-")) or (full and longer)):',
        "if cut and (full and longer):",
        TEXT,
    ),
    M(
        "link reference list kept",
        "a text browser's list of link addresses at the end is no value",
        "pipeline/read/text_markup.py",
        "    if end - start < 1 or not any(",
        "    if True or not any(",
        TEXT,
    ),
    M(
        "label at the top of its row",
        "a converter sets a label in the middle of its row: the rows tile the table around it",
        "pipeline/read/text_columns.py",
        "end = start + row.lines + 2 * above + extra - 1",
        "end = start + row.lines + above + extra - 1",
        TEXT,
    ),
    M(
        "item lines not weighed",
        "a line of a list of items (pathways, SOC codes, courses) names one: a line without one is another row's",
        "pipeline/read/text_columns.py",
        "cost += 2.0 * sum(1 for line in text if not item.search(line))",
        "cost += 0.0 * sum(1 for line in text if not item.search(line))",
        TEXT,
    ),
    M(
        "paragraph split at the column",
        "a line whose text runs across the value column's edge is a paragraph, not a row",
        "pipeline/read/text_columns.py",
        '        if line[column - 1 : column] not in (" ", ""):',
        "        if False:",
        TEXT,
    ),
    M(
        "sentence split at the column",
        "words one space apart at the column's edge are a sentence, not an unknown label and its value",
        "pipeline/read/text_columns.py",
        '        if not label.endswith("  ") and not _in_a_label(label.strip()):',
        "        if False:",
        TEXT,
    ),
    # --- tables/rows.py: CONTRACT 5 "Names and keys": the name is the Credential Name value ----------------
    M(
        "name from the title",
        "the Credential Name value is the name; the title only stands in without one",
        "pipeline/tables/rows.py",
        "    return _stated_name(block) or n.clean_text(block.title)",
        "    return n.clean_text(block.title) or _stated_name(block)",
        NAMES,
    ),
    M(
        "name cut inside kept",
        "a page cut inside the Credential Name value takes the whole name from its title",
        "pipeline/tables/rows.py",
        "if stated and title and cut_inside and title.startswith(stated) and title != stated:",
        "if False:",
        NAMES,
    ),
    M(
        "title mismatch not noted",
        "a title that differs from the Credential Name is noted",
        "pipeline/tables/rows.py",
        "return title if stated and title and title != stated else None",
        "return None",
        NAMES,
    ),
    # --- site.py: the field map is refused when it disagrees with its normalizers --------------------------
    M(
        "swapped columns accepted",
        "a field lists its normalizer's columns by name, in its order (a swap is refused at import)",
        "pipeline/site.py",
        "if named is not None and tuple(self.columns) != named:",
        "if named is not None and set(self.columns) != set(named):",
        FIELD_MAP,
    ),
    M(
        "column given twice accepted",
        "no column is filled by two fields",
        "pipeline/site.py",
        '            ("column", [column for entry in fields for column in entry.columns]),\n',
        "",
        FIELD_MAP,
    ),
    # --- schemas/tables.py, tables/coverage.py --------------------------------------------------------------
    M(
        "school year not consecutive accepted",
        "a school year's second year is the first + 1",
        "schemas/tables.py",
        "bad = [year for year in years.dropna().unique() if not _consecutive(str(year))]",
        "bad = []",
        VALIDATE,
    ),
    M(
        "passing score over 100 accepted",
        "a passing score is a percent, 0 to 100",
        "schemas/tables.py",
        '"Exam Passing Requirement as a percent (`700 out of 1000` -> 70)", ge=0, le=100)',
        '"Exam Passing Requirement as a percent (`700 out of 1000` -> 70)", ge=0)',
        VALIDATE,
    ),
    M(
        "failed pages complete",
        "a year whose last refresh had failed pages is incomplete",
        "pipeline/tables/coverage.py",
        '    if row.get("failed"):',
        "    if False:",
        REFRESH,
    ),
    # --- compare/report.py: every value from a page is escaped, a link only ever an http(s) URL ------------
    M(
        "value not escaped",
        "every value from a page is HTML-escaped in the report",
        "pipeline/compare/report.py",
        "    return escape(text)\n\n\ndef _code",
        "    return text\n\n\ndef _code",
        REPORT,
    ),
    M(
        "code not escaped",
        "page text shown as written is escaped too",
        "pipeline/compare/report.py",
        'return f"<code>{escape(text)}</code>" if text else ""',
        'return f"<code>{text}</code>" if text else ""',
        REPORT,
    ),
    M(
        "any url linked",
        "a link is only ever an http(s) URL",
        "pipeline/compare/report.py",
        "    if url and _WEB_URL.match(url):\n",
        "    if url:\n",
        REPORT,
    ),
    # --- files.py: nothing the user had is deleted or overwritten (README "Safety") ------------------------
    M(
        "out inside raw accepted",
        "--out inside the raw folder is refused",
        "pipeline/files.py",
        "    if target.is_relative_to(raw_root):\n",
        "    if False:\n",
        SAFETY,
    ),
    M(
        "foreign out replaced",
        "an --out holding files extract did not write is refused",
        "pipeline/files.py",
        "    if names and MARKER not in names:",
        "    if False:",
        SAFETY,
    ),
    M(
        "live writer's copy removed",
        "a staging copy of a writer still running is left alone",
        "pipeline/files.py",
        "or not _ours(path) or _writer_alive(suffix.group(1)):",
        "or not _ours(path):",
        ("tests/test_output_safety.py::test_a_live_writers_staging_copy_is_left_alone_and_a_dead_ones_removed",),
    ),
    M(
        "retired output not restored",
        "a run killed between its two renames gets the old output back",
        "pipeline/files.py",
        "            if prefix == RETIRED_PREFIX and not out.exists():",
        "            if False:",
        SAFETY,
    ),
    M(
        "lock opened through a link",
        "a lock file that is a link is refused: written through, it would overwrite the file the link names",
        "pipeline/files.py",
        '_NEVER_THROUGH = getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK',
        "_NEVER_THROUGH = os.O_NONBLOCK",
        ("tests/test_files.py::test_a_lock_file_that_is_a_link_or_a_fifo_is_refused_naming_it_and_nothing_is_written",),
    ),
    M(
        "cache pages unchecked",
        "a cache file whose bytes changed on disk is a broken file (parsed again), never served as data",
        "pipeline/cache.py",
        "    return parquet.ParquetFile(path, page_checksum_verification=True)",
        "    return parquet.ParquetFile(path)",
        ("tests/test_cache_hostile.py::test_a_result_file_with_a_few_bytes_changed_on_disk_is_noticed_not_served",),
    ),
    M(
        "cache fifo opened",
        "a FIFO where the cache keeps a file never stalls the run",
        "pipeline/cache.py",
        "    require_regular(os.stat(path).st_mode, path)\n",
        "",
        ("tests/test_cache_hostile.py::test_a_fifo_in_place_of_a_cache_file_never_stalls_the_run",),
    ),
    M(
        "cache not kept stops the run",
        "failing to write what the cache keeps for the next run costs that run time, never this run its outputs",
        "pipeline/extract.py",
        "    try:\n        keep()\n    except OSError as error:",
        "    try:\n        keep()\n    except ValueError as error:",
        ("tests/test_cache_hostile.py::test_a_full_disk_for_the_cache_keeps_the_outputs_whole_or_the_last_ones",),
    ),
    M(
        "fifo opened",
        "a FIFO, socket or device under raw/ is a one-line error, never a hang",
        "pipeline/files.py",
        "        require_regular(os.fstat(handle).st_mode, path)\n",
        "",
        SAFETY,
    ),
    M(
        "mode of a replaced file lost",
        "a file written again keeps its mode",
        "pipeline/files.py",
        "mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()",
        "mode = 0o666 & ~_umask()",
        ("tests/test_output_safety.py::test_a_file_written_again_keeps_its_mode",),
    ),
    M(
        "linked folders walked",
        "a link to a folder under raw/ is not followed (a loop, or a folder outside)",
        "pipeline/files.py",
        "(folders if entry.is_dir(follow_symlinks=False) else names)",
        "(folders if entry.is_dir() else names)",
        (
            "tests/test_containment_files.py::test_a_link_to_a_folder_is_skipped_and_never_walked",
            "tests/test_stamp.py::test_a_link_to_a_folder_is_not_walked_for_the_stamp",
        ),
    ),
    # --- read/pdf_budget.py: a PDF's compressed streams are counted before any library inflates them --------
    M(
        "inflation budget removed",
        "a PDF whose streams inflate past the budget is refused before it is read",
        "pipeline/read/pdf_budget.py",
        "        if self.used > self.budget:",
        "        if False:",
        BUDGET,
    ),
    M(
        "stream cap removed",
        "a PDF with more compressed streams than the cap is refused",
        "pipeline/read/pdf_budget.py",
        "        if len(seen) > max_streams:",
        "        if False:",
        BUDGET,
    ),
    M(
        "identity crypt skipped",
        "a stream behind the Identity crypt filter is counted like any other",
        "pipeline/read/pdf_budget.py",
        'if parms.get(b"Name", Name(b"Identity")) != Name(b"Identity"):',
        "if True:",
        ("tests/test_containment_files.py::test_a_hostile_pdf_is_one_unreadable_document",),
    ),
    # --- read/pdf.py: print chrome by its role ---------------------------------------------------------------
    M(
        "running line anywhere",
        "a line repeated on every page is print chrome only at its page's edge (a short value can come back at "
        "the same height)",
        "pipeline/read/pdf.py",
        "repeated = pages > 1 and _at_edge(line, edges) and places[_place(line)] >= pages",
        "repeated = pages > 1 and places[_place(line)] >= pages",
        PDF,
        equivalent=(
            "places counts only lines at an edge: a line away from its page's edge shares its place (text and "
            "height) with no edge line of its own page, so its place cannot reach one a page"
        ),
    ),
    M(
        "one page's edges dropped",
        "on a one-page document no line is a running header or footer",
        "pipeline/read/pdf.py",
        "repeated = pages > 1 and _at_edge(line, edges) and places[_place(line)] >= pages",
        "repeated = _at_edge(line, edges) and places[_place(line)] >= pages",
        PDF,
    ),
    M(
        "scan read as a page",
        "a PDF without a text layer is said to be one (OCR is out of scope)",
        "pipeline/read/pdf.py",
        "    if not words:\n        raise DocumentError",
        "    if False:\n        raise DocumentError",
        BUDGET,
    ),
    # --- schemas/datapackage.py: the data package says the tables' keys and constraints ---------------------
    M(
        "primary key left out",
        "each table's key is its data package primaryKey",
        "schemas/datapackage.py",
        '        result["primaryKey"] = list(KEYS[table])',
        "        pass",
        ("tests/test_dataset.py::test_the_data_package_describes_types_keys_and_constraints_by_hand",),
    ),
    M(
        "foreign key left out",
        "each child table joins to credentials by a declared foreign key",
        "schemas/datapackage.py",
        '        result["foreignKeys"] = [{"fields": list(JOIN), "reference": {"resource": "credentials", "fields": '
        "list(JOIN)}}]",
        "        pass",
        ("tests/test_dataset.py::test_the_data_package_describes_types_keys_and_constraints_by_hand",),
    ),
    M(
        "required left out",
        "a column that is never null is required in the data package",
        "schemas/datapackage.py",
        '        constraints["required"] = True',
        "        pass",
        ("tests/test_dataset.py::test_the_data_package_describes_types_keys_and_constraints_by_hand",),
    ),
    # --- history.py, refresh.py: the date of the data, the year's record, the refresh verdict ---------------
    M(
        "epoch ignored",
        "SOURCE_DATE_EPOCH sets the date of the data",
        "pipeline/history.py",
        "if epoch.isdigit() and len(epoch) <= 12 and int(epoch) <= _LAST_SECOND:",
        "if False:",
        REFRESH,
    ),
    M(
        "data date earliest fetch",
        "the date of the data is the latest fetch in raw/",
        "pipeline/history.py",
        "return max(times) if times else None",
        "return min(times) if times else None",
        REFRESH,
    ),
    M(
        "broken record deleted",
        "nothing the user had is deleted: a broken record is kept aside",
        "pipeline/history.py",
        "    os.replace(path, aside)",
        "    path.unlink()",
        REFRESH,
    ),
    M(
        "refresh checks its cache late",
        "refresh refuses an unsafe --cache before anything is fetched",
        "pipeline/refresh.py",
        "    if cache_dir is not None:  # extract checks it again",
        "    if False:  # extract checks it again",
        ("tests/test_refresh.py::test_a_cache_folder_holding_other_files_is_refused_before_anything_is_fetched",),
    ),
    M(
        "incomplete year ok",
        "refresh exits 1 when the year is incomplete",
        "pipeline/refresh.py",
        '    elif coverage["incomplete_because"]:',
        "    elif False:",
        REFRESH,
    ),
    M(
        "foreign keep folder removed",
        "refresh never removes a --keep folder it did not make",
        "pipeline/refresh.py",
        "        if not (keep / KEEP_MARKER).is_file() and not empty:\n            raise UsageError",
        "        if False:\n            raise UsageError",
        REFRESH,
    ),
    # --- exits.py -----------------------------------------------------------------------------------------
    M(
        "stale is invalid",
        "exit codes: 2 stale is not 1 invalid",
        "pipeline/exits.py",
        "OK, INVALID, STALE, USAGE, INTERRUPTED = 0, 1, 2, 3, 130",
        "OK, INVALID, STALE, USAGE, INTERRUPTED = 0, 1, 1, 3, 130",
        EXITS,
    ),
    # --- fetch/urls.py: one URL normaliser (RFC 3986) ------------------------------------------------------
    M(
        "userinfo allowed",
        "a URL with a user name or password is refused",
        U,
        "if parts.username is not None or parts.password is not None:",
        "if False:",
        NET,
    ),
    M(
        "default port kept",
        "the default port is dropped: one URL, one form",
        U,
        "netloc = host if port in (None, WEB_SCHEMES[scheme]) else",
        "netloc = host if port is None else",
        NET,
    ),
    M(
        "dot-dot not removed",
        "RFC 3986 5.2.4: `..` removes a segment",
        U,
        "            if output:\n                output.pop()",
        "            if False:\n                output.pop()",
        NET,
    ),
    M(
        "sibling directory inside",
        "inside the directory: under the base path ending in `/`",
        U,
        'return url.startswith(base_url) and base_url.endswith("/")',
        'return url.startswith(base_url.rstrip("/"))',
        NET,
    ),
    M(
        "encoded slash allowed",
        "an encoded slash in a path segment is refused",
        U,
        '        if "/" in decoded or "\\\\" in decoded:',
        "        if False:",
        NET,
    ),
    M(
        "escapes not uppercased",
        "percent-escapes in upper case: one URL, one form",
        U,
        "out.append(decoded if decoded in _UNRESERVED else escape.group(0).upper())",
        "out.append(decoded if decoded in _UNRESERVED else escape.group(0))",
        NET,
    ),
    # --- fetch/crawl.py, http.py, settings.py, cli.py (from the net helper's planted bugs) -------------------
    M(
        "listing outside fetched",
        "a page never chooses a host: only a listing inside the directory is fetched",
        C,
        "found = inside if target and same_directory(target, base_url) else outside",
        "found = inside if target else outside",
        NET,
    ),
    M(
        "robots BOM",
        "RFC 9309: robots.txt may start with a UTF-8 BOM",
        H,
        'response.content.decode("utf-8-sig", "replace")',
        'response.content.decode("utf-8", "replace")',
        NET,
    ),
    M(
        "robots redirects not followed",
        "RFC 9309 2.3.1.2: robots.txt redirects are followed (at most 5)",
        H,
        "            for _ in range(self.policy.max_redirects + 1):\n"
        "                response = self._get_with_retries(url, {})",
        "            for _ in range(1):\n                response = self._get_with_retries(url, {})",
        NET,
    ),
    M(
        "robots 5xx allows",
        "RFC 9309 2.3.1.4: an unreachable robots.txt (5xx) disallows all",
        H,
        '        if 400 <= response.status < 500:\n            return Protego.parse(""), ""',
        '        if 400 <= response.status < 600:\n            return Protego.parse(""), ""',
        NET,
    ),
    M(
        "robots 4xx disallows",
        "RFC 9309 2.3.1.3: an unavailable robots.txt (4xx) allows all",
        H,
        '        if 400 <= response.status < 500:\n            return Protego.parse(""), ""',
        '        if 400 <= response.status < 400:\n            return Protego.parse(""), ""',
        NET,
    ),
    M(
        "retry-after cap removed",
        "a server's Retry-After is capped",
        H,
        "if wait is not None and wait > self.policy.max_retry_after:",
        "if wait is not None and wait > self.policy.max_retry_after * 10**12:",
        NET,
    ),
    M(
        "retry-after float()",
        "Retry-After is delay-seconds (digits) or an HTTP date",
        H,
        "    if _DELAY_SECONDS.fullmatch(value):",
        "    if value.replace('.', '', 1).isdigit():",
        NET,
    ),
    M(
        "deadline not applied",
        "one deadline per response",
        H,
        "        if self.at is None:\n            return operation(timeout)",
        "        if True:\n            return operation(timeout)",
        NET,
    ),
    M(
        "gzip eof unchecked",
        "a truncated gzip body is an error",
        H,
        "        if not inflater.eof:",
        "        if False:",
        NET,
    ),
    M(
        "same page always",
        "a redirect to another page is not that page",
        C,
        "    return urlsplit(url).path == urlsplit(target).path and _page_parameters(url) == _page_parameters(target)",
        "    return True",
        NET,
    ),
    M(
        "php names not mangled",
        "query names read as PHP reads them",
        C,
        'key = name.replace(".", "_").replace(" ", "_").lower().split("[", 1)[0]',
        "key = name",
        NET,
    ),
    M(
        "redirect outside allowed",
        "redirects only inside the directory",
        C,
        "            if not same_directory(target, self.settings.base_url):\n"
        '                return "outside the directory"',
        '            if False:\n                return "outside the directory"',
        NET,
    ),
    M(
        "one global limiter",
        "the rate is per host",
        H,
        "        return self._limiters.setdefault(host, RateLimiter(1.0 / self.policy.rate))",
        "        return self._limiters.setdefault('all', RateLimiter(1.0 / self.policy.rate))",
        NET,
    ),
    M(
        "host wait budget removed",
        "the retry pauses one host may cost a run are bounded",
        H,
        "        if waited > self.policy.max_host_wait:",
        "        if False:",
        NET,
    ),
    M(
        "host wait budget counts the first pause only",
        "the retry pauses one host may cost a run add up",
        H,
        "        self._waited[host] = waited",
        "        self._waited.setdefault(host, waited)",
        NET,
    ),
    M(
        "no_proxy ignored",
        "a host named in no_proxy is reached directly",
        H,
        "        if pool is None or urllib.request.proxy_bypass_environment(url.host, self._proxies):",
        "        if pool is None:",
        NET,
    ),
    M(
        "name lookup unbounded",
        "the whole response, its name lookup included, is under --timeout",
        H,
        "        found = lookup.result(timeout)",
        "        found = lookup.result()",
        NET,
    ),
    M(
        "certificates not verified",
        "HTTPS certificates are always verified",
        H,
        "        context = httpx.create_ssl_context()",
        "        context = httpx.create_ssl_context(verify=False)",
        NET,
    ),
    M(
        "proxy left out of the unreachable message",
        "an unreachable host is said with the proxy it was reached through",
        H,
        '        if pool is self._direct:\n            return ""',
        '        if True:\n            return ""',
        NET,
    ),
    M(
        "proxy URL not checked",
        "a proxy variable that is no http:// URL is a usage error naming it",
        H,
        '        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0',
        "        usable = True",
        NET,
    ),
    M(
        "backoff uncapped",
        "a retry's back-off is capped",
        H,
        "        return min(delay, self.policy.max_retry_after)",
        "        return delay",
        NET,
    ),
    M(
        "stopped host asked again",
        "a host that asked to stop is not asked again",
        H,
        "        if host in self._stopped:\n            raise self._stopped[host]",
        "        if False:\n            raise self._stopped[host]",
        NET,
    ),
    M(
        "stopped exits 0",
        "a crawl a host stopped exits 1",
        CLI,
        "return exits.INVALID if summary.errors or summary.stopped else exits.OK",
        "return exits.INVALID if summary.errors else exits.OK",
        NET + ("tests/test_exit_codes.py",),
    ),
    M(
        "timeout inf accepted",
        "a timeout is a finite positive number",
        S,
        "if not (math.isfinite(value) and value > 0):",
        "if not value > 0:",
        NET,
    ),
    M(
        "contact unchecked",
        "the contact is one comment-safe token in the User-Agent",
        S,
        "if self.contact is not None and not _COMMENT_TEXT.fullmatch(self.contact):",
        "if False:",
        NET,
    ),
    M(
        "stop on robots is disallow",
        "a pause asked for on robots.txt stops the host",
        H,
        "        except (HostUnreachable, HostAsksToStop):\n            raise\n        except FetchError as error:\n"
        '            return None, f"robots.txt of',
        "        except HostUnreachable:\n            raise\n        except FetchError as error:\n"
        '            return None, f"robots.txt of',
        NET,
    ),
    M(
        "crawl-delay never stops",
        "a crawl-delay beyond the cap stops the host's crawl",
        H,
        "if delay > self.policy.max_crawl_delay and limiter.due_in() > self.policy.max_crawl_delay:",
        "if False:",
        NET,
    ),
    M(
        "stop loses resume state",
        "a stopped crawl keeps its state to resume",
        C,
        "        if not self.summary.stopped:\n            (self.year_dir / STATE_NAME).unlink(missing_ok=True)",
        "        if True:\n            (self.year_dir / STATE_NAME).unlink(missing_ok=True)",
        NET,
    ),
    M(
        "redirect target not queued",
        "a redirect to another page queues that page",
        C,
        "            found = {other} if other else set()",
        "            found = set()",
        NET,
    ),
    M(
        "year not fullmatch",
        "--year is one school year, all ASCII",
        C,
        "if not patterns.SCHOOL_YEAR.fullmatch(self.year) or not self.year.isascii():",
        "if not patterns.SCHOOL_YEAR.match(self.year):",
        NET,
    ),
    M(
        "resume skips the next page",
        "a resumed crawl starts at the page it had not finished",
        C,
        "pending=[(p.kind, p.id) for p in queue],",
        "pending=[(p.kind, p.id) for p in queue[1:]],",
        NET,
    ),
    M(
        "crawl-delay on other host slows all",
        "robots.txt crawl-delay is honoured on that host only",
        H,
        "        self._limiter(host).slow_down_to(delay)",
        "        [limiter.slow_down_to(delay) for limiter in self._limiters.values()]",
        NET,
    ),
    M(
        "id of 0",
        "a directory id is positive",
        C,
        "return int(text) if patterns.DIRECTORY_ID.fullmatch(text) and int(text) > 0 else None",
        "return int(text) if patterns.DIRECTORY_ID.fullmatch(text) else None",
        NET,
        equivalent=(
            "every caller of _directory_id also requires a truthy id (`if kind and number`, `if number`, "
            "`cred_id and _directory_id(...)`), so an id of 0 is refused either way; "
            "test_odd_ids_in_links_are_not_pages holds the rule for the ids a page can write"
        ),
    ),
    M(
        "conditional request for a gone file",
        "a file that is gone is fetched whole, not asked for as unchanged",
        C,
        "        if not row or not (self.year_dir / rel).exists():",
        "        if not row:",
        NET,
    ),
    # --- terminal.py: README "a file name or value is shown escaped, never acts on the terminal" -------------
    M(
        "format characters printed",
        "bidi overrides and other invisible format characters are shown escaped, not sent to the terminal",
        "pipeline/terminal.py",
        r'_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")',
        r'_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f]")',
        TERMINAL,
    ),
    M(
        "C1 controls printed",
        "C1 controls (a one-byte CSI) are shown escaped, like C0 ones",
        "pipeline/terminal.py",
        r'_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b',
        r'_UNSAFE = re.compile("[\x00-\x1f\x7f\u200b',
        TERMINAL,
    ),
    M(
        "printed as it is",
        "every path and page text printed goes through the escape",
        "pipeline/terminal.py",
        "return _UNSAFE.sub(_escaped, str(text))",
        "return str(text)",
        TERMINAL,
    ),
    # --- workers.py: README "a killed run leaves no workers and no held lock" ------------------------------
    M(
        "worker outlives its parent",
        "a worker is killed by the kernel when the run that started it dies",
        "pipeline/workers.py",
        "return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0",
        "return True",
        WORKERS,
    ),
    M(
        "worker watches no parent",
        "where the kernel cannot be asked, a thread watches the parent and ends the worker with it",
        "pipeline/workers.py",
        '    if not (sys.platform.startswith("linux") and _kill_me_with_my_parent()):',
        '    if not sys.platform.startswith("linux") and not _kill_me_with_my_parent():',
        WORKERS,
    ),
    M(
        "pool not forked",
        "a pool's processes are forked from the run (they share what it loaded), whatever the start method",
        "pipeline/workers.py",
        'fork = multiprocessing.get_context("fork")',
        "fork = multiprocessing.get_context()",
        (
            "tests/test_workers.py::test_a_pool_forks_this_run_whatever_the_start_method_and_freezes_its_objects_while_it_lives",
        ),
    ),
    M(
        "pool objects not thawed",
        "the run's objects are frozen only while a pool lives: thawed once it is gone, even when it broke",
        "pipeline/workers.py",
        "    finally:\n        gc.unfreeze()",
        "    finally:\n        pass",
        ("tests/test_workers.py::test_a_pool_whose_process_dies_thaws_the_runs_objects_all_the_same",),
    ),
    M(
        "pool workers unstarted",
        "every pool process starts as a worker of this run (dies with it)",
        "pipeline/workers.py",
        "initializer=start, initargs=(os.getpid(),)",
        "initargs=()",
        (
            "tests/test_workers.py::test_a_pools_worker_asks_the_kernel_to_kill_it_with_the_run_and_lets_go_of_the_runs_lock",
        ),
    ),
    M(
        "asked processes ignored",
        "--workers sizes the run; the cores are counted only when it is not given",
        "pipeline/workers.py",
        "    if asked:\n        return asked\n",
        "",
        ("tests/test_extract.py::test_a_run_parses_and_builds_on_the_processes_asked_else_one_per_core",),
    ),
    M(
        "bad core bound an internal error",
        "a LOKY_MAX_CPU_COUNT that is no number is a usage error naming it, not an internal error",
        "pipeline/workers.py",
        "    if limit is not None:\n        try:",
        "    if limit:\n        try:",
        ("tests/test_workers.py::test_a_bound_on_the_cores_that_is_no_number_stops_the_run_with_one_line_naming_it",),
    ),
    M(
        "machine cores not usable cores",
        "not asked, a run works on the cores this process may use (affinity, a container's quota), not the machine's",
        "pipeline/workers.py",
        "    return cpu_count()",
        "    return os.cpu_count() or 1",
        ("tests/test_workers.py::test_not_asked_a_run_bounded_to_one_cpu_works_on_one_process",),
    ),
    # --- read/pdf_worker.py: README "a PDF that kills its reader is its unreadable line, never the run's end" --
    M(
        "dead reader not replaced",
        "a dead PDF reader is that document's cause; the next PDF forks a new one",
        "pipeline/read/pdf_worker.py",
        "_, status = os.waitpid(self.pid, 0)\n        self.pid = None",
        "_, status = os.waitpid(self.pid, 0)",
        PDF_WORKER,
    ),
    M(
        "stopped reader not killed",
        "a reader past its deadline is killed; the next PDF gets a fresh one",
        "pipeline/read/pdf_worker.py",
        '                self.close()\n                raise _Dead(f"took over {MAX_SECONDS} s to read; stopped")',
        '                raise _Dead(f"took over {MAX_SECONDS} s to read; stopped")',
        PDF_WORKER,
    ),
    M(
        "retired reader kept",
        "a reader that ran out of memory is not trusted with the next document",
        "pipeline/read/pdf_worker.py",
        "        if retired:\n            self.close()\n",
        "",
        PDF_WORKER,
    ),
    M(
        "reader memory unlimited",
        "a reader's address space is bounded: a PDF bomb costs its document, not the machine",
        "pipeline/read/pdf_worker.py",
        "        _limit_memory()\n",
        "",
        PDF_WORKER,
    ),
    # --- parse.py: CONTRACT "unreadable documents reported by path and cause"; a dying worker costs one document --
    M(
        "unforeseen error ends the run",
        "read_document never raises: an unforeseen error is the document's cause",
        "pipeline/parse.py",
        "    except Exception as error:  # noqa: BLE001 - the one place where an unforeseen failure is contained",
        "    except ValueError as error:  # noqa: BLE001 - the one place where an unforeseen failure is contained",
        PARSE,
    ),
    M(
        "broken part skipped",
        "a process that dies costs one document: the rest of its part is parsed again",
        "pipeline/parse.py",
        "                yield _alone(rest[done], store)\n                done += 1\n",
        "                yield _alone(rest[done], store)\n                done += size\n",
        (f"{RULES}::test_a_document_that_kills_its_process_costs_only_itself_whatever_the_size_of_its_part", *PARSE),
    ),
    M(
        "pool's PDF worker kept",
        "the pool process that reads the PDFs closes its PDF worker once they are read (the run holds one at most)",
        "pipeline/parse.py",
        "    finally:\n        pdf_worker.close_now()\n",
        "    finally:\n        pass\n",
        (
            "tests/test_parse.py::test_with_many_documents_the_pdfs_are_one_task_of_the_pool_read_beside_the_rest_and_added_last",
        ),
    ),
    M(
        "PDFs of a dead pool process lost",
        "PDFs whose pool process died are read here once the rest are parsed, never left out",
        "pipeline/parse.py",
        "    yield from _parts_here(pdfs, store)\n",
        "",
        ("tests/test_parse.py::test_pdfs_whose_pool_process_died_are_read_here_once_the_rest_are_parsed",),
    ),
    M(
        "page cred_id on every block",
        "a page's cred_id names its credential only when the page holds one block",
        "pipeline/parse.py",
        "cred_id = ref.cred_id if len(page.blocks) == 1 else None",
        "cred_id = ref.cred_id",
        PARSE,
    ),
    M(
        "first row group's label rows for every group",
        "a document keeps its own label/value rows, whichever row group of a check it falls in",
        "pipeline/parse.py",
        "labels.slice(first_row, rows_here)",
        "labels.slice(0, rows_here)",
        ("tests/test_row_groups.py",),
    ),
    M(
        "first row group's label facts for every group",
        "a document keeps its own label rejects and drift facts, whichever row group of a check it falls in",
        "pipeline/parse.py",
        "label_facts[at : at + ROW_GROUP]",
        "label_facts[:ROW_GROUP]",
        ("tests/test_row_groups.py",),
    ),
    M(
        "row offset not moved",
        "each row group writes the rows after the previous group's",
        "pipeline/parse.py",
        "            first_row += rows_here\n",
        "            first_row += 0\n",
        ("tests/test_row_groups.py",),
    ),
    M(
        "printed URL ignored",
        "a printed page is named by the URL printed on it (its cred_id) before its file name",
        "pipeline/parse.py",
        "    if pdf is not None and pdf.url:\n",
        "    if False:\n",
        PARSE,
    ),
    # --- extract.py: README "extract only ever replaces a folder an earlier extract wrote"; bad files go on ----
    M(
        "output folder not checked",
        "extract refuses an unsafe --out before anything is written",
        "pipeline/extract.py",
        "    files.check_output(out, raw_root)\n",
        "",
        EXTRACT,
    ),
    M(
        "cache folder not checked",
        "extract refuses an unsafe --cache before anything is written",
        "pipeline/extract.py",
        "        files.check_cache(cache_dir, raw_root, out)\n",
        "        pass\n",
        (f"{RULES}::test_extract_called_from_code_refuses_a_cache_folder_holding_the_user_s_files", *EXTRACT),
    ),
    M(
        "unreadable file not reported",
        "a file that cannot be read is its one-line cause, and the run goes on",
        "pipeline/extract.py",
        "            plan.unreadable.append((key, DocumentResult(ref.rel_path, unreadable=data)))\n",
        "",
        EXTRACT,
    ),
    M(
        "a cold plan reads every file",
        "a cold run reads each document once: with nothing cached, no hash can find a result",
        "pipeline/extract.py",
        "    if not store.facts:\n",
        "    if False:\n",
        ("tests/test_extract.py::test_a_run_without_a_cache_reads_every_document_and_reports_what_it_parsed",),
    ),
    M(
        "a passing failure read where parsed is stamped",
        "a read that failed for a cause that may pass is not vouched for by its stat, wherever it was read",
        "pipeline/extract.py",
        "            if planned is not None or documents.may_pass(digest):\n",
        "            if planned is not None:\n",
        ("tests/test_extract.py::test_a_document_that_cannot_be_read_is_reported_and_stamped_by_its_cause",),
    ),
    M(
        "every read failure lasts",
        "only a failure for the file's own permissions lasts until the file changes",
        "pipeline/read/documents.py",
        "    passing = isinstance(cause, OSError) and cause.errno not in _LASTING\n",
        "    passing = False\n",
        ("tests/test_extract.py::test_a_document_that_cannot_be_read_is_reported_and_stamped_by_its_cause",),
    ),
    M(
        "edited outputs built on",
        "a cached run builds on its last outputs only when they are as it wrote them",
        "pipeline/extract.py",
        "last = store.last_run(raw_root, out) if stamp.outputs_unchanged(plan.stamp, out) else None",
        "last = store.last_run(raw_root, out)",
        (f"{RULES}::test_an_output_edited_by_hand_is_never_the_base_of_the_next_cached_run", *EXTRACT),
    ),
    # --- patterns.py: CONTRACT "numbers never read without sign"; near misses reach validation -------------
    M(
        "sign dropped",
        "a number is read with its sign (`-5 years` is rejected, never read as 5)",
        "pipeline/patterns.py",
        'NUMBER = r"-?\\d+(?:\\.\\d+)?"',
        'NUMBER = r"\\d+(?:\\.\\d+)?"',
        PATTERNS,
    ),
    M(
        "email near miss not found",
        "an email without a domain ending (`eli@dpi`) is found, so validation rejects it visibly",
        "pipeline/patterns.py",
        '+(?:\\.{_DOMAIN_CHARACTER}+)*"',
        '+(?:\\.{_DOMAIN_CHARACTER}+)+"',
        PATTERNS,
    ),
    M(
        "soc near miss not found",
        "a SOC code of the wrong length (`(43-903)`) is found, so validation rejects it visibly",
        "pipeline/patterns.py",
        'SOC_CODE = re.compile(r"\\(\\s*(\\d{1,3}\\s*-\\s*\\d{2,6})\\s*\\)")',
        'SOC_CODE = re.compile(r"\\(\\s*(\\d{2}-\\d{4})\\s*\\)")',
        PATTERNS,
    ),
    M(
        "id length uncapped",
        "the scraper fetches ids of sane length only",
        "pipeline/patterns.py",
        'DIRECTORY_ID = re.compile(rf"[0-9]{{1,{MAX_ID_DIGITS}}}")',
        'DIRECTORY_ID = re.compile(r"[0-9]+")',
        PATTERNS,
    ),
    M(
        "manifest url any scheme",
        "a manifest URL is http(s), never javascript: or file:",
        "pipeline/patterns.py",
        'HTTP_URL = re.compile(r"https?://", re.I)',
        'HTTP_URL = re.compile(r"\\w+:", re.I)',
        PATTERNS,
    ),
    # --- tables/build.py: rows sorted by their whole key; a kept key met again builds everything ----------
    M(
        "sorted on the first key column",
        "tables are sorted on every key column, nulls first: byte-identical outputs",
        "pipeline/tables/build.py",
        'sort_keys=[(key, "ascending", "at_start") for key in keys.column_names]',
        'sort_keys=[(keys.column_names[0], "ascending", "at_start")]',
        BUILD,
    ),
    M(
        "kept key met again kept twice",
        "a built row whose key is a kept row's makes the run build everything (one row per key)",
        "pipeline/tables/build.py",
        "    return bool(pc.any(same).as_py())",
        "    return bool(pc.all(same).as_py())",
        # without the whole test_incremental.py: pytest runs a file named whole in its own order, first test first
        ("tests/test_incremental.py::test_kept_and_built_rows_are_sorted_together_unless_a_key_meets", *BUILD[:-1]),
    ),
    M(
        "label rows keep the colliding slug",
        "label/value rows follow their credential's slug when a collision renamed it",
        "pipeline/tables/build.py",
        'pc.coalesce(slugs, labels["credential_slug"])',
        'pc.coalesce(labels["credential_slug"], slugs)',
        BUILD,
    ),
    M(
        "orphans dropped silently",
        "child rows whose credential was dropped are listed in rejects, not lost",
        "pipeline/tables/build.py",
        "        tables[name] = kept\n        rejects.extend(orphans)\n",
        "        tables[name] = kept\n",
        (
            "tests/test_incremental.py::test_every_reject_says_what_it_depends_on_so_a_change_can_replace_it",
            *BUILD[:-1],
        ),
    ),
    M(
        "page text from another copy first",
        "a reject shows its own page's text, another copy's only when its page has none",
        "pipeline/tables/build.py",
        'texts.get((reject.get("source_path"), slug, label)) or texts.get((year, slug, label))',
        'texts.get((year, slug, label)) or texts.get((reject.get("source_path"), slug, label))',
        (
            "tests/test_coverage_changes.py::test_the_page_text_comes_from_the_rejects_own_page_when_copies_disagree",
            *BUILD,
        ),
    ),
    # --- tables/export.py: CSV inert in spreadsheets; Parquet described; streamed tables whole ------------
    M(
        "quoted value not quoted again",
        "a CSV value that starts with `'` gets one more, so one `'` off any value gives it back",
        "pipeline/tables/export.py",
        '_FORMULA_START = r"^[=+\\-@\\t\\r\']"',
        '_FORMULA_START = r"^[=+\\-@\\t\\r]"',
        EXPORT,
    ),
    M(
        "numbers quoted as formulas",
        "a plain number (`-5`, `+1.5`) stays a number in the CSV",
        "pipeline/tables/export.py",
        "formula = pc.and_(start, pc.invert(pc.match_substring_regex(column, _NUMBER)))",
        "formula = start",
        EXPORT,
    ),
    M(
        "required fields nullable in parquet",
        "a required column is non-nullable in the Parquet schema",
        "pipeline/tables/export.py",
        "nullable=columns[field.name].nullable,",
        "nullable=True,",
        (f"{RULES}::test_a_fresh_output_s_parquet_says_which_columns_are_required", *EXPORT),
    ),
    M(
        "parquet without schema version",
        "every Parquet file carries the schema version it was written with",
        "pipeline/tables/export.py",
        "        METADATA_KEY: schema_version().encode(),\n",
        "",
        EXPORT,
    ),
    M(
        "last row group of a stream dropped",
        "a streamed table is written whole: the rows after the last full row group too",
        "pipeline/tables/export.py",
        "if held.num_rows or not written:",
        "if not written:",
        EXPORT,
    ),
    # --- compare/changes.py: the changes table says what changed, on which side, in which year -------------
    M(
        "gone credential on the new side",
        "a credential removed or not in this copy has its name on the old side",
        "pipeline/compare/changes.py",
        'gone = kind in ("removed", "not_in_this_copy")',
        'gone = kind == "removed"',
        CHANGES,
    ),
    M(
        "year change in the older year",
        "a change between school years is a row of the newer year",
        "pipeline/compare/changes.py",
        '"school_year": where["until"] if where["between"] == YEARS else item["school_year"],',
        '"school_year": item["school_year"],',
        CHANGES,
    ),
    M(
        "sets split a cred_id",
        "credentials sharing a cred_id are compared in one set (a rename is matched, not removed and added)",
        "pipeline/compare/changes.py",
        '        if cred_id is not None:\n            root[find(("slug", slug))] = find(("id", cred_id))\n',
        "        pass\n",
        CHANGES,
    ),
    M(
        "reach one step only",
        "an incremental run compares again every credential a change reaches, in turn",
        "pipeline/compare/changes.py",
        "        if more <= slugs and more_ids <= ids:\n            return slugs\n",
        "        return slugs | more\n",
        CHANGES,
    ),
    M(
        "kept rows of a year that became complete",
        "when which years are incomplete changed, every change is compared again",
        "pipeline/compare/changes.py",
        '    if last_years != years or diff.partial_years(coverage) != diff.partial_years(tables["coverage"]):',
        "    if last_years != years:",
        CHANGES,
    ),
    # --- schemas/dictionary.py: the README's data dictionary says every column as the schemas do -----------
    M(
        "required shown for optional",
        "the dictionary marks required columns, and only those",
        "schemas/dictionary.py",
        'required = "yes" if not column.nullable else ""',
        'required = "yes" if column.nullable else ""',
        DICTIONARY,
    ),
    M(
        "key written in part",
        "the dictionary gives each table's whole key",
        "schemas/dictionary.py",
        "Key: {', '.join(KEYS[table])}.",
        "Key: {KEYS[table][0]}.",
        DICTIONARY,
    ),
    M(
        "checks left out",
        "the dictionary lists each column's checks",
        "schemas/dictionary.py",
        'checks = ", ".join(_check_text(check) for check in column.checks)',
        'checks = ""',
        DICTIONARY,
    ),
    # --- schemas/version.py: the schema version changes with the shape of the data, and only then -----------
    M(
        "version blind to types",
        "the schema version changes when a column's type changes",
        "schemas/version.py",
        "[column, str(spec.dtype), not spec.nullable]",
        "[column, not spec.nullable]",
        VERSION,
    ),
    M(
        "version blind to required",
        "the schema version changes when a column becomes required or optional",
        "schemas/version.py",
        "[column, str(spec.dtype), not spec.nullable]",
        "[column, str(spec.dtype)]",
        VERSION,
    ),
    M(
        "version blind to keys",
        "the schema version changes when a table's key changes",
        "schemas/version.py",
        '            "key": list(keys[name]),\n',
        "",
        VERSION,
    ),
)


# The tests written for mutants the suite let survive (tests/test_semantic_rules.py), run first.
KILLERS = {
    "slug not trimmed": ["test_a_slug_is_trimmed_of_dashes_at_both_ends"],
    "merge children only from the best": ["test_child_rows_come_from_a_lower_source_when_the_best_has_none"],
    "merge cut value of complete source": ["test_a_complete_source_whose_value_starts_the_chosen_one_is_a_conflict"],
    "training level last wins": ["test_the_strongest_training_level_wins_when_it_is_written_first"],
    "score form last wins": ["test_the_score_form_written_first_wins"],
    "diff matches slug before cred_id": ["test_diff_matches_on_cred_id_before_the_slug"],
    "draft to final not reported": ["test_diff_reports_a_draft_turning_final"],
    "email dot kept": ["test_an_email_item_carries_no_leading_dots"],
    "pol flags not told apart": ["test_a_pol_flag_is_no_diploma_endorsement"],
    "orphans matched on slug alone": ["test_a_child_row_of_a_credential_known_only_in_another_year_is_an_orphan"],
    "years without listing cross-checked": ["test_only_years_with_a_listing_are_cross_checked"],
    "manifest problems valid": ["test_check_finds_manifest_problems_invalid"],
    "report counts as an output": ["test_a_report_written_after_extract_leaves_the_next_extract_nothing_to_do"],
    "cache key without url": ["test_a_manifest_change_alone_reaches_the_rows_of_a_cached_run"],
    "cache key without origin": ["test_a_manifest_change_alone_reaches_the_rows_of_a_cached_run"],
    "code version without schemas": ["test_the_code_version_changes_with_the_schemas"],
    "deleted document kept": ["test_a_deleted_page_and_a_renamed_credential_leave_the_cached_run_s_outputs"],
    "old group left": ["test_a_deleted_page_and_a_renamed_credential_leave_the_cached_run_s_outputs"],
    "other sources of a group not rebuilt": [
        "test_a_deleted_page_and_a_renamed_credential_leave_the_cached_run_s_outputs"
    ],
    "last year heading wins": ["test_the_first_school_year_heading_is_the_page_s_year"],
    "label met again stays in the block": ["test_a_label_met_again_opens_a_new_block_so_two_credentials_never_merge"],
    "match across years": ["test_diff_of_two_outputs_matches_credentials_within_a_school_year"],
    "extra baseline file not stale": [
        "test_check_finds_an_output_missing_from_the_baseline_or_no_longer_written_stale"
    ],
    "new output not stale": ["test_check_finds_an_output_missing_from_the_baseline_or_no_longer_written_stale"],
    "script read as text": ["test_a_script_inside_a_value_is_not_its_text"],
    "broken record deleted": ["test_a_broken_refresh_record_is_kept_aside_never_deleted"],
    "cut page hides removed children": ["test_child_rows_a_cut_page_does_not_show_are_not_removed"],
    "chrome line as title": ["test_a_heading_right_above_a_block_is_not_its_title"],
    "charset ignored": ["test_an_html_charset_is_read_before_utf8_and_windows_1252"],
    "directory label makes a listing": [
        "test_a_line_that_opens_with_a_directory_label_does_not_name_the_listing_columns"
    ],
    "incomplete year ok": ["test_a_refresh_of_an_incomplete_year_is_a_problem_even_when_no_page_failed"],
    "star not folded": ["test_a_label_matches_with_or_without_its_footnote_star"],
}

# Tests of the suite that hold a rule (tests/PROMISES.md), run before the module's lists so a kill is quick.
SC, SH, SS = "tests/test_scrape_containment.py", "tests/test_scrape_hostile.py", "tests/test_scrape.py"
FIRST = {
    "robots 4xx disallows": [f"{SC}::test_robots_txt_4xx_allows_all_and_5xx_disallows_all"],
    "retry-after cap removed": [
        f"{SC}::test_a_host_asking_for_a_days_pause_ends_the_crawl_at_once_and_says_when_to_resume"
    ],
    "retry-after float()": [f"{SC}::test_retry_after_is_delay_seconds_or_an_http_date_and_nothing_else"],
    "deadline not applied": [f"{SC}::test_timeout_bounds_a_server_dripping_its_headers"],
    "gzip eof unchecked": [f"{SC}::test_a_body_that_ends_early_is_an_error_and_the_good_copy_stays"],
    "same page always": [f"{SC}::test_a_redirect_to_another_page_is_not_stored_under_the_first_id"],
    "php names not mangled": [f"{SC}::test_a_redirect_to_another_page_is_not_stored_under_the_first_id"],
    "redirect outside allowed": [f"{SC}::test_a_redirect_that_leaves_the_directory_is_refused_however_it_is_spelled"],
    "host wait budget removed": [f"{SC}::test_a_host_that_keeps_asking_for_short_pauses_stops_once_its_pauses_add_up"],
    "host wait budget counts the first pause only": [
        f"{SC}::test_a_host_that_keeps_asking_for_short_pauses_stops_once_its_pauses_add_up"
    ],
    "no_proxy ignored": [f"{SC}::test_a_host_named_in_no_proxy_is_reached_directly"],
    "name lookup unbounded": [f"{SC}::test_a_name_lookup_that_hangs_is_under_the_deadline_too"],
    "certificates not verified": [
        "tests/test_scrape_tls.py::test_a_certificate_from_an_unknown_authority_is_refused_in_one_line"
    ],
    "proxy left out of the unreachable message": [
        f"{SC}::test_a_proxy_that_does_not_answer_is_named_in_the_one_line_error_without_its_password"
    ],
    "proxy URL not checked": [f"{SC}::test_a_proxy_variable_that_is_no_http_url_is_a_usage_error_naming_it"],
    "backoff uncapped": [f"{SC}::test_the_backoff_never_waits_longer_than_the_retry_after_cap"],
    "stopped host asked again": [f"{SC}::test_the_directory_asking_to_stop_on_its_listing_is_not_asked_again"],
    "stopped exits 0": [f"{SC}::test_a_host_asking_for_a_days_pause_ends_the_crawl_at_once_and_says_when_to_resume"],
    "timeout inf accepted": [f"{SC}::test_a_bad_argument_is_a_one_line_usage_error"],
    "contact unchecked": [f"{SC}::test_a_non_ascii_contact_from_the_environment_is_a_usage_error_naming_the_variable"],
    "stop on robots is disallow": [f"{SC}::test_robots_txt_asking_for_a_days_pause_ends_the_crawl_before_any_page"],
    "crawl-delay never stops": [f"{SC}::test_a_crawl_delay_beyond_the_bound_ends_the_crawl_and_is_said"],
    "stop loses resume state": [f"{SC}::test_a_resumed_crawl_starts_at_the_page_the_host_refused"],
    "redirect target not queued": [
        f"{SC}::test_a_credential_that_redirects_to_another_is_an_error_and_the_other_is_fetched_under_its_own_id"
    ],
    "year not fullmatch": [f"{SS}::test_cli_rejects_a_bad_year"],
    "resume skips the next page": [f"{SC}::test_a_resumed_crawl_starts_at_the_page_the_host_refused"],
    "crawl-delay on other host slows all": [f"{SC}::test_the_listing_hosts_crawl_delay_does_not_slow_the_directory"],
    "id of 0": [f"{SH}::test_odd_ids_in_links_are_not_pages"],
    "conditional request for a gone file": [
        f"{SS}::test_a_saved_page_that_is_gone_is_fetched_whole_not_asked_for_as_unchanged"
    ],
    "cut page hides removed children": [
        "tests/test_coverage_changes.py::test_a_cut_page_is_not_a_change_and_a_credential_missing_from_its_year_is_not_removed"
    ],
    "costs not paired": [
        "tests/test_coverage_changes.py::test_a_cost_whose_amount_changed_is_one_change_and_a_new_option_an_addition"
    ],
    "not in this copy is a change": [
        "tests/test_coverage_changes.py::test_a_cut_page_is_not_a_change_and_a_credential_missing_from_its_year_is_not_removed"
    ],
    "parquet metadata not compared": [
        "tests/test_containment_state.py::test_a_baseline_of_a_newer_schema_with_the_same_rows_differs_only_in_its_metadata"
    ],
    "skipped files valid": ["tests/test_bad_input.py::test_check_names_the_link_and_never_quotes_what_it_points_to"],
    "data date makes stale": ["tests/test_coverage_changes.py::test_the_data_date_alone_never_makes_outputs_stale"],
    "stale is valid": ["tests/test_diff_check.py::test_check_exit_2_when_raw_changed_and_outputs_were_not_regenerated"],
    "stale is invalid": ["tests/test_exit_codes.py::test_check_exits_0_current_1_invalid_2_stale_3_usage"],
    "stamp misses a deleted input": ["tests/test_stamp.py::test_any_change_to_inputs_outputs_or_stamp_runs_again"],
    "stamp ignores outputs": ["tests/test_stamp.py::test_any_change_to_inputs_outputs_or_stamp_runs_again"],
    "stamp trusts a changed stat": [
        "tests/test_containment_state.py::test_an_edit_that_keeps_size_and_mtime_is_noticed"
    ],
    "known hash for a changed file": [
        "tests/test_containment_state.py::test_an_edit_that_keeps_size_and_mtime_is_noticed"
    ],
    "untrusted stat stamped": [
        "tests/test_containment_state.py::test_a_read_that_failed_for_a_passing_cause_is_tried_again"
    ],
    "cache ignores code version": ["tests/test_incremental.py::test_a_change_of_pipeline_code_invalidates_the_cache"],
    "star not folded": ["tests/test_parse_html.py::test_star_in_sup_and_th_labels_match"],
    "a label twice in a block": [
        "tests/test_real_samples.py::test_value_line_that_begins_with_a_label_already_met_stays_in_the_value"
    ],
    "link target dropped": ["tests/test_parse_html.py::test_link_target_is_kept_when_its_text_hides_it"],
    "file name over url": ["tests/test_documents.py::test_manifest_url_wins_over_file_name"],
    "folder year over page year": ["tests/test_survivors.py::test_a_page_whose_year_differs_from_its_folder_is_noted"],
    "epoch ignored": [
        "tests/test_coverage_changes.py::test_without_a_fetch_date_there_is_no_date_and_source_date_epoch_sets_one"
    ],
    "data date earliest fetch": [
        "tests/test_coverage_changes.py::test_extracted_at_is_the_latest_fetch_whatever_its_time_zone"
    ],
    "foreign keep folder removed": [
        "tests/test_refresh.py::test_a_keep_folder_that_is_not_the_refreshs_is_refused_before_anything_is_fetched"
    ],
    "broken record deleted": [
        "tests/test_coverage_changes.py::test_a_refresh_record_that_cannot_be_used_is_a_note_never_a_document_or_an_error"
    ],
}
MUTANTS = tuple(
    replace(
        mutant,
        tests=(
            *(f"{RULES}::{test}" for test in KILLERS.get(mutant.name, ())),
            *FIRST.get(mutant.name, ()),
            *mutant.tests,
        ),
    )
    for mutant in MUTANTS
)

_IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "mutants", ".hypothesis", ".pytest_cache", ".ruff_cache", ".cache", "__pycache__", "corpus"
)


def stale(mutants: tuple[Mutant, ...] = MUTANTS, root: Path = REPO) -> list[str]:
    """The mutants whose snippet does not occur exactly once in their file, each with the count, and those whose
    mutated file is not Python (a syntax error fails every test: a kill that proves nothing)."""
    found = []
    for mutant in mutants:
        source = (root / mutant.file).read_text(encoding="utf-8")
        count = source.count(mutant.old)
        if count != 1:
            found.append(f"STALE ({count} matches): {mutant.name} in {mutant.file}")
            continue
        try:
            ast.parse(source.replace(mutant.old, mutant.new), mutant.file)
        except SyntaxError as error:
            found.append(f"UNPARSEABLE (line {error.lineno}: {error.msg}): {mutant.name} in {mutant.file}")
    return found


def uncollected(mutants: tuple[Mutant, ...], copy: Path) -> str:
    """pytest's complaint when the tests these mutants name do not all collect in the unmutated copy; else ''."""
    tests = sorted({test for mutant in mutants if not mutant.equivalent for test in mutant.tests})
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *tests]
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    return "" if done.returncode == 0 else (done.stdout + done.stderr)[-2000:]


def run_one(mutant: Mutant, copy: Path) -> str:
    """Plant the mutant in the copy, run its tests, put the file back; 'killed ...' or 'SURVIVED'."""
    path = copy / mutant.file
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    try:
        done = subprocess.run(
            [*command, *mutant.tests], cwd=copy, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )
        failed = [line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
        if done.returncode == 0:
            return "SURVIVED"
        if done.returncode in (1, 2) and failed:
            return f"killed by {failed[0][:160]}"
        return f"killed (pytest exit {done.returncode}: {done.stdout[-200:]!r})"
    except subprocess.TimeoutExpired:
        return "killed (hang)"
    finally:
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="run only the mutants whose name contains one of these")
    parser.add_argument("--check", action="store_true", help="only check that every snippet matches once")
    parser.add_argument(
        "--files", nargs="+", default=[], help="only the mutants of files whose path holds one of these"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped run removes its copy and its test run
    chosen = tuple(
        m
        for m in MUTANTS
        if (not args.names or any(word in m.name for word in args.names))
        and (not args.files or any(part in m.file for part in args.files))
    )
    problems = stale(chosen)
    for line in problems:
        print(line, flush=True)
    if args.check:
        print(f"{len(chosen)} mutants, {len(problems)} stale")
        return 1 if problems else 0
    survived = []
    with tempfile.TemporaryDirectory(prefix="semantic-mutants-") as temp:
        copy = Path(temp) / "repo"
        shutil.copytree(REPO, copy, ignore=_IGNORED, symlinks=True)
        subprocess.run(["git", "init", "-q"], cwd=copy, check=True)  # tests that ask git what it ignores
        broken = uncollected(chosen, copy)
        if broken:
            # a test module that no longer imports, or a renamed test, fails every mutant: a false kill
            print(f"the tests the mutants name do not collect without a mutant:\n{broken}", flush=True)
            return 1
        for mutant in chosen:
            if stale((mutant,)):  # said above
                continue
            if mutant.equivalent:
                print(f"{mutant.name}: equivalent ({mutant.equivalent})", flush=True)
                continue
            started = time.monotonic()
            verdict = run_one(mutant, copy)
            if verdict == "SURVIVED":
                survived.append(mutant.name)
            print(f"{mutant.name}: {verdict} ({time.monotonic() - started:.0f} s)", flush=True)
    ran = sum(1 for m in chosen if not m.equivalent) - len(problems)
    print(f"\n{len(chosen)} mutants: {ran - len(survived)} killed, {len(survived)} survived, {len(problems)} stale")
    for name in survived:
        print(f"SURVIVED: {name}")
    return 1 if survived or problems else 0


if __name__ == "__main__":
    sys.exit(main())
