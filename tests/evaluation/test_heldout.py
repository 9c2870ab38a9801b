"""The math of chapter 5: held-out evaluation, the n-gram baseline, copying and hidden units."""

import math

import numpy as np
import pytest

from rnn_lib.evaluation import heldout
from rnn_lib.nets import rnn
from rnn_lib.training import loop, run_folder, update


def test_held_out_cross_entropy_is_the_mean_loss_of_one_pass():
    rng = np.random.default_rng(0)
    params = rnn.init_params(12, 8, rng, 0.3)
    ids = rng.integers(0, 12, 1234)
    expected = rnn.loss(params, ids[:-1], ids[1:], np.zeros(8)) / 1233
    assert heldout.cross_entropy(params, ids, block=100) == pytest.approx(expected, rel=1e-12)
    assert heldout.bits(math.log(2)) == pytest.approx(1.0)


def test_streams_read_side_by_side_agree_with_one_pass():
    rng = np.random.default_rng(1)
    params = rnn.init_params(12, 8, rng, 0.3)  # contracting: the warm-up makes the state forget h0
    ids = rng.integers(0, 12, 5000)
    one_pass = heldout.cross_entropy(params, ids)
    for streams in (2, 7, 32):
        assert heldout.cross_entropy(params, ids, streams=streams, warmup=50) == pytest.approx(one_pass, rel=1e-6)
    cold = heldout.cross_entropy(params, ids, streams=32, warmup=0)  # every segment from h0 = 0
    assert cold != pytest.approx(one_pass, rel=1e-9)


def test_training_with_validation_and_test_parts(small_corpus, tmp_path):
    kw = dict(corpus=str(small_corpus), steps=300, m=16, validation=0.1, test=0.1, eval_every=100,
              sample_length=0, checkpoint_every=100, progress=False)  # fmt: skip
    r = loop.train(run_dir=tmp_path / "a", **kw)
    assert r.validation[:, 0].tolist() == [0, 100, 200, 300]
    assert r.validation[-1, 2] < r.validation[0, 2]  # it learns something that carries over
    chosen = r.validation[r.validation[:, 2].argmin()]
    assert r.summary["best_validation_nats"] == chosen[2] and r.summary["test_nats"] == chosen[3]
    assert r.summary["best_validation_step"] == chosen[0]
    np.testing.assert_array_equal(run_folder.read_validation(tmp_path / "a"), r.validation)
    assert r.summary["updates_per_epoch"] == update.updates_per_epoch(2400, 25)  # trained on the first 80 % only
    loop.train(run_dir=tmp_path / "b", **{**kw, "steps": 150})
    resumed = loop.train(run_dir=tmp_path / "b", **kw)
    np.testing.assert_array_equal(resumed.validation, r.validation)
    with pytest.raises(ValueError, match="--test needs --validation"):
        loop.train(run_dir=tmp_path / "c", **{**kw, "validation": 0.0})


def test_the_end_of_a_run_is_evaluated_and_a_resumed_run_matches(small_corpus, tmp_path):
    kw = dict(corpus=str(small_corpus), m=16, validation=0.1, test=0.1, eval_every=100, sample_length=0,
              checkpoint_every=100, progress=False)  # fmt: skip
    straight = loop.train(run_dir=tmp_path / "a", steps=250, **kw)
    assert straight.validation[:, 0].tolist() == [0, 100, 200, 250]
    loop.train(run_dir=tmp_path / "b", steps=150, **kw)
    resumed = loop.train(run_dir=tmp_path / "b", steps=250, **kw)
    np.testing.assert_array_equal(resumed.validation, straight.validation)
