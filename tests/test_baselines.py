"""dnnlib.datasets.baselines, the command that measures the baselines of the dataset README
(dnn-baselines): it prints its table, writes only the README it is given (the part between
its markers, replaced whole), and reports a broken dataset or a README without markers clearly.
"""
import os

import numpy as np

from dnnlib.datasets import baselines, make_catvnoncat
from tests.helpers import COURSE_TEST, assert_names, course_pair, raises_naming, run_module


def test_command_reports_a_broken_dataset_without_a_traceback(tmp_path):
    course_pair(tmp_path, COURSE_TEST.read_bytes()[:150_000])
    r = run_module("baselines", "--data", tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert_names(r.stderr, "test_catvnoncat.h5", "truncated or corrupted")
    assert sorted(os.listdir(tmp_path)) == ["test_catvnoncat.h5", "train_catvnoncat.h5"]  # nothing written


def test_baselines_readme_is_replaced_whole(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{baselines.START}\nold\n{baselines.END}\nrest\n")
    baselines.write_readme("| new |", str(readme))
    assert readme.read_text() == f"intro\n{baselines.START}\n| new |\n{baselines.END}\nrest\n"
    assert sorted(os.listdir(tmp_path)) == ["README.md"]
    (tmp_path / "plain.md").write_text("no markers")
    with raises_naming(ValueError, "plain.md", baselines.START, baselines.END, "markers"):
        baselines.write_readme("| new |", str(tmp_path / "plain.md"))


def test_baselines_command_writes_only_the_readme_it_is_given(tmp_path, capsys):
    rng = np.random.default_rng(0)
    images = lambda m: rng.integers(0, 256, (m, 4, 4, 3), dtype=np.uint8)  # noqa: E731
    make_catvnoncat.write_pair(tmp_path / "data", (images(6), np.arange(6) % 2), (images(4), np.arange(4) % 2))
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{baselines.START}\nold\n{baselines.END}\n")
    argv = ["--data", str(tmp_path / "data"), "--seeds", "0", "--iterations", "2"]
    assert baselines.main(argv) == 0  # no --write: the table is printed, nothing written
    assert "old" in readme.read_text()
    assert baselines.main([*argv, "--write", str(readme)]) == 0
    out = capsys.readouterr().out.splitlines()  # the same table, printed by both runs
    table = out[len(out) // 2:]
    assert table == out[:len(out) // 2] and table[0].startswith("| baseline |")
    assert "L-layer model [12288, 20, 7, 5, 1], seed 0" in readme.read_text()
    assert readme.read_text() == f"intro\n{baselines.START}\n" + "\n".join(table) + f"\n{baselines.END}\n"
