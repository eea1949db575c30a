"""Plain `pytest` works from a clone's top folder, as `python -m pytest` and `make test` do (issue 22)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

# What the `pytest` script does: no current folder on sys.path (`python -m` and `-c` would add it), no PYTHONPATH.
AS_THE_SCRIPT = "import sys, pytest; sys.exit(pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider']))"


def test_plain_pytest_collects_every_test_module_from_the_top_folder():
    done = subprocess.run(
        [sys.executable, "-I", "-c", AS_THE_SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:]
    collected = {line.split("::")[0] for line in done.stdout.splitlines() if "::" in line}
    assert collected == {f"tests/{path.name}" for path in (REPO / "tests").glob("test_*.py")}
