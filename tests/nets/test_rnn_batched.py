"""The batched RNN: B = 1 is the model of the assignment, B > 1 the mean over its streams."""

import numpy as np
import pytest

from rnn_lib.nets import gradcheck, optim, rnn, rnn_batched
from rnn_lib.text import streams
from rnn_lib.text.corpus import load_corpus
from rnn_lib.training import engines
from rnn_lib.training.state import State


def _case(K, m, B, T, sigma, seed):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(K, m, rng, sigma)
    X, Y = rng.integers(0, K, (B, T)), rng.integers(0, K, (B, T))
    return params, X, Y, 0.5 * np.tanh(rng.standard_normal((B, m)))


def _assert_same(got, expected, tol):
    (loss, grads, h), (loss_e, grads_e, h_e) = got, expected
    assert loss == pytest.approx(loss_e, rel=tol, abs=0)
    np.testing.assert_allclose(h, h_e, rtol=0, atol=tol)
    for name, g, g_e in zip(rnn.Params._fields, grads, grads_e):
        assert g.shape == g_e.shape, name
        np.testing.assert_allclose(g, g_e, rtol=0, atol=tol, err_msg=name)


@pytest.mark.parametrize(
    "K, m, T, sigma, seed", [(5, 3, 1, 0.1, 0), (65, 5, 25, 0.01, 1), (80, 100, 25, 0.01, 2), (30, 100, 40, 0.1, 3)]
)
def test_one_stream_is_the_model_of_the_assignment(K, m, T, sigma, seed):
    params, X, Y, h0 = _case(K, m, 1, T, sigma, seed)
    got = rnn_batched.loss_and_grads(params, X, Y, h0)
    loss, grads, h = rnn.loss_and_grads(params, X[0], Y[0], h0[0])
    _assert_same(got, (loss, grads, h[None]), 1e-12)
    assert rnn_batched.loss(params, X, Y, h0) == pytest.approx(rnn.loss(params, X[0], Y[0], h0[0]), rel=1e-12)
    np.testing.assert_allclose(rnn_batched.hidden_states(params, X, h0)[:, 0], rnn.hidden_states(params, X[0], h0[0]))


@pytest.mark.parametrize("K, m, B, T, seed", [(10, 4, 2, 1, 0), (65, 20, 5, 25, 1), (30, 50, 8, 12, 2)])
def test_many_streams_are_the_mean_over_streams(K, m, B, T, seed):
    params, X, Y, h0 = _case(K, m, B, T, 0.1, seed)
    per_stream = [rnn.loss_and_grads(params, X[j], Y[j], h0[j]) for j in range(B)]
    expected = (
        np.mean([r[0] for r in per_stream]),
        rnn.Params(*(np.mean(arrays, axis=0) for arrays in zip(*(r[1] for r in per_stream)))),
        np.stack([r[2] for r in per_stream]),
    )
    _assert_same(rnn_batched.loss_and_grads(params, X, Y, h0), expected, 1e-12)
    assert rnn_batched.loss(params, X, Y, h0) == pytest.approx(expected[0], rel=1e-12)


@pytest.mark.parametrize("K, m, B, sigma, seed", [(20, 6, 3, 0.3, 0), (65, 30, 4, 0.1, 1)])
def test_batched_gradients_match_centred_differences(K, m, B, sigma, seed):
    params, X, Y, h0 = _case(K, m, B, 20, sigma, seed)
    results = gradcheck.check_gradients(
        params, X, Y, h0, max_entries=200, rng=np.random.default_rng(seed), loss_and_grads=rnn_batched.loss_and_grads,
        loss=rnn_batched.loss,
    )  # fmt: skip
    for name, r in results.items():
        assert r["norm_rel"] < 1e-7 and r["mean_rel"] < 1e-7 and r["max_rel"] < 1e-5, (name, r)


def test_float32_stays_float32():
    params, X, Y, h0 = _case(12, 8, 3, 5, 0.1, 4)
    params32 = rnn.Params(*(a.astype(np.float32) for a in params))
    loss, grads, h = rnn_batched.loss_and_grads(params32, X, Y, h0.astype(np.float32))
    assert h.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)
    assert loss == pytest.approx(rnn_batched.loss(params, X, Y, h0), rel=1e-5)


def test_one_stream_reproduces_the_training_of_the_assignment():
    """Updates over streams.cut(ids, 1), across an epoch's end, are those of the NumPy engine."""
    ids = load_corpus()[0][:300]  # 11 updates per epoch at seq_length 25
    K, m, n, s = int(ids.max()) + 1, 16, 25, 25
    params = rnn.init_params(K, m, np.random.default_rng(0), 0.1)
    state = State(params=rnn.copy(params), opt=optim.init_state("adagrad", params), hprev=np.zeros(m),
                  best=rnn.copy(params), rng=np.random.default_rng(0), smooth_loss=100.0)  # fmt: skip
    losses, _ = engines.NUMPY.updates(state, ids, n, s, 5.0, "adagrad", optim.DEFAULTS["adagrad"])

    S, e, h = streams.cut(ids, 1, s), 0, np.zeros((1, m))
    opt = optim.init_state("adagrad", params)
    for k in range(n):
        loss, grads, h = rnn_batched.loss_and_grads(params, *streams.chunk(S, e, s), h)
        assert loss == pytest.approx(losses[k], rel=1e-12), k
        optim.adagrad(params, optim.clip(grads, 5.0), opt, **optim.DEFAULTS["adagrad"])
        e = streams.next_position(e, s, S)
        h = h if e else np.zeros_like(h)
    assert e == state.e == 3 * s
    np.testing.assert_allclose(h[0], state.hprev, rtol=0, atol=1e-12)
    for name, a, b in zip(rnn.Params._fields, params, state.params):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, err_msg=name)
