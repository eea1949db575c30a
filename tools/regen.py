"""`make regen`'s README half: rewrites the README's generated sections from the code.

    python -m tools.regen [README.md]

The data dictionary (from the pandera models in schemas/) and the exit-code
table (from pipeline/exits.py) sit in README.md between `<!-- NAME:start ...-->`
and `<!-- NAME:end -->` markers; each is replaced by what the code makes now.
`make regen` runs this and `make run` (which rewrites extracted/), so a new
field in the field map and the schemas reaches every generated file at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from pipeline import exits
from pipeline.files import write_atomic
from schemas import dictionary

SECTIONS: dict[str, Callable[[], str]] = {"dictionary": dictionary.markdown, "exits": exits.markdown}


def regenerate(readme: str) -> str:
    """The README with every generated section replaced; a missing marker raises ValueError naming it."""
    for name, make in SECTIONS.items():
        opening, closing = f"<!-- {name}:start", f"<!-- {name}:end -->"
        if opening not in readme or closing not in readme:
            raise ValueError(f"no `{opening} ... -->` ... `{closing}` section")
        start = readme.index("-->", readme.index(opening)) + len("-->\n")
        readme = readme[:start] + make() + readme[readme.index(closing, start) :]
    return readme


def main(argv: list[str] | None = None) -> int:
    path = Path((argv if argv is not None else sys.argv[1:] or ["README.md"])[0])
    try:
        old = path.read_text(encoding="utf-8")
        new = regenerate(old)
    except (OSError, ValueError) as error:
        print(f"error: {path}: {error}", file=sys.stderr)
        return 1
    if new != old:
        write_atomic(path, new.encode("utf-8"))
    print(f"{path}: {', '.join(SECTIONS)} {'rewritten' if new != old else 'already current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
