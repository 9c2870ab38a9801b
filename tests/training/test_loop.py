import json
import os
import signal

import numpy as np
import pytest

from rnn_lib.bench.speed import available_engines
from rnn_lib.nets import rnn
from rnn_lib.text.corpus import CorpusError
from rnn_lib.training import checkpoint, engines, interrupt, loop, run_folder, update

QUICK = dict(
    m=16, seq_length=10, history_every=10, sample_every=50, sample_length=30, checkpoint_every=40, progress=False
)


@pytest.fixture(params=available_engines())
def engine(request):
    return request.param


def _run(corpus, run_dir, engine, steps, **kw):
    return loop.train(corpus=str(corpus), run_dir=run_dir, engine=engine, steps=steps, **{**QUICK, **kw})


def _same_state(a, b):
    assert a.step == b.step and a.e == b.e and a.opt["t"] == b.opt["t"]
    assert a.smooth_loss == b.smooth_loss and a.best_loss == b.best_loss and a.best_step == b.best_step
    np.testing.assert_array_equal(a.hprev, b.hprev)
    for name in rnn.Params._fields:
        np.testing.assert_array_equal(getattr(a.params, name), getattr(b.params, name))
        np.testing.assert_array_equal(getattr(a.best, name), getattr(b.best, name))
        for key in a.opt:
            if key != "t":
                np.testing.assert_array_equal(getattr(a.opt[key], name), getattr(b.opt[key], name))


def test_updates_per_epoch_follows_the_reset_rule():
    assert update.updates_per_epoch(1_107_542, 25) == 44_301  # goblet_book.txt, as the course says
    assert update.updates_per_epoch(26, 25) == 1
    assert update.updates_per_epoch(51, 25) == 2
    assert update.updates_per_epoch(52, 25) == 2


def test_position_and_hidden_state_reset_at_the_end_of_each_epoch(tmp_path, engine):
    corpus = tmp_path / "c.txt"
    corpus.write_text("abcdefghij" * 6, encoding="utf-8")  # 60 chars, seq 10: e = 0..40, 5 updates
    per_epoch = update.updates_per_epoch(60, 10)
    assert per_epoch == 5
    r = _run(corpus, tmp_path / "run", engine, per_epoch - 1)
    assert r.state.e == 40 and np.any(r.state.hprev != 0)
    r = _run(corpus, tmp_path / "run", engine, per_epoch)
    assert r.state.e == 0 and not np.any(r.state.hprev)
    assert r.summary["epochs"] == 1.0


def test_training_lowers_the_loss_and_writes_the_run_folder(small_corpus, tmp_path, engine):
    r = _run(small_corpus, tmp_path / "run", engine, 600)
    assert r.history.shape == (60, 4)
    assert r.history[-1, 3] < r.history[0, 3] - 3
    assert r.summary["best_smooth_loss"] <= r.summary["final_smooth_loss"]
    assert [s["step"] for s in r.samples] == list(range(0, 601, 50))
    assert all(len(s["text"]) == 30 for s in r.samples)
    files = {p.name for p in (tmp_path / "run").iterdir()}
    assert files == {"history.csv", "samples.json", "best.npz", "last.npz", "summary.json", ".lock"}
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    for key in (
        "corpus",
        "K",
        "steps",
        "epochs",
        "best_smooth_loss",
        "best_step",
        "final_smooth_loss",
        "seconds",
        "updates_per_second",
        "config",
    ):
        assert key in summary
    assert summary["corpus"] == "small.txt" and summary["steps"] == 600
    np.testing.assert_allclose(run_folder.read_history(tmp_path / "run"), r.history)


def test_best_checkpoint_holds_the_parameters_that_scored_best(small_corpus, tmp_path, engine):
    r = _run(small_corpus, tmp_path / "run", engine, 300)
    params, info = checkpoint.load(tmp_path / "run" / "best.npz", r.vocab)
    assert info["step"] == r.state.best_step and info["smooth_loss"] == r.state.best_loss
    assert r.state.best_loss == r.history[:, 3].min() or r.state.best_loss < r.history[:, 3].min()
    for a, b in zip(params, r.state.best):
        np.testing.assert_array_equal(a, b)


def test_can_overfit_a_hundred_characters(tmp_path, engine):
    corpus = tmp_path / "tiny.txt"
    corpus.write_text(
        "To be, or not to be, that is the question: whether 'tis nobler in the mind to suffer the slings and",
        encoding="utf-8",
    )
    r = loop.train(
        corpus=str(corpus),
        run_dir=tmp_path / "run",
        engine=engine,
        steps=3000,
        m=32,
        seq_length=25,
        history_every=1,
        sample_length=0,
        progress=False,
    )
    assert r.history[-20:, 2].mean() < 1.0  # nats per 25 characters: near memorised
    assert r.history[0, 2] > 0.95 * 25 * np.log(r.stats["K"])  # started from uniform guessing


def test_resume_is_bit_identical(small_corpus, tmp_path, engine):
    straight = _run(small_corpus, tmp_path / "a", engine, 250)
    _run(small_corpus, tmp_path / "b", engine, 120)
    resumed = _run(small_corpus, tmp_path / "b", engine, 250)
    _same_state(straight.state, resumed.state)
    np.testing.assert_array_equal(straight.history, resumed.history)
    assert straight.samples == resumed.samples
    assert straight.state.rng.random() == resumed.state.rng.random()


def test_finished_run_is_loaded_not_retrained(small_corpus, tmp_path, engine):
    first = _run(small_corpus, tmp_path / "run", engine, 100)
    again = _run(small_corpus, tmp_path / "run", engine, 100)
    _same_state(first.state, again.state)
    assert again.summary["seconds"] == first.summary["seconds"]
    fresh = loop.train(
        corpus=str(small_corpus), run_dir=tmp_path / "run", engine=engine, steps=100, resume=False, **QUICK
    )
    _same_state(first.state, fresh.state)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_stop_signal_saves_and_resume_continues_exactly(small_corpus, tmp_path, engine, monkeypatch, stop):
    straight = _run(small_corpus, tmp_path / "a", engine, 200)
    real = engines.resolve(engine).updates
    calls = []

    def interrupted_updates(state, *args):
        calls.append(1)
        if len(calls) == 2:
            os.kill(os.getpid(), stop)
        return real(state, *args)

    monkeypatch.setattr(engines.resolve(engine), "updates", interrupted_updates)
    partial = _run(small_corpus, tmp_path / "b", engine, 200)
    assert partial.interrupted and partial.stopped_by == stop and 0 < partial.state.step < 200
    assert partial.summary["interrupted"] is True
    monkeypatch.setattr(engines.resolve(engine), "updates", real)
    resumed = _run(small_corpus, tmp_path / "b", engine, 200)
    _same_state(straight.state, resumed.state)
    assert straight.samples == resumed.samples


def test_diverging_loss_stops_with_a_message_and_keeps_the_best(small_corpus, tmp_path, engine, monkeypatch):
    real = engines.resolve(engine).updates

    def poisoned(state, *args):
        if state.step >= 60:
            state.params.W[0, 0] = np.nan
        return real(state, *args)

    monkeypatch.setattr(engines.resolve(engine), "updates", poisoned)
    with pytest.raises(loop.TrainingDiverged, match="lower --eta or --sigma and train again with --fresh"):
        _run(small_corpus, tmp_path / "run", engine, 200)
    params, info = checkpoint.load(tmp_path / "run" / "best.npz")
    assert all(np.isfinite(a).all() for a in params) and info["step"] < 80  # poisoned at the block from 80


def test_training_is_seeded(small_corpus, tmp_path, engine):
    a = _run(small_corpus, tmp_path / "a", engine, 50, seed=3)
    b = _run(small_corpus, tmp_path / "b", engine, 50, seed=3)
    c = _run(small_corpus, tmp_path / "c", engine, 50, seed=4)
    assert a.samples == b.samples != c.samples


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"m": 0}, "--m must be at least 1 \\(got 0\\)"),
        ({"m": 2.5}, "--m must be a whole number"),
        ({"eta": 0.0}, "--eta must be positive"),
        ({"seq_length": 0}, "--seq-length must be at least 1"),
        ({"sigma": -0.1}, "--sigma must be positive"),
        ({"sigma": float("nan")}, "--sigma must be a finite number"),
        ({"epochs": 0, "steps": None}, "--epochs must be positive"),
        ({"epochs": float("inf"), "steps": None}, "--epochs must be a finite number"),
        ({"steps": 0}, "--steps must be at least 1"),
        ({"validation": 1.0}, "--validation must be at most 0.5"),
        ({"seed": -1}, "--seed must be at least 0"),
        ({"optimizer": "sgd"}, "--optimizer must be one of adagrad, rmsprop, adam"),
        ({"engine": "gpu"}, "--engine must be one of auto, numpy, numba"),
    ],
)
def test_nonsense_hyperparameters_are_refused(small_corpus, tmp_path, overrides, message):
    with pytest.raises(ValueError, match=message):
        loop.train(corpus=str(small_corpus), run_dir=tmp_path / "run", progress=False, **{"steps": 10, **overrides})


def test_corpus_shorter_than_a_sequence(tmp_path):
    corpus = tmp_path / "short.txt"
    corpus.write_text("too short", encoding="utf-8")
    with pytest.raises(CorpusError, match="fewer than seq_length \\+ 1 = 26"):
        loop.train(corpus=str(corpus), run_dir=tmp_path / "run", steps=5, progress=False)


def test_corrupt_checkpoint_is_reported(small_corpus, tmp_path, engine):
    _run(small_corpus, tmp_path / "run", engine, 20)
    (tmp_path / "run" / "last.npz").write_bytes(b"not a zip file")
    with pytest.raises(checkpoint.CheckpointError, match="corrupt"):
        _run(small_corpus, tmp_path / "run", engine, 40)
    with pytest.raises(checkpoint.CheckpointError, match="not found"):
        checkpoint.load(tmp_path / "nowhere" / "best.npz")


def test_checkpoint_from_another_vocabulary_or_model_is_refused(small_corpus, tmp_path, engine):
    _run(small_corpus, tmp_path / "run", engine, 20)
    other = tmp_path / "other.txt"
    other.write_text("0123456789 " * 20, encoding="utf-8")
    with pytest.raises(checkpoint.CheckpointError, match="another vocabulary"):
        _run(other, tmp_path / "run", engine, 40)
    with pytest.raises(checkpoint.CheckpointError, match="other settings \\(m\\)"):
        _run(small_corpus, tmp_path / "run", engine, 40, m=17)


@pytest.mark.parametrize("change", ["same length", "shorter"])
def test_resume_refuses_a_corpus_that_changed(small_corpus, tmp_path, engine, change):
    _run(small_corpus, tmp_path / "run", engine, 40)
    text = small_corpus.read_text(encoding="utf-8")
    shorter = text[:2000] + "".join(sorted(set(text)))  # the same vocabulary
    small_corpus.write_text(text[::-1] if change == "same length" else shorter, encoding="utf-8")
    with pytest.raises(checkpoint.CheckpointError, match="trained on another text than small.txt.*--fresh"):
        _run(small_corpus, tmp_path / "run", engine, 80)


def test_a_ctrl_c_that_an_import_swallowed_stops_training_at_once(small_corpus, tmp_path, monkeypatch):
    # numba's import can clear the KeyboardInterrupt of a Ctrl-C; the handler of the command line remembers it
    monkeypatch.setattr(interrupt, "_UNHEEDED", [signal.SIGINT])
    result = _run(small_corpus, tmp_path / "run", "numpy", 10_000)
    assert result.stopped_by == signal.SIGINT and result.state.step == 0 and (tmp_path / "run" / "last.npz").exists()
    with pytest.raises(KeyboardInterrupt):
        interrupt.remembered(signal.SIGINT, None)
    assert interrupt._UNHEEDED == [signal.SIGINT]


def test_a_chunk_far_above_the_uniform_guess_says_the_run_diverged():
    K, T = 65, 25
    guess = T * np.log(K)
    assert not update.diverged(99 * guess, T, K) and update.diverged(101 * guess, T, K)
    assert update.diverged(float("nan"), T, K) and update.diverged(float("inf"), T, K)
    assert update.diverged(101 * 3 * np.log(K), 3, K)  # a document's chunk of 3 characters: per character
    assert not update.diverged(0.0, T, 1)  # one character: the loss is 0, and no bound is 0


DIVERGING = {
    "numpy": dict(engine="numpy"),
    "numba": dict(engine="numba"),
    "documents": dict(engine="numpy", documents="lines"),
    "documents, numba": dict(engine="numba", documents="lines"),
    "rnn, 4 streams": dict(batch=4),
    "lstm": dict(model="lstm"),
    "lstm, 4 streams, float32": dict(model="lstm", batch=4, dtype="float32"),
}


@pytest.mark.parametrize("how", DIVERGING)
def test_a_loss_that_explodes_without_a_nan_stops_as_a_nan_does(small_corpus, tmp_path, how):
    kw = DIVERGING[how]
    if kw.get("engine") == "numba" and "numba" not in available_engines():
        pytest.skip("numba is not installed")
    with pytest.raises(loop.TrainingDiverged, match=r"over 100 times what a uniform guess scores: lower --eta") as e:
        loop.train(corpus=str(small_corpus), run_dir=tmp_path / "run", steps=500, eta=1e6, **{**QUICK, **kw})
    assert ("or --sigma" in str(e.value)) == (kw.get("model") != "lstm")  # the LSTM has no sigma to lower
    best, info = checkpoint.load(tmp_path / "run" / "best.npz")
    assert all(np.isfinite(a).all() for a in best) and info["step"] <= 2  # the untrained model or the first update
    last, info = checkpoint.load(tmp_path / "run" / "last.npz")
    assert 0 < info["step"] < 5  # saved, and without the update that diverged


def test_both_engines_stop_at_the_same_update_of_a_diverging_run(small_corpus, tmp_path):
    if "numba" not in available_engines():
        pytest.skip("numba is not installed")
    stopped = {}
    for name in ("numpy", "numba"):
        with pytest.raises(loop.TrainingDiverged) as e:
            _run(small_corpus, tmp_path / name, name, 500, eta=30.0)
        stopped[name] = str(e.value).split(" was ")[0]  # the update; its loss, chaotic by then, differs in rounding
    assert stopped["numpy"] == stopped["numba"]
