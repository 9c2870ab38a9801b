"""Training on minibatches of streams, the RNN's and the LSTM's: the same run folder, resume and checks."""

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest

from rnn_lib import checkpoint, engines, evaluate, lstm, model, networks, optim, path, plans, streams
from rnn_lib.__main__ import main
from rnn_lib.checkpoint import CheckpointError, State
from rnn_lib.config import Config
from rnn_lib.data import load_corpus
from rnn_lib.train import train


def _state(network, K, m, B, optimizer="adagrad", seed=0):
    rng = np.random.default_rng(seed)
    net = networks.get(network)
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
        total += model.loss_from_states(params, np.vstack([H[:1, 0], H[start - read + 1 :, 0]]), Y[0, start - read :])
    got = evaluate.cross_entropy(params, ids, streams_, warmup, block=7, network="lstm")
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


def _run(label_seed, test_bits, validation_bits, seconds=60.0, steps=100, batch=32):
    nats = [(0, 0.0, 5.0, 5.0), (steps, 1.0, validation_bits * math.log(2), test_bits * math.log(2))]
    summary = {"seconds": seconds, "steps": steps, "characters_per_second": 1000.0, "config": {"batch": batch}}
    params = model.init_params(3, 2, np.random.default_rng(label_seed))
    return SimpleNamespace(validation=np.array(nats), summary=summary, state=SimpleNamespace(params=params))


def test_the_path_states_each_gain_with_its_spread_and_the_target():
    groups = {
        "RNN": [_run(0, 3.0, 2.9), _run(1, 3.1, 3.0), _run(2, 3.05, 2.95)],
        "LSTM": [_run(0, 2.50, 2.3), _run(1, 2.52, 2.31), _run(2, 2.51, 2.32)],
        "LSTM, wider": [_run(0, 2.40, 2.2), _run(1, 2.38, 2.19)],
    }
    ngram = {"order": 6, "test": 2.475}
    text = path.steps_paragraph(groups, ngram)
    assert "LSTM lowers the test loss from 3.050 ± 0.050 to 2.510 ± 0.010 bits per character (RNN before it)" in text
    assert "**LSTM, wider beats the 6-gram** (2.475) by 0.085 bits per character" in text
    groups["LSTM, wider"] = [_run(0, 2.50, 2.3)]
    text = path.steps_paragraph(groups, ngram)
    assert "falls short of the 6-gram** (2.475) by 0.025 bits per character (one run, so without a spread)" in text
    table = path.table(groups)
    assert "| RNN | 0k | 1k | 1.0 min | 2.950 ± 0.050 | 3.050 ± 0.050 |" in table
    minutes_, mean, _ = path.curve(groups["RNN"])
    assert minutes_.tolist() == [0.0, 1.0] and mean[-1] == pytest.approx(3.05)
    assert path.minutes(48.4) == "48 s" and path.minutes(125) == "2.1 min"


def test_chapter_7_plans_its_path_on_chapter_5s_split(tmp_path):
    plan = plans.lstm_path(run_dir=tmp_path, lstm_seeds=3, lstm_epochs=2.0)
    assert sorted({name.split("/")[0] for name in plan}) == ["lstm-m100", "rnn-b32"] and len(plan) == 6
    assert all(c.validation == 0.1 and c.test == 0.1 and c.batch == 32 for c, _ in plan.values())
    assert plan["rnn-b32/seed-0"][1] == tmp_path / "beyond" / "rnn-b32" / "seed-0"
    wide = plans.wide_lstm(run_dir=tmp_path, wide_m=64, wide_seeds=2, wide_epochs=5.0)
    config = wide["lstm-wide/seed-1"][0]
    assert (config.model, config.m, config.batch, config.epochs, config.dtype) == ("lstm", 64, 32, 5.0, "float32")


def test_the_next_step_follows_the_curve():
    falling = SimpleNamespace(validation=np.array([(k, k, 3.0 - 0.1 * k, 3.0) for k in range(5)]))
    assert "was still falling (0.433 bits" in path.next_step({"LSTM": [falling]})
    flat = SimpleNamespace(validation=np.array([(k, k, 2.0, 3.0) for k in range(5)]))
    assert "had levelled off (+0.000 bits" in path.next_step({"LSTM": [flat]})


def test_the_legend_reads_the_runs_settings():
    run = SimpleNamespace(config=Config(model="lstm", batch=32, optimizer="adam", eta=0.002, m=256, seq_length=50,
                                        dtype="float32"), summary={"epochs": 10.0})  # fmt: skip
    assignment = SimpleNamespace(config=Config(), summary={"epochs": 1.0})
    text = path.legend({"RNN, assignment": [assignment], "LSTM, m = 256": [run]})
    assert (
        "**RNN, assignment**: RNN, $m$ = 100, one stream, chunks of 25, AdaGrad $\\eta$ = 0.1, float64, 1 epoch, "
        "1 seed;" in text
    )
    assert (
        "**LSTM, m = 256**: LSTM, $m$ = 256, 32 streams, chunks of 50, Adam $\\eta$ = 0.002, float32, 10 epochs" in text
    )


def test_the_figure_shows_where_the_curves_end():
    curves = [(np.arange(3), np.array([6.0, 3.0, 2.6]), np.zeros(3)), (np.arange(2), np.array([6.0, 3.2]), np.zeros(2))]
    assert path.ylim(curves, 2.475) == pytest.approx((2.425, 3.25))
