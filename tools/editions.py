"""Write the learner's exercise edition, exercises/, from the reading edition, notebooks/.

    python tools/editions.py            # rewrite exercises/ (commit the result)
    python tools/editions.py --check    # exit 1 if exercises/ differs from what would be written

Every file is written whole or not at all, and none unless all could be made; a missing or
damaged source notebook, or a file that cannot be written, is one line naming it (exit status 2).
How each cell is made is dnnlib/editions.py; the classroom's edition is classroom/build.py.
"""
from __future__ import annotations

import argparse
import sys

from dnnlib import editions


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report whether exercises/ is up to date")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except editions.NotebookError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def _run(args) -> int:
    if args.check:
        stale = editions.differences()
        print("exercises/ is up to date" if not stale else
              "exercises/ differs from notebooks/ in " + ", ".join(stale) + ": run python tools/editions.py")
        return 1 if stale else 0
    for path in editions.build():
        print(f"wrote {path.relative_to(editions.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
