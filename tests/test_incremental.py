"""Re-runs are incremental: unchanged documents come from the cache, and the output is identical to a cold run.

Warm == cold proves agreement, not correctness (both runs share the same code);
correctness comes from the hand-written expectations elsewhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline import cache as cache_module
from pipeline import extract as extract_module
from pipeline.extract import extract
from tests.conftest import REPO


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_warm_run_parses_nothing_and_writes_the_same_files(tmp_path):
    cold = extract(REPO / "raw", tmp_path / "cold", cache_dir=tmp_path / "cache", workers=1)
    warm = extract(REPO / "raw", tmp_path / "warm", cache_dir=tmp_path / "cache", workers=1)
    assert cold.summary["cached_documents"] == 0
    assert warm.summary["cached_documents"] == warm.summary["documents"]
    cold_files, warm_files = _files(tmp_path / "cold"), _files(tmp_path / "warm")
    assert [name for name in cold_files if name.endswith(".parquet")]
    assert warm_files == cold_files


def test_a_changed_document_is_parsed_again(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "raw", raw)
    extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    page = raw / "2024-2025" / "html" / "credential_1230.html"
    page.write_text(page.read_text().replace("5 years", "7 years"))
    result = extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert result.summary["cached_documents"] == result.summary["documents"] - 1
    servsafe = result.tables["credentials"].query("school_year == '2024-2025' and cred_id == 1230").iloc[0]
    assert servsafe["lifespan_years"] == 7.0


def test_a_change_of_pipeline_code_invalidates_the_cache(tmp_path, monkeypatch):
    extract(REPO / "raw", tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version of the code")
    result = extract(REPO / "raw", tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert result.summary["cached_documents"] == 0


def test_parallel_parsing_gives_the_same_output(tmp_path, monkeypatch):
    monkeypatch.setattr(extract_module, "_PARALLEL_FROM", 1)
    extract(REPO / "raw", tmp_path / "serial", workers=1)
    extract(REPO / "raw", tmp_path / "parallel", workers=2)
    assert _files(tmp_path / "parallel") == _files(tmp_path / "serial")


def test_a_broken_cache_file_only_costs_time(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / cache_module.CACHE_FILE).write_bytes(b"not a cache")
    result = extract(REPO / "raw", tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert result.summary["cached_documents"] == 0 and result.summary["credentials"] > 0
