"""Without numba (or scipy) everything still works, on the NumPy engine. Runs whether or not
numba is installed: its absence is simulated."""

import sys

import pytest

import rnn_lib.nets
import rnn_lib.training
from rnn_lib.__main__ import main
from rnn_lib.training import engines, loop


@pytest.fixture
def no_numba(monkeypatch):
    """Make ``import numba`` fail as on a machine without it, and forget any compiled engine."""
    monkeypatch.setitem(sys.modules, "numba", None)  # None in sys.modules: the import raises ImportError
    monkeypatch.delitem(sys.modules, "rnn_lib.training.compiled", raising=False)
    monkeypatch.delattr(rnn_lib.training, "compiled", raising=False)
    monkeypatch.delitem(sys.modules, "rnn_lib.nets.lstm_compiled", raising=False)
    monkeypatch.delattr(rnn_lib.nets, "lstm_compiled", raising=False)
    monkeypatch.setattr(engines, "_compiled", {})


def test_auto_falls_back_to_numpy(no_numba):
    assert engines.resolve("auto").name == "numpy"
    with pytest.raises(ImportError, match="pip install numba scipy, or use engine='numpy'"):
        engines.resolve("numba")


def test_training_runs_on_numpy(no_numba, small_corpus, tmp_path):
    r = loop.train(corpus=str(small_corpus), run_dir=tmp_path / "run", steps=50, m=8, sample_length=0, progress=False)
    assert r.summary["engine"] == "numpy" and r.state.step == 50


def test_an_lstm_on_minibatches_trains_on_numpy(no_numba, small_corpus, tmp_path):
    kw = dict(corpus=str(small_corpus), steps=3, m=8, sample_length=0, progress=False)
    r = loop.train(run_dir=tmp_path / "run", model="lstm2", batch=2, seq_length=10, dropout=0.2, **kw)
    assert r.summary["engine"] == "numpy, lstm2, 2 streams" and r.state.step == 3


def test_the_cli_says_what_to_install_in_one_line(no_numba, small_corpus, tmp_path, capsys):
    paths = ["--corpus", str(small_corpus), "--out", str(tmp_path / "run")]
    assert main(["train", *paths, *"--steps 5 --engine numba --quiet".split()]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install numba scipy" in err
