"""The LSTM against its literal one-stream implementation and centred differences."""

import numpy as np
import pytest

from rnn_lib.evaluation import heldout
from rnn_lib.nets import gradcheck, lstm, optim, reference
from rnn_lib.text import streams
from rnn_lib.text.corpus import load_corpus


def _case(K, m, B, T, sigma, seed):
    """Every parameter ``sigma * randn``, random ids, and a carried state that is not zero."""
    rng = np.random.default_rng(seed)
    params = gradcheck.sigma_params(K, m, rng, sigma)
    X, Y = rng.integers(0, K, (B, T)), rng.integers(0, K, (B, T))
    state = lstm.State(h=0.5 * np.tanh(rng.standard_normal((B, m))), cell=rng.standard_normal((B, m)))
    return params, X, Y, state


def _literal(params, X, Y, state):
    """The reference on every stream: the mean loss and gradients, and the stacked states."""
    runs = [reference.lstm_loss_and_grads(params, X[j], Y[j], (state.h[j], state.cell[j])) for j in range(len(X))]
    grads = lstm.Params(*(np.mean(arrays, axis=0) for arrays in zip(*(r[1] for r in runs))))
    h, cell = (np.stack([r[2][k] for r in runs]) for k in (0, 1))
    return np.mean([r[0] for r in runs]), grads, lstm.State(h, cell)


def test_init_params_shapes_gates_and_scale():
    p = lstm.init_params(K=65, m=32, rng=np.random.default_rng(0))
    assert [a.shape for a in p] == [(128,), (65,), (128, 65), (128, 32), (65, 32)]
    assert all(a.dtype == np.float64 for a in p) and (p.m, p.K) == (32, 65)
    np.testing.assert_array_equal(p.b, np.r_[np.zeros(32), np.ones(32), np.zeros(64)])  # forget gate: 1
    assert not p.c.any()
    for k in range(4):  # every gate's recurrent block is orthogonal
        block = p.W[32 * k : 32 * (k + 1)]
        np.testing.assert_allclose(block @ block.T, np.eye(32), atol=1e-12)
    assert np.abs(p.U).max() <= np.sqrt(6 / (65 + 128)) and np.abs(p.V).max() <= np.sqrt(6 / (65 + 32))
    assert p.U.std() == pytest.approx(np.sqrt(2 / (65 + 128)), rel=0.05)  # uniform: r / sqrt(3)
    same = lstm.init_params(65, 32, np.random.default_rng(0))
    assert all(np.array_equal(a, b) for a, b in zip(p, same))
    assert lstm.init_params(5, 3, np.random.default_rng(0), dtype=np.float32).W.dtype == np.float32


def test_zero_state():
    state = lstm.zero_state(3, 4)
    assert state.h.shape == state.cell.shape == (3, 4) and not state.h.any() and not state.cell.any()


@pytest.mark.parametrize(
    "K, m, T, sigma, seed", [(5, 3, 1, 0.5, 0), (10, 4, 8, 1.0, 1), (65, 5, 25, 0.1, 2), (30, 50, 40, 0.3, 3)]
)
def test_one_stream_matches_the_literal_reference(K, m, T, sigma, seed):
    params, X, Y, state = _case(K, m, 1, T, sigma, seed)
    loss, grads, new = lstm.loss_and_grads(params, X, Y, state)
    loss_ref, grads_ref, new_ref = _literal(params, X, Y, state)
    assert loss == pytest.approx(loss_ref, rel=1e-12)
    assert lstm.loss(params, X, Y, state) == pytest.approx(loss_ref, rel=1e-12)
    np.testing.assert_allclose(new.h, new_ref.h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(new.cell, new_ref.cell, rtol=0, atol=1e-12)
    for name, g, g_ref in zip(lstm.Params._fields, grads, grads_ref):
        assert g.shape == g_ref.shape, name
        np.testing.assert_allclose(g, g_ref, rtol=0, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("K, m, B, T, seed", [(10, 4, 2, 1, 0), (65, 20, 5, 25, 1), (30, 16, 8, 12, 2)])
def test_many_streams_are_the_mean_over_streams(K, m, B, T, seed):
    params, X, Y, state = _case(K, m, B, T, 0.3, seed)
    loss, grads, new = lstm.loss_and_grads(params, X, Y, state)
    loss_ref, grads_ref, new_ref = _literal(params, X, Y, state)
    assert loss == pytest.approx(loss_ref, rel=1e-12)
    np.testing.assert_allclose(new.h, new_ref.h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(new.cell, new_ref.cell, rtol=0, atol=1e-12)
    for name, g, g_ref in zip(lstm.Params._fields, grads, grads_ref):
        np.testing.assert_allclose(g, g_ref, rtol=0, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("K, m, B, sigma, seed", [(10, 4, 1, 0.5, 0), (20, 6, 3, 0.3, 1), (65, 12, 2, 0.1, 2)])
def test_gradients_match_centred_differences(K, m, B, sigma, seed):
    params, X, Y, state = _case(K, m, B, 20, sigma, seed)
    results = gradcheck.check_gradients(
        params, X, Y, state, max_entries=150, rng=np.random.default_rng(seed), loss_and_grads=lstm.loss_and_grads,
        loss=lstm.loss,
    )  # fmt: skip
    assert list(results) == ["b", "c", "U", "W", "V"]
    for name, r in results.items():
        # As for the RNN: gradient entries near 1e-6 carry the differences' rounding noise, so
        # the element-wise maximum is looser than the norm-wise and mean errors.
        assert r["norm_rel"] < 1e-7 and r["mean_rel"] < 1e-6 and r["max_rel"] < 1e-4, (name, r)


def test_check_lstm_on_the_corpus():
    ids, vocab, _ = load_corpus()
    results, agreement = gradcheck.check_lstm(ids[:5000], len(vocab), 8, seed=3, batch=2, max_entries=100)
    assert agreement < 1e-12
    assert all(r["norm_rel"] < 1e-7 for r in results.values()), results


def test_carried_state_continues_the_text():
    """Two minibatches with the state carried are one minibatch twice as long."""
    params, X, Y, state = _case(20, 6, 3, 16, 0.5, 5)
    loss_a, _, mid = lstm.loss_and_grads(params, X[:, :9], Y[:, :9], state)
    loss_b, _, end = lstm.loss_and_grads(params, X[:, 9:], Y[:, 9:], mid)
    loss, _, whole = lstm.loss_and_grads(params, X, Y, state)
    assert loss_a + loss_b == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(end.cell, whole.cell, rtol=0, atol=1e-14)
    H, C = lstm.hidden_states(params, X, state)
    np.testing.assert_array_equal(H[0], state.h)
    np.testing.assert_allclose(H[-1], whole.h, rtol=0, atol=1e-15)


def test_cross_entropy_is_the_mean_loss_per_character():
    ids = load_corpus()[0][:2001]
    params = lstm.init_params(int(ids.max()) + 1, 8, np.random.default_rng(0))
    S = streams.cut(ids, 4)
    expected = lstm.loss(params, S[:, :-1], S[:, 1:], lstm.zero_state(4, 8)) / (S.shape[1] - 1)
    got = heldout.cross_entropy(params, ids, streams=4, warmup=0, block=37, network="lstm")
    assert got == pytest.approx(expected, rel=1e-12)


def test_untrained_loss_is_near_uniform_guessing():
    params = lstm.init_params(65, 32, np.random.default_rng(0))
    X = np.random.default_rng(1).integers(0, 65, (4, 25))
    assert lstm.loss(params, X, X, lstm.zero_state(4, 32)) == pytest.approx(25 * np.log(65), rel=0.02)


def test_float32_and_the_optimizers():
    params, X, Y, state = _case(12, 8, 3, 5, 0.3, 4)
    params32 = lstm.Params(*(a.astype(np.float32) for a in params))
    state32 = lstm.State(*(a.astype(np.float32) for a in state))
    loss, grads, new = lstm.loss_and_grads(params32, X, Y, state32)
    assert new.h.dtype == new.cell.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)
    assert loss == pytest.approx(lstm.loss(params, X, Y, state), rel=1e-5)
    for name, step in optim.STEPS.items():  # the optimizers only zip over the five arrays
        before = [a.copy() for a in params32]
        step(params32, optim.clip(grads, 5.0), optim.init_state(name, params32), eta=1e-3)
        assert all(a.dtype == np.float32 and not np.array_equal(a, b) for a, b in zip(params32, before)), name
