"""Every mistake ends in one line on stderr, in a real process: what argparse refuses, Ctrl-C while
Python imports NumPy, a reader that goes away (| head)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*argv, **kw):
    return subprocess.run([sys.executable, "-m", "rnn_lib", *argv], capture_output=True, text=True, cwd=ROOT, **kw)


@pytest.mark.parametrize(
    "argv, message",
    [
        ("train --m abc", "error: argument --m: invalid int value: 'abc': see python -m rnn_lib train --help"),
        ("train --bogus", "error: unrecognized arguments: --bogus: see python -m rnn_lib train --help"),
        (
            "sample --temperature x",
            "error: argument --temperature: invalid float value: 'x': see python -m rnn_lib sample --help",
        ),  # fmt: skip
        ("", "error: give a command: gradcheck, train, sample or bench: see python -m rnn_lib --help"),
        ("trian", "error: argument command: invalid choice: 'trian'"),
        ("train --jobs 0 --seeds 1", "error: argument --jobs: must be at least 1 (got 0)"),
        ("train --seeds -1", "error: argument --seeds: must be at least 0 (got -1)"),
        ("gradcheck --max-entries", "error: argument --max-entries: expected one argument"),
        ("bench --rounds 1.5", "error: argument --rounds: invalid int value: '1.5'"),
    ],
)
def test_a_mistake_on_the_command_line_is_one_line(argv, message):
    done = cli(*argv.split())
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr


def _numpy_loaded(pid):
    """Whether process ``pid`` has mapped NumPy's core: it runs rnn_lib/__main__.py's imports, or is past them."""
    try:
        return "_multiarray_umath" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc to know when NumPy is loaded")
@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.2, 0.4])
def test_ctrl_c_during_start_up_is_one_line_and_status_130(delay, small_corpus, tmp_path):
    # The first ~20 ms are Python's own start-up, before any line of rnn_lib runs; from NumPy's import on
    # (rnn_lib/__init__.py imports nothing heavy), whenever Ctrl-C comes, one line and status 130.
    argv = ["train", "--corpus", str(small_corpus), "--steps", "100000000", "--m", "8", "--quiet"]
    child = subprocess.Popen([sys.executable, "-m", "rnn_lib", *argv, "--out", str(tmp_path / "run")], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    while not _numpy_loaded(child.pid) and child.poll() is None:
        time.sleep(0.001)
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130 and err.count("\n") == 1, err  # 130, never killed by SIGINT itself: -2
    assert err.startswith(("error: interrupted: ", "training stopped by SIGINT after ")), err


def test_help_is_still_the_whole_usage():
    done = cli("train", "--help")
    assert done.returncode == 0 and "--seq-length" in done.stdout and done.stderr == ""
    assert os.linesep in done.stdout


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two small trained runs: the assignment's RNN, and a float32 LSTM on minibatches."""
    from rnn_lib.text.corpus import BUNDLED_CORPUS, DATA_DIR
    from rnn_lib.training.loop import train

    folder = tmp_path_factory.mktemp("runs")
    text = folder / "small.txt"
    text.write_text((DATA_DIR / BUNDLED_CORPUS).read_text(encoding="utf-8")[:3000], encoding="utf-8")
    quick = dict(corpus=str(text), steps=60, m=16, sample_length=0, progress=False)
    train(run_dir=folder / "rnn", **quick)
    train(run_dir=folder / "lstm", model="lstm", batch=2, dtype="float32", seq_length=10, **quick)
    return folder


def test_a_reader_that_goes_away_ends_sampling_quietly(runs):
    # as `python -m rnn_lib sample --length 1000000000 | head -c 100` does: without a stream, a minute and 7 GB
    done = subprocess.run(
        f"{sys.executable} -m rnn_lib sample --run {runs / 'rnn'} --length 1000000000 | head -c 100; "
        'echo " status ${PIPESTATUS[0]}" >&2',
        shell=True, executable="/bin/bash", capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert len(done.stdout) == 100
    assert done.stderr == " status 141\n"  # 128 + SIGPIPE, as `yes | head` ends; no traceback


def test_writing_to_a_closed_pipe_from_python_is_status_141_and_no_traceback(runs):
    child = subprocess.Popen([sys.executable, "-m", "rnn_lib", "sample", "--run", str(runs / "rnn"), "--length",
                              "100000000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)  # fmt: skip
    assert len(child.stdout.read(5000)) == 5000  # written as it is made
    child.stdout.close()
    assert child.wait(timeout=120) == 141 and child.stderr.read() == b""


@pytest.mark.parametrize("temperature", ["1e-6", "1e-46", "1e-320"])
def test_a_float32_model_at_a_tiny_temperature_writes_its_greedy_text_without_warnings(runs, temperature):
    sample = ["sample", "--run", str(runs / "lstm"), "--length", "60", "--prime", "First"]
    done = cli(*sample, "--temperature", temperature)
    assert done.returncode == 0 and done.stderr == ""
    greedy = cli(*sample, "--temperature", "1e-3").stdout
    assert done.stdout == greedy and len(set(done.stdout)) > 2  # the argmax, not "zzzz"


@pytest.mark.parametrize("argv", ["--eta 1e6", "--eta 1e300 --engine numpy", "--sigma 1e300 --engine numpy",
                                  "--eta 1e300 --model lstm --batch 4 --seq-length 10"])  # fmt: skip
def test_a_run_that_diverges_says_so_in_one_line_without_numpy_warnings(argv, small_corpus, tmp_path):
    done = cli("train", "--corpus", str(small_corpus), "--out", str(tmp_path / "run"), "--steps", "300", "--m", "8",
               "--quiet", *argv.split())  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("error: the loss of update ") and "is kept in" in done.stderr
    assert "Warning" not in done.stderr and (tmp_path / "run" / "best.npz").exists()
