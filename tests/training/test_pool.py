"""Independent runs on every core: the same numbers whatever the number of workers, failures
reported without stopping the others, and a second sweep trains only what is missing."""

import dataclasses
import json
import signal
import sys

import numpy as np
import pytest

from rnn_lib.__main__ import main
from rnn_lib.training import loop, pool
from rnn_lib.training.settings import Config


def _plan(corpus, root, seeds=(0, 1, 2), **kw):
    settings = dict(corpus=str(corpus), steps=300, m=12, seq_length=10, sample_length=0, engine="numpy")
    return {f"seed-{s}": (Config(seed=s, **{**settings, **kw}), root / f"seed-{s}") for s in seeds}


def _same(a, b):
    for x, y in zip(a.state.params, b.state.params):
        np.testing.assert_array_equal(x, y)
    assert a.summary["best_smooth_loss"] == b.summary["best_smooth_loss"]


def test_the_numbers_do_not_depend_on_the_number_of_workers(small_corpus, tmp_path):
    one = pool.run(_plan(small_corpus, tmp_path / "one"), jobs=1, progress=False)
    two = pool.run(_plan(small_corpus, tmp_path / "two"), jobs=2, progress=False)
    assert list(one) == list(two) == ["seed-0", "seed-1", "seed-2"]
    for name in one:
        _same(one[name], two[name])
    here = loop.train(*_plan(small_corpus, tmp_path / "here")["seed-1"], progress=False)  # in this process
    _same(one["seed-1"], here)
    assert one["seed-0"].summary["best_smooth_loss"] != one["seed-1"].summary["best_smooth_loss"]


def test_a_failing_run_is_reported_and_the_others_are_kept(small_corpus, tmp_path):
    plan = _plan(small_corpus, tmp_path)
    plan["seed-1"] = (dataclasses.replace(plan["seed-1"][0], corpus=str(tmp_path / "missing.txt")), plan["seed-1"][1])
    with pytest.raises(pool.SweepFailed) as info:
        pool.run(plan, jobs=2, progress=False)
    [line] = info.value.lines
    assert line.startswith("run seed-1 of 3 failed (corpus=") and "missing.txt not found" in line
    assert "seed=1" in line and str(info.value) == line and set(info.value.results) == {"seed-0", "seed-2"}
    assert (tmp_path / "seed-2" / "summary.json").exists()


def test_a_second_sweep_trains_only_what_is_missing(small_corpus, tmp_path):
    plan = _plan(small_corpus, tmp_path)
    first = pool.run({name: plan[name] for name in ("seed-0", "seed-2")}, jobs=1, progress=False)
    loop.train(*_plan(small_corpus, tmp_path, steps=100)["seed-1"], progress=False)  # an unfinished run
    again = pool.run(plan, jobs=2, progress=False)
    for name in ("seed-0", "seed-2"):  # read, not trained again
        assert again[name].summary["seconds"] == first[name].summary["seconds"]
    assert again["seed-1"].state.step == 300  # continued to its end
    _same(again["seed-1"], loop.train(*_plan(small_corpus, tmp_path / "straight")["seed-1"], progress=False))


def test_the_cli_trains_several_seeds_and_prints_their_spread(small_corpus, tmp_path, capsys):
    argv = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path), "--seeds", "0", "1", "--jobs", "2"]
    assert main([*argv, *"--steps 200 --m 8 --sample-length 0 --engine numpy --quiet".split()]) == 0
    out = capsys.readouterr().out
    assert "best smooth loss over 2 seeds: " in out and " ± " in out
    assert (tmp_path / "seeds" / "seed-0" / "best.npz").exists() and (
        tmp_path / "seeds" / "seed-1" / "best.npz"
    ).exists()


def test_a_training_reports_its_progress_to_a_function(small_corpus, tmp_path):
    seen = []
    loop.train(*_plan(small_corpus, tmp_path)["seed-0"], progress=lambda *report: seen.append(report))
    steps = [step for step, _, _ in seen]
    assert steps == sorted(steps) and steps[-1] == 300 and {total for _, total, _ in seen} == {300}
    assert all(isinstance(loss, float) for _, _, loss in seen)


def test_ctrl_c_during_a_cli_sweep_says_the_runs_are_saved(small_corpus, tmp_path, monkeypatch, capsys):
    def interrupted(*_, **__):
        raise KeyboardInterrupt

    monkeypatch.setattr(pool, "run", interrupted)
    assert main(["train", "--corpus", str(small_corpus), "--out", str(tmp_path), "--seeds", "0", "1"]) == 130
    assert capsys.readouterr().err.startswith("error: interrupted: every run saved what it trained")


def test_a_failing_run_of_a_cli_sweep_is_one_line_and_the_others_are_trained(small_corpus, tmp_path, capsys):
    other = tmp_path / "seeds" / "seed-1"  # holds a run of other settings, which is never touched
    assert main(["train", "--corpus", str(small_corpus), "--out", str(other), *"--steps 5 --m 4 --quiet".split()]) == 0
    before = (other / "last.npz").read_bytes()
    argv = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path), "--seeds", "0", "1", "2"]
    capsys.readouterr()
    assert main([*argv, *"--steps 50 --m 8 --sample-length 0 --quiet".split()]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: run seed-1 of 3 failed (corpus=") and "holds a run with other settings" in line
    assert (other / "last.npz").read_bytes() == before
    assert all((tmp_path / "seeds" / f"seed-{s}" / "summary.json").exists() for s in (0, 2))


def test_ctrl_c_in_a_terminal_stops_a_sweep_in_one_line_and_the_runs_it_trained_are_saved(small_corpus, tmp_path,
                                                                                             ctrl_c):  # fmt: skip
    """As a terminal sends it: SIGINT to every process of the group, the pool's workers too."""
    argv = ["--corpus", str(small_corpus), "--out", str(tmp_path), "--seeds", "0", "1", "2", "3", "--jobs", "2"]
    command = [sys.executable, "-m", "rnn_lib", "train", *argv, *"--steps 1000000 --m 8 --quiet".split()]
    status, err = ctrl_c(command, [tmp_path / "seeds" / f"seed-{s}" / "samples.json" for s in (0, 1)])
    assert status == 130 and err.splitlines() == [
        "error: interrupted: every run saved what it trained; run the same command to continue"
    ], err
    for s in (0, 1):  # stopped within a block of updates, everything saved
        summary = json.loads((tmp_path / "seeds" / f"seed-{s}" / "summary.json").read_text())
        assert summary["interrupted"] and 0 < summary["steps"] < 1_000_000
    assert not (tmp_path / "seeds" / "seed-2").exists() and not (tmp_path / "seeds" / "seed-3").exists()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_to_the_sweep_alone_reaches_its_workers_and_the_runs_are_saved(small_corpus, tmp_path, ctrl_c,
                                                                                number):  # fmt: skip
    """``kill`` of the sweep's process: its workers, which no signal reached, save what they trained too."""
    argv = ["--corpus", str(small_corpus), "--out", str(tmp_path), "--seeds", "0", "1", "2", "--jobs", "2"]
    command = [sys.executable, "-m", "rnn_lib", "train", *argv, *"--steps 1000000 --m 8 --quiet".split()]
    started = [tmp_path / "seeds" / f"seed-{s}" / "samples.json" for s in (0, 1)]
    status, err = ctrl_c(command, started, number=number, group=False)
    assert status == 130 and "every run saved what it trained" in err, err
    for s in (0, 1):
        summary = json.loads((tmp_path / "seeds" / f"seed-{s}" / "summary.json").read_text())
        assert summary["interrupted"] and 0 < summary["steps"] < 1_000_000
    assert not (tmp_path / "seeds" / "seed-2").exists()
