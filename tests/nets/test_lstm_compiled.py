"""The LSTM's compiled backward pass is the NumPy one, to the bit."""

import numpy as np
import pytest

from rnn_lib.nets import dropout, lstm, registry
from rnn_lib.training import engines

compiled = pytest.importorskip("rnn_lib.nets.lstm_compiled", reason="numba is not installed")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("K, m, B, T, seed", [(10, 4, 1, 1, 0), (65, 20, 5, 25, 1), (30, 33, 8, 12, 2)])
def test_the_backward_pass_through_one_layer_agrees_to_the_bit(K, m, B, T, seed, dtype):
    rng = np.random.default_rng(seed)
    params = lstm.init_params(K, m, rng, dtype)
    state = lstm.State(*(0.5 * rng.standard_normal((2, B, m))).astype(dtype))
    G = lstm.gate_inputs(params.U, params.b, rng.integers(0, K, (B, T)))
    _, C, TC = lstm.layer_forward(G, params.W, *state)
    dH = rng.standard_normal((T, B, m)).astype(dtype)
    dH_numpy, dH_compiled = dH.copy(), dH.copy()
    dA_numpy = lstm.layer_backward(G, C, TC, params.W, dH_numpy)
    dA_compiled = compiled.layer_backward(G, C, TC, params.W, dH_compiled)
    assert dA_compiled.dtype == dtype
    np.testing.assert_array_equal(dA_compiled, dA_numpy)
    np.testing.assert_array_equal(dH_compiled, dH_numpy)  # the path through h_{t-1}, added in place


@pytest.mark.parametrize("network", ["lstm", "lstm2"])
@pytest.mark.parametrize("p", [0.0, 0.3])
def test_a_whole_update_agrees_to_the_bit_with_dropout_or_without(network, p):
    rng = np.random.default_rng(4)
    K, m, B, T = 40, 16, 6, 20
    readable, fast = registry.get(network), registry.get(network, compiled=True)
    params = readable.init(K, m, rng, 0.01, np.float32)
    X, Y = rng.integers(0, K, (B, T)), rng.integers(0, K, (B, T))
    state = (0.3 * rng.standard_normal(readable.zero(B, m).shape)).astype(np.float32)
    masks = dropout.masks(rng, readable.dropouts, (T, B, m), p, np.float32)
    extra = [] if masks is None else [masks]
    loss_a, grads_a, after_a = readable.loss_and_grads(params, X, Y, state, *extra)
    loss_b, grads_b, after_b = fast.loss_and_grads(params, X, Y, state, *extra)
    assert loss_b == loss_a
    np.testing.assert_array_equal(after_b, after_a)
    for name, a, b in zip(readable.params._fields, grads_a, grads_b):
        np.testing.assert_array_equal(b, a, err_msg=name)


def test_the_engine_says_which_pass_it_runs_and_numpy_means_numpy():
    assert engines.minibatch_engine("lstm2", 32).name == "numba, lstm2, 32 streams"
    assert engines.minibatch_engine("lstm", 8, engine="numpy").name == "numpy, lstm, 8 streams"
    assert engines.minibatch_engine("rnn", 32).name == "numpy, rnn, 32 streams"  # the RNN has no compiled twin
    assert engines.minibatch_engine("lstm", 2, engine="numba").prepare() >= 0.0
