"""classroom/README.md's points table agrees with the points in classroom/hidden/ (issue 25)."""
from __future__ import annotations

import re
from pathlib import Path

from classroom.build import classroom_material

README = Path(__file__).resolve().parents[1] / "classroom" / "README.md"


def readme_table() -> dict[str, tuple[str, int]]:
    """{assignment: (what the student writes, points)} from the README's first table."""
    rows = re.findall(r"^\| `(\d\d_\w+)` \| (.*?) \| (\d+) \|$", README.read_text(encoding="utf-8"), re.M)
    return {name: (writes, int(points)) for name, writes, points in rows}


def test_readme_points_table_matches_hidden_points():
    table = readme_table()
    assert len(table) == 6, f"expected one row per assignment (6), found {sorted(table)}"
    for assignment, (writes, points) in table.items():
        graded, _ = classroom_material(assignment)
        total = sum(graded.values())
        assert points == total, f"{assignment}: README says {points} points, hidden/ gives {total}"
        for grade_id in graded:
            function = grade_id.removeprefix("test_")
            assert f"`{function}`" in writes, f"{assignment}: README's row does not name the graded `{function}`"
