import numpy as np
import pytest

from rnn_lib.nets import optim, rnn


def _params_and_grads(seed=0):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(6, 4, rng, 0.5)
    grads = rnn.Params(*(10 * rng.standard_normal(a.shape) for a in params))
    return params, grads


def test_clip_bounds_every_entry_in_place():
    _, grads = _params_and_grads()
    original = rnn.copy(grads)
    out = optim.clip(grads, 5.0)
    assert out is grads
    for g, g0 in zip(grads, original):
        np.testing.assert_array_equal(g, np.clip(g0, -5, 5))
    assert max(np.abs(g).max() for g in grads) == 5.0


def test_adagrad_follows_the_assignment():
    params, grads = _params_and_grads()
    theta0 = rnn.copy(params)
    state = optim.init_state("adagrad", params)
    optim.adagrad(params, grads, state, eta=0.1, eps=1e-8)
    optim.adagrad(params, grads, state, eta=0.1, eps=1e-8)
    for theta, t0, g, m in zip(params, theta0, grads, state["m"]):
        np.testing.assert_allclose(m, 2 * g * g)
        expected = t0 - 0.1 * g / np.sqrt(g * g + 1e-8) - 0.1 * g / np.sqrt(2 * g * g + 1e-8)
        np.testing.assert_allclose(theta, expected, rtol=1e-13)


def test_rmsprop_follows_its_formula():
    params, grads = _params_and_grads(1)
    theta0 = rnn.copy(params)
    state = optim.init_state("rmsprop", params)
    optim.rmsprop(params, grads, state, eta=0.001, gamma=0.9, eps=1e-8)
    for theta, t0, g in zip(params, theta0, grads):
        np.testing.assert_allclose(theta, t0 - 0.001 * g / np.sqrt(0.1 * g * g + 1e-8), rtol=1e-13)


def test_adam_first_step_is_eta_times_the_sign():
    params, grads = _params_and_grads(2)
    theta0 = rnn.copy(params)
    state = optim.init_state("adam", params)
    optim.adam(params, grads, state, eta=0.01)
    assert state["t"] == 1
    for theta, t0, g in zip(params, theta0, grads):
        np.testing.assert_allclose(theta, t0 - 0.01 * g / (np.abs(g) + 1e-8), rtol=1e-12)


def test_bad_optimizer_settings_are_refused():
    params, _ = _params_and_grads()
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'"):
        optim.init_state("sgd", params)
    with pytest.raises(ValueError, match="must be positive"):
        optim.hyperparameters("adagrad", eta=-1)
    assert optim.hyperparameters("rmsprop", eta=None) == optim.DEFAULTS["rmsprop"]
