"""The pull-request check's report: the data's verdict and what the pull request changes in extracted/.

    python -m tools.pr_report --base BASE_COMMIT [--head HEAD_COMMIT] [--out report.md]

The verdict is `check`'s, on the head's raw/ and extracted/ (valid, invalid or stale, each problem named).
The change is the typed diff of the base commit's extracted/ against the head's: credentials added,
removed, renamed, values old -> new, child rows (a cost whose amount changed is one change), and a
credential missing from an incomplete year as "not in this copy". Without --head, the head is the working
tree. The report goes to stdout or --out; the exit code is `check`'s (0 valid and current, 1 invalid,
2 stale, 3 usage error). `.github/workflows/check-raw.yml` runs exactly this.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from pipeline import exits
from pipeline.compare import check, diff

HEADING = "## What this pull request changes in extracted/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the base branch's commit")
    parser.add_argument("--head", help="the pull request's commit (default: the working tree)")
    parser.add_argument("--repo", type=Path, default=Path("."), help="the git repository")
    parser.add_argument("--out", type=Path, help="write the report here (default: stdout)")
    args = parser.parse_args(argv)
    text, code = report(args.repo, args.base, args.head)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return code


def report(repo: Path, base: str, head: str | None = None) -> tuple[str, int]:
    """(the Markdown report, check's exit code) for the change from `base` to `head` (None: the working tree)."""
    with tempfile.TemporaryDirectory(prefix="nccte-pr-") as temp:
        work = Path(temp)
        try:
            old = _checkout(repo, base, work / "base", ["extracted"])
            new = _checkout(repo, head, work / "head", ["raw", "extracted"]) if head else repo
        except GitError as error:
            return f"## Credential data check: usage error (exit {exits.USAGE})\n\n- {diff.inert(error)}\n", exits.USAGE
        verdict = check.check(new / "raw", new / "extracted")
        lines = [check.to_markdown(verdict).rstrip(), "", HEADING, ""]
        if not (old / "extracted" / "parquet").is_dir():
            lines.append(f"Nothing to compare: the base commit {diff.inert(base[:12])} has no extracted/ outputs.")
        else:
            try:
                change = diff.diff_outputs(old / "extracted", new / "extracted")
            except diff.DiffError as error:
                lines.append(f"Cannot compare: {diff.inert(error)}")
            else:
                change["old"], change["new"] = f"base {base[:12]}", f"head {head[:12]}" if head else "this pull request"
                lines.append(diff.to_markdown(change).rstrip())
    return "\n".join(lines) + "\n", verdict.code


class GitError(Exception):
    """A commit or path git cannot give."""


def _checkout(repo: Path, commit: str, target: Path, paths: list[str]) -> Path:
    """The commit's `paths` (those it has) unpacked under `target`, through `git archive`."""
    target.mkdir(parents=True)
    present = _git(repo, "ls-tree", "--name-only", commit, "--", *paths).decode().split()
    if present:
        data = _git(repo, "archive", "--format=tar", commit, "--", *present)
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            archive.extractall(target, filter="data")
    return target


def _git(repo: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True)
    if done.returncode:
        raise GitError(f"git {args[0]}: {done.stderr.decode(errors='replace').strip()[:300]}")
    return done.stdout


if __name__ == "__main__":
    sys.exit(main())
