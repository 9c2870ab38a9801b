import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from rnn_lib.text import corpus

SHAKESPEARE = corpus.DATA_DIR / corpus.BUNDLED_CORPUS


def pytest_configure(config):
    """A suite started in the background (``make test &``, nohup) inherits SIGINT ignored, and so would every process
    its tests start, which then never see the Ctrl-C those tests press; give the suite a terminal's default."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def small_corpus(tmp_path):
    """About 3,000 characters of Tiny Shakespeare: trains in well under a second."""
    path = tmp_path / "small.txt"
    path.write_text(SHAKESPEARE.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    return path


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture
def ctrl_c():
    """``ctrl_c(command, started, cwd=None)``: run ``command``, and once every path of ``started`` exists, send
    SIGINT to its whole process group, as a terminal does (or signal ``number`` to it alone, with ``group=False``);
    returns ``(exit status, stderr)``."""

    def interrupt(command, started, cwd=None, number=signal.SIGINT, group=True):
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=cwd, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while not all(Path(path).exists() for path in started):
                assert process.poll() is None and time.monotonic() < deadline, "it did not get that far"
                time.sleep(0.1)
            (os.killpg if group else os.kill)(process.pid, number)
            _, err = process.communicate(timeout=120)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        return process.returncode, err

    return interrupt
