"""The README's commands run as written, and its links lead somewhere in a clone (issue 20)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import REPO

README = (REPO / "README.md").read_text()
BIN = Path(sys.executable).parent


def _tool_lines() -> list[str]:
    block = README[README.index("<!-- tools:start -->") : README.index("<!-- tools:end -->")]
    return block.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()


def _run(line: str, path: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", line],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PATH": f"{path}{os.pathsep}{os.environ['PATH']}"},
    )


def test_the_readmes_tool_commands_run_verbatim():
    install, *commands = _tool_lines()
    assert install.startswith("pip install ")
    outputs = [_run(line, str(BIN)) for line in commands]
    for line, done in zip(commands, outputs, strict=True):
        assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
    assert "2025-2026" in outputs[-1].stdout  # the DuckDB query's table


def test_the_install_line_installs_what_the_commands_need_and_make_setup_installs_the_same():
    install = _tool_lines()[0]
    wanted = [Requirement(word) for word in shlex.split(install)[2:]]
    test_extra = [Requirement(text) for text in metadata.requires("nccte-credentials") if 'extra == "test"' in text]
    by_name = {requirement.name: requirement for requirement in test_extra}
    for requirement in wanted:
        assert requirement.name in by_name, f"make setup does not install {requirement.name}"
        assert requirement.extras <= by_name[requirement.name].extras
        for needed in metadata.requires(requirement.name) or []:
            need = Requirement(needed)
            if need.marker and any(need.marker.evaluate({"extra": extra}) for extra in requirement.extras):
                metadata.version(need.name)  # installed (raises PackageNotFoundError when not)


def test_without_the_pandas_extra_frictionless_cannot_read_the_parquet_files():
    """Why the line names `frictionless[parquet,pandas]`: plain frictionless fails on the Parquet resources."""
    program = (
        "import sys; sys.modules['pandas'] = None\n"
        "from frictionless import Resource\n"
        "try:\n"
        "    rows = Resource('extracted/parquet/coverage.parquet').read_rows()\n"
        "except Exception as error:\n"
        "    print('cannot read:', type(error).__name__)\n"
        "else:\n"
        "    print('read', len(rows))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.stdout.startswith("cannot read:"), done.stdout + done.stderr


@pytest.mark.skipif(os.environ.get("NCCTE_FRESH_VENV") != "1", reason="downloads packages: NCCTE_FRESH_VENV=1")
def test_the_readmes_tool_lines_work_verbatim_in_a_fresh_environment(tmp_path):
    venv.create(tmp_path / "fresh", with_pip=True)
    for line in _tool_lines():
        done = _run(line, str(tmp_path / "fresh" / "bin"))
        assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}{done.stderr[-2000:]}"


def test_every_relative_link_in_the_readme_leads_to_a_file_of_the_clone():
    targets = re.findall(r"\]\(([^)\s]+)\)", README)
    relative = [target for target in targets if not re.match(r"^[a-z]+:", target) and not target.startswith("#")]
    assert "docs/CONTRACT.md" in relative and "docs/report.png" in relative
    assert [target for target in relative if not (REPO / target.split("#")[0]).exists()] == []
    assert "../shared" not in README


def test_the_contracts_copy_is_the_shared_contract():
    shared = REPO.parent / "shared" / "CONTRACT.md"
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout")
    assert (REPO / "docs" / "CONTRACT.md").read_text() == shared.read_text()
