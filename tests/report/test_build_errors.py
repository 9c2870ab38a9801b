"""What `make report` says when it cannot go on: a run that fails, Ctrl-C. One line each, never a traceback,
and nothing trained is lost."""

import json
import subprocess
import sys

from rnn_lib.text.corpus import ROOT


def _report(tmp_path, *options):
    where = ["--run-dir", str(tmp_path / "run"), "--out-dir", str(tmp_path / "pdf"), "--build-dir", str(tmp_path / "b")]
    return [sys.executable, "-m", "rnn_lib.report", "--only", "assignment", *where, *options]


def test_a_run_that_fails_in_the_build_is_one_line_and_the_others_are_kept(small_corpus, tmp_path):
    other = tmp_path / "run" / "seeds" / "seed-1"  # holds a run of other settings, which is never touched
    trained = [sys.executable, "-m", "rnn_lib", "train", "--corpus", str(small_corpus), "--out", str(other)]
    subprocess.run([*trained, *"--steps 5 --m 4 --quiet".split()], check=True, capture_output=True)
    before = (other / "last.npz").read_bytes()
    command = _report(tmp_path, "--corpus", str(small_corpus), "--steps", "30", "--seeds", "2")
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    [line] = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert line.startswith("error: run seed-1 of 2 failed (") and "holds a run with other settings" in line
    assert done.stderr.rstrip().endswith(line)
    assert (other / "last.npz").read_bytes() == before
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["steps"] == 30  # seed 0, kept


def test_ctrl_c_stops_the_build_in_one_line_and_every_run_keeps_what_it_trained(small_corpus, tmp_path, ctrl_c):
    """SIGINT to every process of the group, as a terminal sends it."""
    command = _report(tmp_path, "--corpus", str(small_corpus), "--steps", "1000000", "--seeds", "3", "--jobs", "2")
    runs = [tmp_path / "run", tmp_path / "run" / "seeds" / "seed-1"]
    status, err = ctrl_c(command, [run / "samples.json" for run in runs], cwd=ROOT)
    assert status == 130 and "Traceback" not in err, err
    assert err.rstrip().splitlines()[-1] == (
        "error: interrupted: every run saved what it trained; run the same command to continue"
    )
    for run in runs:
        summary = json.loads((run / "summary.json").read_text())
        assert summary["interrupted"] and 0 < summary["steps"] < 1_000_000
    assert not (tmp_path / "run" / "seeds" / "seed-2").exists()  # not started, nothing to keep
