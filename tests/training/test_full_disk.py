"""A disk that fills: the message says what the folder then holds, and its advice works. On a real full disk,
a small tmpfs (mounted when this process may; skipped otherwise), with the CLI in a subprocess."""

import errno
import pathlib
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_lib.__main__ import main
from rnn_lib.training import atomic

# m = 64 on 52 characters: best.npz takes about 90 KB, last.npz about 270 KB, the logs a few KB
TRAIN = "--m 64 --seq-length 10 --checkpoint-every 40 --sample-every 20 --sample-length 10 --engine numpy --quiet"


@pytest.fixture
def disk(tmp_path):
    """A folder on a tmpfs of its own; ``disk.size(kib)`` sets its size."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")

    class Disk:
        path = mount

        def size(self, kib):
            subprocess.run(["mount", "-o", f"remount,size={kib}k", str(mount)], check=True)

    yield Disk()
    subprocess.run(["umount", str(mount)], check=True)


def _train(corpus, out, steps, *more):
    command = [sys.executable, "-m", "rnn_lib", "train", "--corpus", str(corpus), "--out", str(out),
               "--steps", str(steps), *TRAIN.split(), *more]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def _contents(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != ".lock"}


def _one_line(done):
    assert done.returncode == 2 and done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


def test_a_disk_full_before_any_checkpoint_starts_over_when_trained_again(small_corpus, disk):
    run = disk.path / "run"
    err = _one_line(_train(small_corpus, run, 80))
    assert "No space left on device" in err and "nothing to continue from was saved (no last.npz)" in err
    assert "then train again: it starts over" in err
    left = _contents(run)
    assert "best.npz" not in left and "history.csv" in left  # the logs that fitted
    disk.size(2048)
    again = _train(small_corpus, run, 80)  # as the message says: no --fresh
    assert again.returncode == 0, again.stderr
    (aside,) = [p for p in run.iterdir() if p.name.startswith("earlier-")]
    assert _contents(aside) == left and f"they are kept in {aside}/, and training starts over" in again.stderr
    assert {"last.npz", "best.npz", "summary.json"} <= set(_contents(run))


def test_a_disk_full_between_best_and_last_says_to_start_over_with_fresh(small_corpus, disk):
    disk.size(200)
    run = disk.path / "run"
    err = _one_line(_train(small_corpus, run, 80))
    assert "nothing to continue from was saved (no last.npz), but the best model so far is in best.npz" in err
    assert "then train again with --fresh, which keeps the files written so far in" in err
    left = _contents(run)
    assert "best.npz" in left and "last.npz" not in left
    disk.size(2048)
    assert "start over with --fresh" in _one_line(_train(small_corpus, run, 80))  # a model with nothing to resume
    assert _train(small_corpus, run, 80, "--fresh").returncode == 0
    (aside,) = [p for p in run.iterdir() if p.name.startswith("earlier-")]
    assert _contents(aside) == left


def test_a_disk_full_after_a_save_continues_from_it_when_trained_again(small_corpus, disk):
    disk.size(1024)
    run = disk.path / "run"
    assert _train(small_corpus, run, 40).returncode == 0
    saved = _contents(run)
    filler = disk.path / "filler"
    with open(filler, "wb", buffering=0) as f, pytest.raises(OSError, match="No space left"):
        while True:
            f.write(bytes(4096))
    err = _one_line(_train(small_corpus, run, 80))
    assert "what was saved before is intact" in err and "then train again to continue from it" in err
    assert _contents(run)["last.npz"] == saved["last.npz"]
    filler.unlink()  # ours: it is the test that filled the disk
    again = _train(small_corpus, run, 80)
    assert again.returncode == 0 and "80 updates" in again.stdout, again.stderr
    assert not [p for p in run.iterdir() if p.name.startswith("earlier-")]  # continued, not started over


def test_a_summary_that_cannot_be_written_leaves_a_run_that_loads(small_corpus, tmp_path, monkeypatch, capsys):
    real = atomic.write_atomic

    def full(path, data):
        if path.name == "summary.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(atomic, "write_atomic", full)
    run = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path / "run"), "--steps", "40", *TRAIN.split()]
    assert main(run) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: could not write summary.json in {tmp_path / 'run'} (No space left on device): the run is saved in "
        "last.npz and best.npz, which sample and resume as they are; free some space or fix the folder's permissions\n"
    )
    monkeypatch.undo()
    assert main(run) == 0 and main(["sample", "--run", str(tmp_path / "run"), "--length", "5"]) == 0


def test_fresh_in_a_folder_whose_files_cannot_be_moved_is_one_line(small_corpus, tmp_path, monkeypatch, capsys):
    run = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path / "run"), "--steps", "40", *TRAIN.split()]
    assert main(run) == 0
    before = _contents(tmp_path / "run")

    def denied(real):
        def refuse(path, *args, **kwargs):  # in the folder of the earlier run's files
            if any(Path(p).name.startswith("earlier-") or Path(p).parent.name.startswith("earlier-")
                   for p in (path, *args)):  # fmt: skip
                raise PermissionError(errno.EACCES, "Permission denied")
            return real(path, *args, **kwargs)

        return refuse

    for where in ("mkdir", "rename"):
        with monkeypatch.context() as patch:
            patch.setattr(pathlib.Path, where, denied(getattr(pathlib.Path, where)))
            capsys.readouterr()
            assert main([*run, "--fresh"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: run folder {tmp_path / 'run'}: the earlier run's files cannot be moved to ")
        assert err.endswith("(Permission denied): fix the folder's permissions or free some space, or choose another "
                            "--out\n") and "Errno" not in err  # fmt: skip
    assert _contents(tmp_path / "run") == before
    assert not [p for p in (tmp_path / "run").iterdir() if p.name.startswith("earlier-")]  # none left empty


def test_fresh_on_a_read_only_disk_is_one_line(small_corpus, disk):
    disk.size(2048)
    run = disk.path / "run"
    assert _train(small_corpus, run, 40).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(disk.path)], check=True)
    err = _one_line(_train(small_corpus, run, 80, "--fresh"))
    assert err == f"error: cannot write in run folder {run} (Read-only file system): choose another --out\n"
    subprocess.run(["mount", "-o", "remount,rw", str(disk.path)], check=True)


@pytest.mark.parametrize("fails, advice", [("best.npz", "then train again: it starts over"),
                                           ("last.npz", "then train again with --fresh, which keeps")])  # fmt: skip
def test_the_advice_after_a_failed_first_save_is_true_where_no_disk_can_be_mounted(
    small_corpus, tmp_path, monkeypatch, capsys, fails, advice
):
    real = atomic.write_atomic

    def full(path, data):
        if path.name == fails:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(atomic, "write_atomic", full)
    monkeypatch.setattr("rnn_lib.training.checkpoint.write_atomic", full)
    run = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path / "run"), "--steps", "40", *TRAIN.split()]
    assert main(run) == 2
    err = capsys.readouterr().err
    assert "nothing to continue from was saved (no last.npz)" in err and advice in err and err.count("\n") == 1
    left = _contents(tmp_path / "run")
    monkeypatch.undo()
    assert main(run + (["--fresh"] if fails == "last.npz" else [])) == 0
    (aside,) = [p for p in (tmp_path / "run").iterdir() if p.name.startswith("earlier-")]
    assert _contents(aside) == left
