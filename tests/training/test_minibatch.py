"""Training on minibatches of streams, the RNN's and the LSTM's: the same run folder, resume and checks."""

import json

import numpy as np
import pytest

from rnn_lib.__main__ import main
from rnn_lib.evaluation import heldout
from rnn_lib.nets import lstm, optim, registry, rnn
from rnn_lib.text import streams
from rnn_lib.text.corpus import load_corpus
from rnn_lib.training import checkpoint, engines
from rnn_lib.training.checkpoint import CheckpointError
from rnn_lib.training.loop import train
from rnn_lib.training.settings import Config
from rnn_lib.training.state import State


def _state(network, K, m, B, optimizer="adagrad", seed=0):
    rng = np.random.default_rng(seed)
    net = registry.get(network)
    params = net.init(K, m, rng, 0.1)
    return State(params, optim.init_state(optimizer, params), net.zero(B, m), type(params)(*(a.copy() for a in params)),
                 rng, smooth_loss=80.0)  # fmt: skip


def test_one_stream_of_the_rnn_is_the_assignments_training():
    ids, vocab, _ = load_corpus()
    ids = ids[:2000]
    a, b = _state("rnn", len(vocab), 20, 1), _state("rnn", len(vocab), 20, 1)
    a.hprev = a.hprev[0]  # the assignment's engine carries h as (m,)
    hp = optim.DEFAULTS["adagrad"]
    n = 2 * (len(ids) - 26) // 25 + 5  # past an epoch's end
    losses, smooth = engines.NUMPY.updates(a, ids, n, 25, 5.0, "adagrad", hp)
    losses_b, smooth_b = engines.minibatch_engine("rnn", 1).updates(b, streams.cut(ids, 1), n, 25, 5.0, "adagrad", hp)
    np.testing.assert_allclose(losses_b, losses, rtol=1e-12)
    np.testing.assert_allclose(smooth_b, smooth, rtol=1e-12)
    assert (a.e, a.best_step) == (b.e, b.best_step)
    for x, y in zip(a.params, b.params):
        np.testing.assert_allclose(y, x, rtol=1e-11, atol=1e-14)


def _config(corpus, **settings):
    defaults = dict(model="lstm", batch=4, m=12, steps=120, sample_every=40, sample_length=30, eval_every=40,
                    checkpoint_every=20, validation=0.1)  # fmt: skip
    return Config(corpus=str(corpus), **{**defaults, **settings})


@pytest.mark.parametrize("network", ["rnn", "lstm"])
def test_a_minibatch_run_resumes_exactly(small_corpus, tmp_path, network):
    whole = train(_config(small_corpus, model=network), tmp_path / "whole", progress=False)
    train(_config(small_corpus, model=network, steps=50), tmp_path / "parts", progress=False)
    resumed = train(_config(small_corpus, model=network), tmp_path / "parts", progress=False)
    assert np.array_equal(resumed.history, whole.history) and resumed.samples == whole.samples
    for a, b in zip(resumed.state.params, whole.state.params):
        assert np.array_equal(a, b)
    assert whole.summary["updates_per_epoch"] == (3000 * 9 // 10 - 1) // 4 // 25  # 4 streams of the 90 %
    assert whole.validation[-1, 2] < whole.validation[0, 2]
    assert whole.summary["characters_per_second"] > 0


def test_the_lstm_checkpoint_is_checked_and_samples(small_corpus, tmp_path, capsys):
    r = train(_config(small_corpus), tmp_path / "run", progress=False)
    params, info = checkpoint.load(tmp_path / "run" / "best.npz")
    assert isinstance(params, lstm.Params) and params.W.shape == (48, 12) and info["config"]["model"] == "lstm"
    assert main(["sample", "--run", str(tmp_path / "run"), "--length", "40", "--prime", "ROMEO:"]) == 0
    assert len(capsys.readouterr().out) == 41
    arrays = dict(np.load(tmp_path / "run" / "last.npz"))
    arrays["hprev"] = arrays["hprev"][:, :2]  # the state of 2 streams where there are 4
    np.savez(tmp_path / "run" / "last.npz", **arrays)
    with pytest.raises(CheckpointError, match=r"hprev has shape \(2, 2, 12\), expected \(2, B, m\) = \(2, 4, 12\)"):
        train(r.config, tmp_path / "run", progress=False)


def test_held_out_lstm_loss_is_each_segment_after_its_warmup():
    ids = load_corpus()[0][:3001]
    params = lstm.init_params(65, 10, np.random.default_rng(0))
    streams_, warmup, n = 4, 50, 3000
    total, length = 0.0, n // streams_
    for start in range(0, n, length):
        read = max(start - warmup, 0)
        X, Y = ids[None, read : start + length], ids[None, read + 1 : start + length + 1]
        H, _ = lstm.hidden_states(params, X, lstm.zero_state(1, 10))
        total += rnn.loss_from_states(params, np.vstack([H[:1, 0], H[start - read + 1 :, 0]]), Y[0, start - read :])
    got = heldout.cross_entropy(params, ids, streams_, warmup, block=7, network="lstm")
    assert got == pytest.approx(total / n, rel=1e-12)


def test_documents_are_refused_on_minibatches():
    with pytest.raises(ValueError, match="--documents trains the assignment's RNN on one stream"):
        Config(documents="auto", model="lstm").validate()
    with pytest.raises(ValueError, match="--model must be one of rnn, lstm"):
        Config(model="gru").validate()


def test_summary_and_cli_name_the_network(small_corpus, tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["train", "--corpus", str(small_corpus), "--model", "lstm", "--batch", "4", "--m", "8", "--steps", "20",
            "--quiet", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    assert "lstm, 4 streams" in capsys.readouterr().out
    assert json.loads((out / "summary.json").read_text())["config"]["model"] == "lstm"


def test_float32_trains_checks_and_resumes(small_corpus, tmp_path):
    whole = train(_config(small_corpus, dtype="float32"), tmp_path / "whole", progress=False)
    assert whole.state.params.W.dtype == np.float32 and whole.state.opt["m"].W.dtype == np.float32
    train(_config(small_corpus, dtype="float32", steps=50), tmp_path / "parts", progress=False)
    resumed = train(_config(small_corpus, dtype="float32"), tmp_path / "parts", progress=False)
    assert np.array_equal(resumed.state.params.W, whole.state.params.W)
    assert whole.validation[-1, 2] < whole.validation[0, 2]
    with pytest.raises(ValueError, match="--dtype float32 is for minibatches"):
        Config(dtype="float32").validate()
