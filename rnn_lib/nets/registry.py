"""The networks the library trains on minibatches of streams, behind one set of functions.

``rnn`` is the assignment's vanilla RNN (:mod:`rnn_lib.nets.rnn_batched`), ``lstm`` the LSTM
(:mod:`rnn_lib.nets.lstm`), ``lstm2`` two LSTM layers (:mod:`rnn_lib.nets.lstm2`). Training, held-out
evaluation and sampling reach each through:

``init(K, m, rng, sigma, dtype)``
    parameters; the RNN's are the assignment's (sigma * randn), the LSTM's its own rule.
``zero(B, m, dtype)``
    the state before a text: (B, m) for the RNN, (2, B, m) for the LSTM (h, then the cell), (4, B, m) for two.
``loss_and_grads(params, X, Y, state, masks=None)``
    loss summed over the T steps and averaged over the B streams of X, Y (B, T), gradients, next state;
    ``masks`` (``dropouts``, T, B, m) drop hidden units on their connections upward (the LSTMs only).
``dropouts``
    how many connections upward dropout acts on: one per layer (0 for the RNN, which has none).
``hidden(params, X, state)``
    ``(H, state)``: the hidden states H (T+1, B, m) that the output layer ``V h + c`` reads.
``output(state)``
    the hidden states h (B, m) of a state, what the output layer reads.
``shapes(K, m)``
    the parameters' shapes, in the order b, c, U, W, V.

The state is one float array, so that a checkpoint stores it as it stores ``hprev``.
"""

import functools
from types import SimpleNamespace

import numpy as np

from . import lstm, lstm2, rnn, rnn_batched

NAMES = ("rnn", "lstm", "lstm2")


def _cast(params, dtype):
    return type(params)(*(a.astype(dtype, copy=False) for a in params))


def _lstm_state(state):
    return lstm.State(state[0], state[1])


def _lstm_loss_and_grads(params, X, Y, state, masks=None, backward=lstm.layer_backward):
    mask = None if masks is None else masks[0]
    loss, grads, after = lstm.loss_and_grads(params, X, Y, _lstm_state(state), mask, backward)
    return loss, grads, np.stack(after)


def _lstm_hidden(params, X, state):
    H, C = lstm.hidden_states(params, X, _lstm_state(state))
    return H, np.stack([H[-1], C[-1]])


def _rnn_hidden(params, X, state):
    H = rnn_batched.hidden_states(params, X, state)
    return H, H[-1]


NETWORKS = {
    "rnn": SimpleNamespace(
        params=rnn.Params,
        init=lambda K, m, rng, sigma, dtype=np.float64: _cast(rnn.init_params(K, m, rng, sigma), dtype),
        zero=lambda B, m, dtype=np.float64: np.zeros((B, m), dtype),
        loss_and_grads=rnn_batched.loss_and_grads,
        dropouts=0,
        hidden=_rnn_hidden,
        output=lambda state: state,
        shapes=lambda K, m: ((m,), (K,), (m, K), (m, m), (K, m)),
    ),
    "lstm": SimpleNamespace(
        params=lstm.Params,
        init=lambda K, m, rng, sigma, dtype=np.float64: lstm.init_params(K, m, rng, dtype),
        zero=lambda B, m, dtype=np.float64: np.zeros((2, B, m), dtype),
        loss_and_grads=_lstm_loss_and_grads,
        dropouts=1,
        hidden=_lstm_hidden,
        output=lambda state: state[0],
        shapes=lambda K, m: ((4 * m,), (K,), (4 * m, K), (4 * m, m), (K, m)),
    ),
    "lstm2": SimpleNamespace(
        params=lstm2.Params,
        init=lambda K, m, rng, sigma, dtype=np.float64: lstm2.init_params(K, m, rng, dtype),
        zero=lambda B, m, dtype=np.float64: np.zeros((4, B, m), dtype),
        loss_and_grads=lstm2.loss_and_grads,
        dropouts=2,
        hidden=lstm2.hidden_states,
        output=lambda state: state[2],
        shapes=lstm2.shapes,
    ),
}


def get(name, compiled=False):
    """The functions of network ``name`` (one of :data:`NAMES`); with ``compiled``, an LSTM's backward pass is
    :mod:`.lstm_compiled`'s, the same math with numba (which must then be installed); the RNN has no such twin."""
    if name not in NETWORKS:
        raise ValueError(f"unknown network {name!r}: choose one of {', '.join(NAMES)}")
    if not compiled or name == "rnn":
        return NETWORKS[name]
    from . import lstm_compiled  # numba is optional

    net = NETWORKS[name]
    return SimpleNamespace(**{**vars(net), "loss_and_grads": functools.partial(
        net.loss_and_grads, backward=lstm_compiled.layer_backward)})  # fmt: skip


def size(name, K, m):
    """Number of parameters of network ``name`` with K characters and m hidden units."""
    return sum(int(np.prod(shape)) for shape in get(name).shapes(K, m))


def stream(state, j):
    """The state of stream ``j`` alone, of a state of several: the RNN's (1, m), the LSTM's (2, 1, m)."""
    return state[..., j : j + 1, :]
