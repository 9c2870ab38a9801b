"""A partial file of an atomic write has a name that no user would choose, and only those of a writer that is
no longer running are ever removed: whatever a user named a file, it stays."""

import errno
import os
import subprocess
import sys

import pytest

from rnn_lib.training import atomic, loop

QUICK = dict(m=8, seq_length=10, sample_length=0, checkpoint_every=40, engine="numpy", progress=False)
USERS = [
    "best.npz.tmp",
    "samples.json - favourites.tmp",
    "last.npzk3j4h5.tmp",  # what a killed save of an earlier version left: it may as well be a user's
    "history.csv.tmp",
    ".last.npz.tmp",
    "last.npz.rnn-lib-partial-1-deadbeef",  # no leading dot
    ".last.npz.rnn-lib-partial-",
    ".last.npz.rnn-lib-partial-abc-deadbeef",
    ".last.npz.rnn-lib-partial-999999999-deadbeef.bak",
    ".notes.txt.rnn-lib-partial-999999999-deadbeef",  # not one of a run's files
    ".best.npz.rnn-lib-partial-999999999-DEADBEEF",
    "last.npz~",
    "tmp",
]
KILLED = """
import os, signal, sys
from rnn_lib.training import atomic
os.replace = lambda *_: os.kill(os.getpid(), signal.SIGKILL)  # killed between the write and the rename
atomic.write_atomic(sys.argv[1], b"half a checkpoint")
"""


def _train(corpus, run_dir, steps=60):
    return loop.train(corpus=str(corpus), run_dir=run_dir, steps=steps, **QUICK)


def test_a_partial_file_is_hidden_marked_and_of_this_process(tmp_path):
    name = atomic.partial_name(tmp_path / "last.npz").name
    assert name.startswith(f".last.npz{atomic.MARK}{os.getpid()}-") and len(name.rsplit("-", 1)[1]) == 8
    assert name != atomic.partial_name(tmp_path / "last.npz").name


def test_files_a_user_named_are_never_removed(small_corpus, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    for name in USERS:
        (run / name).write_text(f"mine: {name}")
    (run / ".history.csv.rnn-lib-partial-999999999-0123abcd").mkdir()  # a folder is no partial file
    _train(small_corpus, run)
    _train(small_corpus, run, steps=80)
    for name in USERS:
        assert (run / name).read_text() == f"mine: {name}"
    assert (run / ".history.csv.rnn-lib-partial-999999999-0123abcd").is_dir()


def test_the_partial_file_of_a_killed_writer_is_removed_and_a_running_ones_kept(small_corpus, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    killed = subprocess.run([sys.executable, "-c", KILLED, str(run / "last.npz")], timeout=120)
    assert killed.returncode == -9
    (left,) = [p for p in run.iterdir() if atomic.MARK in p.name]
    assert left.read_bytes() == b"half a checkpoint" and not (run / "last.npz").exists()
    running = atomic.partial_name(run / "best.npz", pid=os.getppid())  # pytest's parent: running
    running.write_bytes(b"being written")
    (run / "mine.tmp").write_text("mine")
    assert _train(small_corpus, run).state.step == 60
    assert not left.exists() and running.read_bytes() == b"being written"
    assert (run / "mine.tmp").read_text() == "mine"


def test_a_failed_write_removes_its_own_partial_file_and_nothing_else(tmp_path, monkeypatch):
    (tmp_path / "last.npz").write_bytes(b"before")
    others = [tmp_path / name for name in USERS]
    for path in others:
        path.write_text("mine")

    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="No space left"):
        atomic.write_atomic(tmp_path / "last.npz", b"after")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["last.npz", *USERS])
    assert (tmp_path / "last.npz").read_bytes() == b"before"
