"""The checkpoint is the truth of a run: a log beside it that cannot be read is set aside (renamed, never
deleted) with one line, and the run goes on from last.npz; its readers give one line naming the file."""

import json
import os
import stat

import numpy as np
import pytest

from rnn_lib.training import loop, pool, run_folder
from rnn_lib.training.run_folder import RunFolderError

QUICK = dict(m=8, seq_length=10, sample_length=20, sample_every=20, checkpoint_every=40, engine="numpy")
SAMPLE = {"step": 0, "epoch": 0.0, "smooth_loss": 1.0, "text": "a"}
DAMAGES = {
    "samples.json": {
        "a list of numbers": b"[1, 2]",
        "an object": b'{"step": 0}',
        "not JSON": b"[{'step': 0}]",
        "cut short": b'[{"step": 0, "epoch": 0.0, "smoo',
        "a sample without text": json.dumps([{k: v for k, v in SAMPLE.items() if k != "text"}]).encode(),
        "a step as text": json.dumps([{**SAMPLE, "step": "0"}]).encode(),
        "a step that is true": json.dumps([{**SAMPLE, "step": True}]).encode(),
        "a text that is a number": json.dumps([{**SAMPLE, "text": 5}]).encode(),
        "texts without ended": json.dumps([{**SAMPLE, "text": None} | {"texts": ["a"]}]).encode(),
        "steps out of order": json.dumps([{**SAMPLE, "step": 20}, SAMPLE]).encode(),
        "nested 100,000 deep": b"[" * 100_000,
        "a huge integer": b"[" + b"9" * 5000 + b"]",
        "not UTF-8": b'[{"text": "\xff\xfe"}]',
        "null": b"null",
    },
    "history.csv": {
        "no header": b"40,0.1,3.0,4.0\n",
        "empty": b"",
        "three columns": b"step,epoch,loss,smooth_loss\n20,0.1,3.0\n",
        "five columns": b"step,epoch,loss,smooth_loss\n20,0.1,3.0,4.0,5.0\n",
        "not numbers": b"step,epoch,loss,smooth_loss\n20,0.1,three,4.0\n",
        "a NaN row": b"step,epoch,loss,smooth_loss\n20,0.1,nan,4.0\n",
        "an inf row": b"step,epoch,loss,smooth_loss\n20,0.1,inf,4.0\n",
        "a fractional step": b"step,epoch,loss,smooth_loss\n20.5,0.1,3.0,4.0\n",
        "a negative step": b"step,epoch,loss,smooth_loss\n-20,0.1,3.0,4.0\n",
        "steps out of order": b"step,epoch,loss,smooth_loss\n20,0.1,3.0,4.0\n10,0.1,3.0,4.0\n",
        "not UTF-8": b"step,epoch,loss,smooth_loss\n\xff\n",
        "binary": bytes(range(256)),
    },
    "validation.csv": {
        "three columns": b"step,epoch,validation_nats,test_nats\n20,0.1,3.0\n",
        "NaN validation": b"step,epoch,validation_nats,test_nats\n20,0.1,nan,nan\n",
        "the history's header": b"step,epoch,loss,smooth_loss\n20,0.1,3.0,4.0\n",
        "not numbers": b"step,epoch,validation_nats,test_nats\nx,y,z,w\n",
    },
    "summary.json": {
        "a list": b"[1, 2]",
        "not JSON": b"{",
        "nested 100,000 deep": b'{"a":' * 100_000,
        "interrupted as text": b'{"interrupted": "no", "config": {}}',
        "config a list": b'{"interrupted": false, "config": [1]}',
        "not UTF-8": b"\xff",
    },
}
CASES = [(name, case) for name, cases in DAMAGES.items() for case in cases]


def _train(corpus, run_dir, steps, **kw):
    return loop.train(corpus=str(corpus), run_dir=run_dir, steps=steps, progress=False, **{**QUICK, **kw})


def _trained(small_corpus, tmp_path, validation=0.0):
    run = tmp_path / "run"
    _train(small_corpus, run, 40, validation=validation, eval_every=20)
    return run


def _aside(run, name):
    return [p for p in run.iterdir() if p.name.startswith(f"{name}.unreadable-")]


@pytest.mark.parametrize("name, case", CASES)
def test_a_damaged_log_is_set_aside_and_the_run_goes_on(small_corpus, tmp_path, capsys, name, case):
    run = _trained(small_corpus, tmp_path, validation=0.1 if name == "validation.csv" else 0.0)
    (run / name).write_bytes(DAMAGES[name][case])
    capsys.readouterr()
    resumed = _train(small_corpus, run, 80, validation=0.1 if name == "validation.csv" else 0.0, eval_every=20)
    assert resumed.state.step == 80
    err = capsys.readouterr().err
    (aside,) = _aside(run, name)
    assert aside.read_bytes() == DAMAGES[name][case]  # kept as it was
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"run folder {run}: {name} cannot be read (") and f"it is kept as {aside.name} and" in err
    for read in (run_folder.read_history, run_folder.read_samples, run_folder.read_validation):
        read(run)  # written again, whole
    assert run_folder.read_summary(run)["steps"] == 80


@pytest.mark.parametrize("name, case", CASES)
def test_the_readers_give_one_line_that_names_the_file(tmp_path, name, case):
    (tmp_path / name).write_bytes(DAMAGES[name][case])
    read = {"samples.json": run_folder.read_samples, "history.csv": run_folder.read_history,
            "validation.csv": run_folder.read_validation, "summary.json": run_folder.read_summary}[name]  # fmt: skip
    with pytest.raises(RunFolderError) as info:
        read(tmp_path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"run folder {tmp_path}: {name} cannot be read (")
    assert message.endswith("move it away or repair it") and len(message) < 400


@pytest.mark.parametrize("name", ["history.csv", "samples.json", "summary.json"])
def test_a_folder_where_a_log_belongs_is_set_aside(small_corpus, tmp_path, capsys, name):
    run = _trained(small_corpus, tmp_path)
    (run / name).unlink()
    (run / name).mkdir()
    (run / name / "mine.txt").write_text("mine")
    capsys.readouterr()
    assert _train(small_corpus, run, 80).state.step == 80
    (aside,) = _aside(run, name)
    assert (aside / "mine.txt").read_text() == "mine"
    assert "it is a folder, not a file" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not stop root from reading")
def test_an_unreadable_log_is_set_aside(small_corpus, tmp_path, capsys):
    run = _trained(small_corpus, tmp_path)
    (run / "history.csv").chmod(0)
    assert _train(small_corpus, run, 80).state.step == 80
    assert "history.csv cannot be read (Permission denied)" in capsys.readouterr().err
    (aside,) = _aside(run, "history.csv")
    assert stat.S_IMODE(aside.stat().st_mode) == 0


def test_a_name_taken_is_never_overwritten(small_corpus, tmp_path, monkeypatch):
    run = _trained(small_corpus, tmp_path)
    monkeypatch.setattr("time.strftime", lambda _: "20270101-000000")
    (run / "samples.json.unreadable-20270101-000000").write_text("mine")
    (run / "samples.json").write_text("[1]")
    _train(small_corpus, run, 80)
    assert (run / "samples.json.unreadable-20270101-000000").read_text() == "mine"
    assert (run / "samples.json.unreadable-20270101-000000-2").read_text() == "[1]"


def test_the_history_rows_of_the_checkpoint_are_kept_and_the_rest_left_out(small_corpus, tmp_path):
    run = _trained(small_corpus, tmp_path)
    rows = run_folder.read_history(run)
    (run / "history.csv").write_text((run / "history.csv").read_text() + "100,1.0,3.0,4.0\n")  # after last.npz
    resumed = _train(small_corpus, run, 40)
    np.testing.assert_array_equal(resumed.history, rows)
    assert not _aside(run, "history.csv")


def test_a_finished_run_with_a_damaged_log_is_read_and_left_as_it_is(small_corpus, tmp_path, capsys):
    run = _trained(small_corpus, tmp_path)
    (run / "samples.json").write_bytes(b"[1, 2]")
    capsys.readouterr()
    again = _train(small_corpus, run, 40)
    assert again.state.step == 40 and again.samples == []
    err = capsys.readouterr().err
    assert err == f"run folder {run}: samples.json cannot be read (sample 0 is a JSON number, not an object); it is "\
                  "left as it is and ignored: move it away or repair it\n"  # fmt: skip
    assert (run / "samples.json").read_bytes() == b"[1, 2]" and not _aside(run, "samples.json")


def test_a_sweep_trains_a_run_whose_summary_is_damaged(small_corpus, tmp_path):
    run = _trained(small_corpus, tmp_path)
    config = _train(small_corpus, run, 40, validation=0.0, eval_every=20).config  # finished: only read
    assert pool._finished(config, run)
    for damaged in (b"[1]", b"{}", b'{"config": {}}', b"\xff"):
        (run / "summary.json").write_bytes(damaged)
        assert not pool._finished(config, run)
