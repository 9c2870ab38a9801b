import numpy as np
import pytest

from rnn_lib.nets import gradcheck, reference, rnn


def _case(K, m, T, sigma, seed):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(K, m, rng, sigma)
    x, y = rng.integers(0, K, T), rng.integers(0, K, T)
    return params, x, y, 0.5 * np.tanh(rng.standard_normal(m))


def test_init_params_shapes_and_scale(rng):
    p = rnn.init_params(K=80, m=100, rng=rng, sigma=0.01)
    assert [a.shape for a in p] == [(100,), (80,), (100, 80), (100, 100), (80, 100)]
    assert all(a.dtype == np.float64 for a in p)
    assert not p.b.any() and not p.c.any()
    assert 0.009 < p.W.std() < 0.011


def test_init_params_is_seeded():
    a = rnn.init_params(10, 7, np.random.default_rng(3))
    b = rnn.init_params(10, 7, np.random.default_rng(3))
    assert all(np.array_equal(u, v) for u, v in zip(a, b))


@pytest.mark.parametrize(
    "K, m, T, sigma, seed", [(5, 3, 1, 0.1, 0), (65, 5, 25, 0.01, 1), (80, 100, 25, 0.01, 2), (30, 100, 40, 0.1, 3)]
)
def test_fast_gradients_match_the_literal_reference(K, m, T, sigma, seed):
    params, x, y, h0 = _case(K, m, T, sigma, seed)
    loss_fast, grads_fast, h_fast = rnn.loss_and_grads(params, x, y, h0)
    loss_ref, grads_ref, h_ref = reference.rnn_loss_and_grads(params, x, y, h0)
    assert loss_fast == pytest.approx(loss_ref, rel=1e-12)
    np.testing.assert_allclose(h_fast, h_ref, rtol=0, atol=1e-12)
    for name, g_fast, g_ref in zip(rnn.Params._fields, grads_fast, grads_ref):
        assert g_fast.shape == g_ref.shape, name
        np.testing.assert_allclose(g_fast, g_ref, rtol=0, atol=1e-10, err_msg=name)


def test_loss_is_the_summed_cross_entropy():
    params, x, y, h0 = _case(12, 6, 9, 0.3, 4)
    H = rnn.hidden_states(params, x, h0)
    expected = 0.0
    for t in range(len(x)):
        o = params.V @ H[t + 1] + params.c
        p = np.exp(o) / np.exp(o).sum()
        expected -= np.log(p[y[t]])
    assert rnn.loss(params, x, y, h0) == pytest.approx(expected, rel=1e-12)
    assert rnn.loss_and_grads(params, x, y, h0)[0] == pytest.approx(expected, rel=1e-12)


def test_untrained_loss_is_near_uniform_guessing():
    params, x, y, _ = _case(65, 100, 25, 0.01, 5)
    assert rnn.loss(params, x, y, np.zeros(100)) == pytest.approx(25 * np.log(65), rel=1e-3)


@pytest.mark.parametrize("K, m, sigma, seed", [(65, 5, 0.01, 0), (65, 5, 0.1, 1), (20, 12, 0.1, 2), (65, 100, 0.1, 3)])
def test_analytic_gradients_match_centred_differences(K, m, sigma, seed):
    params, x, y, h0 = _case(K, m, 25, sigma, seed)
    results = gradcheck.check_gradients(params, x, y, h0, h=1e-4, max_entries=400, rng=np.random.default_rng(seed))
    assert list(results) == ["b", "c", "U", "W", "V"]
    for name, r in results.items():
        # Entries of size ~1e-6 carry the ~1e-11 rounding noise of the differences,
        # so the element-wise maximum sits a little higher than the norm-wise error.
        assert r["norm_rel"] < 1e-7, (name, r)
        assert r["max_rel"] < 1e-5, (name, r)
        assert r["mean_rel"] < 1e-7, (name, r)


def test_gradient_check_catches_a_wrong_gradient(monkeypatch):
    params, x, y, h0 = _case(10, 4, 8, 0.3, 6)
    real = rnn.loss_and_grads

    def wrong(*args):
        loss, grads, h = real(*args)
        return loss, grads._replace(W=grads.W * 1.01), h

    monkeypatch.setattr(rnn, "loss_and_grads", wrong)
    results = gradcheck.check_gradients(params, x, y, h0)
    assert results["W"]["max_rel"] > 1e-3 and results["V"]["max_rel"] < 1e-6


def test_gradient_check_leaves_parameters_unchanged():
    params, x, y, h0 = _case(10, 4, 8, 0.3, 7)
    before = rnn.copy(params)
    gradcheck.check_gradients(params, x, y, h0)
    assert all(np.array_equal(a, b) for a, b in zip(params, before))
