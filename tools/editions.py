"""Write the learner's exercise edition, exercises/, from the reading edition, notebooks/.

    python tools/editions.py            # rewrite exercises/ (commit the result)
    python tools/editions.py --check    # exit 1 if exercises/ differs from what would be written

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
