"""Nothing a user trained is lost, and nothing a user put in a run folder is touched."""

import errno
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from rnn_lib.__main__ import main
from rnn_lib.training import atomic, loop, run_folder

QUICK = dict(m=8, seq_length=10, sample_length=0, checkpoint_every=40, engine="numpy", progress=False)


def _train(corpus, run_dir, steps=60, **kw):
    return loop.train(corpus=str(corpus), run_dir=run_dir, steps=steps, **{**QUICK, **kw})


def _contents(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_files_of_a_run_without_last_npz_are_not_replaced(small_corpus, tmp_path):
    _train(small_corpus, tmp_path / "run")
    (tmp_path / "run" / "last.npz").unlink()
    before = _contents(tmp_path / "run")
    with pytest.raises(
        run_folder.RunFolderError, match="holds files of an earlier run .*best.npz.* start over with --fresh"
    ):
        _train(small_corpus, tmp_path / "run")
    assert _contents(tmp_path / "run") == before


def test_fresh_keeps_the_earlier_run_aside(small_corpus, tmp_path):
    _train(small_corpus, tmp_path / "run")
    before = {k: v for k, v in _contents(tmp_path / "run").items() if k != ".lock"}
    (tmp_path / "run" / "notes.txt").write_text("my notes")
    again = _train(small_corpus, tmp_path / "run", resume=False, steps=20)
    assert again.state.step == 20
    (aside,) = [p for p in (tmp_path / "run").iterdir() if p.name.startswith("earlier-")]
    assert _contents(aside) == before
    assert (tmp_path / "run" / "notes.txt").read_text() == "my notes"  # never ours to move


def test_a_folder_with_other_files_is_trained_in_and_they_stay(small_corpus, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "notes.txt").write_text("mine")
    (run / "figures").mkdir()
    _train(small_corpus, run)
    assert (run / "notes.txt").read_text() == "mine" and (run / "figures").is_dir()


def test_a_second_writer_is_refused(small_corpus, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    with (
        atomic.locked(run),
        pytest.raises(run_folder.RunFolderError, match="in use by another process .*wait for that"),
    ):
        _train(small_corpus, run)
    _train(small_corpus, run)  # released: a lock never outlives its holder


def test_a_lock_file_left_by_a_killed_process_is_ignored(small_corpus, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / ".lock").write_text("999999\n")
    assert _train(small_corpus, run).state.step == 60


def test_loading_a_finished_run_writes_nothing(small_corpus, tmp_path, monkeypatch):
    first = _train(small_corpus, tmp_path / "run")

    def read_only(*_, **__):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic, "write_atomic", read_only)
    monkeypatch.setattr("rnn_lib.training.checkpoint.write_atomic", read_only, raising=False)
    monkeypatch.setattr(atomic, "locked", read_only)
    again = _train(small_corpus, tmp_path / "run")
    assert again.state.step == first.state.step and again.summary["best_smooth_loss"] == first.state.best_loss


def test_an_unwritable_folder_is_one_line(small_corpus, tmp_path, monkeypatch, capsys):
    def read_only(*_, **__):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic, "locked", read_only)
    assert main(["train", "--corpus", str(small_corpus), "--out", str(tmp_path / "run"), "--steps", "5"]) == 2
    assert capsys.readouterr().err == (
        f"error: cannot write in run folder {tmp_path / 'run'} (Permission denied): choose another --out\n"
    )


def test_a_full_disk_keeps_what_was_saved_before(small_corpus, tmp_path, monkeypatch, capsys):
    run = tmp_path / "run"
    _train(small_corpus, run, steps=40)
    saved = _contents(run)
    real = atomic.write_atomic

    def full(path, data):
        if path.name == "last.npz":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(atomic, "write_atomic", full)
    monkeypatch.setattr("rnn_lib.training.checkpoint.write_atomic", full, raising=False)
    assert main(["train", "--corpus", str(small_corpus), "--out", str(run), *"--steps 80 --m 8 --seq-length 10 "
                 "--sample-length 0 --checkpoint-every 40 --engine numpy --quiet".split()]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "No space left on device" in err and "what was saved before is intact" in err and err.count("\n") == 1
    assert _contents(run)["last.npz"] == saved["last.npz"]
    monkeypatch.undo()
    assert _train(small_corpus, run, steps=80).state.step == 80


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_respect_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        atomic.write_atomic(tmp_path / "f", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "f").stat().st_mode & 0o777 == mode


def test_summary_is_valid_json_even_before_the_first_update(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr("rnn_lib.training.interrupt.deferred", _stopped_at_once)
    r = _train(small_corpus, tmp_path / "run")
    assert r.state.step == 0 and r.interrupted
    text = (tmp_path / "run" / "summary.json").read_text()
    summary = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert summary["best_smooth_loss"] is None and summary["updates_per_second"] is None


class _stopped_at_once:
    def __enter__(self):
        return lambda: signal.SIGTERM

    def __exit__(self, *_):
        return False


@pytest.mark.parametrize("stop, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_the_cli_saves_on_a_signal_and_exits_with_the_conventional_status(small_corpus, tmp_path, stop, status):
    run = tmp_path / "run"
    command = [sys.executable, "-m", "rnn_lib", "train", "--corpus", str(small_corpus), "--out", str(run),
               *"--steps 10000000 --m 8 --checkpoint-every 200 --engine numpy --quiet".split()]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (run / "last.npz").exists() and time.monotonic() < deadline:  # training has begun
        time.sleep(0.05)
    process.send_signal(stop)
    _, err = process.communicate(timeout=60)
    assert process.returncode == status, err
    assert f"training stopped by {stop.name} after" in err and "Traceback" not in err
    summary = json.loads((run / "summary.json").read_text())
    assert summary["interrupted"] and summary["steps"] > 0
