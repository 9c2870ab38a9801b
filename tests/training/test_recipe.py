"""Chapter 7's recipe: the schedule of the step, clipping by norm, dropout and two layers, in training."""

import math
import os
import signal

import numpy as np
import pytest

from rnn_lib.nets import dropout, optim
from rnn_lib.training import loop, recipe
from rnn_lib.training.checkpoint import CheckpointError
from rnn_lib.training.settings import Config

RECIPE = dict(schedule="cosine", warmup=10, dropout=0.3, clipping="norm", clip=1.0, optimizer="adam", eta=0.01)


def _config(corpus, **settings):
    defaults = dict(model="lstm", batch=4, m=12, steps=120, sample_every=40, sample_length=30, eval_every=40,
                    checkpoint_every=20, validation=0.1, **RECIPE)  # fmt: skip
    return Config(corpus=str(corpus), **{**defaults, **settings})


def test_warmup_rises_linearly_then_cosine_falls_to_its_final_rate():
    rates = [recipe.rate(k, 111, "cosine", warmup=10, final=0.1) for k in range(111)]  # 100 updates after warm-up
    assert rates[:10] == pytest.approx([(k + 1) / 10 for k in range(10)])
    assert rates[10] == 1.0 and rates[-1] == pytest.approx(0.1) and rates[60] == pytest.approx(0.55)
    assert all(a >= b for a, b in zip(rates[9:], rates[10:]))
    assert [recipe.rate(k, 110, "constant", warmup=10) for k in (0, 9, 10, 109)] == [0.1, 1.0, 1.0, 1.0]


def test_step_decay_holds_within_an_epoch_and_reaches_its_final_rate_in_the_last():
    rates = [recipe.rate(k, 50, "step", final=0.01, per_epoch=10) for k in range(50)]  # 5 epochs
    for epoch in range(5):
        assert rates[10 * epoch : 10 * epoch + 10] == pytest.approx([0.01 ** (epoch / 4)] * 10)
    assert rates[-1] == pytest.approx(0.01)


def test_norm_clipping_keeps_the_direction_and_bounds_the_norm():
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    norm = math.sqrt(sum((g**2).sum() for g in grads))
    before = [g.copy() for g in grads]
    optim.clip_norm(grads, norm / 2)
    assert math.sqrt(sum((g**2).sum() for g in grads)) == pytest.approx(norm / 2)
    for g, old in zip(grads, before):
        np.testing.assert_allclose(g, old / 2)
    optim.clip_norm(grads, norm)  # within the bound: untouched
    for g, old in zip(grads, before):
        np.testing.assert_allclose(g, old / 2)


def test_masks_drop_the_share_asked_for_and_keep_the_mean():
    masks = dropout.masks(np.random.default_rng(0), 2, (50, 32, 64), 0.25)
    assert masks.shape == (2, 50, 32, 64) and set(np.unique(masks)) == {0.0, 1 / 0.75}
    assert (masks == 0).mean() == pytest.approx(0.25, abs=0.01) and masks.mean() == pytest.approx(1, abs=0.01)
    assert dropout.masks(np.random.default_rng(0), 2, (5, 2, 3), 0.0) is None
    same = recipe.masks(7, 123, 1, (5, 2, 3), 0.5)
    assert np.array_equal(same, recipe.masks(7, 123, 1, (5, 2, 3), 0.5))
    assert not np.array_equal(same, recipe.masks(7, 124, 1, (5, 2, 3), 0.5))


def test_the_run_steps_with_the_scheduled_eta(small_corpus, tmp_path, monkeypatch):
    etas = []
    real = optim.STEPS["adam"]
    monkeypatch.setitem(optim.STEPS, "adam", lambda *a, **hp: (etas.append(hp["eta"]), real(*a, **hp))[1])
    loop.train(_config(small_corpus, dropout=0.0, clipping="entries", steps=60), tmp_path / "run", progress=False)
    assert etas == pytest.approx([0.01 * recipe.rate(k, 60, "cosine", 10, 0.1) for k in range(60)])


@pytest.mark.parametrize("network", ["lstm", "lstm2"])
def test_a_run_with_the_recipe_stopped_and_resumed_trains_what_one_session_does(
    small_corpus, tmp_path, monkeypatch, network
):
    """A schedule's length is part of it, so a session ends early by a signal; the rate and the dropout masks of
    update k depend on k alone, so the second session goes on to the bit."""
    whole = loop.train(_config(small_corpus, model=network), tmp_path / "whole", progress=False)
    real, calls = loop._engine, []

    def stopping_engine(*args):
        engine = real(*args)
        updates = engine.updates

        def interrupted(*a):
            calls.append(1)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGINT)
            return updates(*a)

        engine.updates = interrupted
        return engine

    monkeypatch.setattr(loop, "_engine", stopping_engine)
    partial = loop.train(_config(small_corpus, model=network), tmp_path / "parts", progress=False)
    assert partial.interrupted and 0 < partial.state.step < 120
    monkeypatch.setattr(loop, "_engine", real)
    resumed = loop.train(_config(small_corpus, model=network), tmp_path / "parts", progress=False)
    assert np.array_equal(resumed.history, whole.history) and resumed.samples == whole.samples
    for a, b in zip(resumed.state.params, whole.state.params):
        assert np.array_equal(a, b)
    assert np.array_equal(resumed.validation, whole.validation, equal_nan=True)
    assert whole.validation[-1, 2] < whole.validation[0, 2]  # it learns


def test_dropout_changes_training_and_leaves_evaluation_alone(small_corpus, tmp_path):
    plain = loop.train(_config(small_corpus, dropout=0.0, steps=40, history_every=1), tmp_path / "a", progress=False)
    dropped = loop.train(_config(small_corpus, steps=40, history_every=1), tmp_path / "b", progress=False)
    assert plain.validation[0, 2] == dropped.validation[0, 2]  # the same initial model, evaluated without masks
    assert len(plain.history) == 40 and not np.array_equal(plain.history[:, 2], dropped.history[:, 2])


def test_a_schedule_run_of_another_length_is_another_run():
    cosine = Config(model="lstm", schedule="cosine", steps=100)
    assert cosine.differences(Config(model="lstm", schedule="cosine", steps=200)) == ["steps"]
    assert Config(model="lstm", steps=100).differences(Config(model="lstm", steps=200)) == []
    assert Config(model="lstm", final_eta=0.5).differences(Config(model="lstm")) == []  # constant: no final eta
    assert cosine.differences(Config(model="lstm", schedule="cosine", steps=200), free=()) == ["steps"]


def test_a_schedule_run_asked_to_go_on_longer_says_why_it_cannot(small_corpus, tmp_path):
    loop.train(_config(small_corpus, steps=40), tmp_path / "run", progress=False)
    with pytest.raises(CheckpointError, match=r"other settings \(steps\) \(its step follows a schedule over the run's"):
        loop.train(_config(small_corpus, steps=80), tmp_path / "run", progress=False)


@pytest.mark.parametrize(
    "settings, message",
    [
        (dict(schedule="cosine"), "--schedule, --warmup and --clipping norm are for minibatches"),
        (dict(warmup=10), "--schedule, --warmup and --clipping norm are for minibatches"),
        (dict(clipping="norm"), "--schedule, --warmup and --clipping norm are for minibatches"),
        (dict(dropout=0.2, batch=8), "--dropout is for the LSTM"),
        (dict(dropout=1.0, model="lstm"), "dropout"),
    ],
)
def test_the_recipe_is_refused_where_it_does_not_apply(settings, message):
    with pytest.raises(ValueError, match=message):
        Config(steps=10, **settings).validate()
