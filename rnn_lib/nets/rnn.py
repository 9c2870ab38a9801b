"""The vanilla RNN: parameters, forward pass, loss and backpropagation through time.

    a_t = W h_{t-1} + U x_t + b      h_t = tanh(a_t)
    o_t = V h_t + c                  p_t = softmax(o_t)
    L   = sum_t -log p_t[y_t]

Characters are integer ids, so ``U x_t`` is the column ``U[:, x_t]``; the output
layer and every gradient that does not depend on the recurrence are computed for
all time steps in one matrix product. Only the recurrence loops over time.
"""

from typing import NamedTuple

import numpy as np


class Params(NamedTuple):
    """Parameters of the RNN, or gradients with the same shapes; float64 arrays.

    b : (m,)  hidden bias          c : (K,)  output bias
    U : (m, K) input weights       W : (m, m) recurrent weights
    V : (K, m) output weights

    The LSTM (:mod:`rnn_lib.nets.lstm`) keeps the same names, with the four gates' blocks stacked
    i, f, o, g in b (4m,), U (4m, K) and W (4m, m).
    """

    b: np.ndarray
    c: np.ndarray
    U: np.ndarray
    W: np.ndarray
    V: np.ndarray

    @property
    def m(self):
        return self.W.shape[1]

    @property
    def K(self):
        return self.c.shape[0]


def init_params(K, m, rng, sigma=0.01):
    """Weights drawn as ``sigma * randn`` from ``rng`` (a numpy Generator), biases zero."""
    if K < 1 or m < 1 or sigma <= 0:
        raise ValueError(f"need K >= 1, m >= 1 and sigma > 0 (got K={K}, m={m}, sigma={sigma})")
    return Params(
        b=np.zeros(m),
        c=np.zeros(K),
        U=sigma * rng.standard_normal((m, K)),
        W=sigma * rng.standard_normal((m, m)),
        V=sigma * rng.standard_normal((K, m)),
    )


def zeros_like(params):
    """Params of zeros (of the same network) with the shapes of ``params`` (gradient or optimizer memory)."""
    return type(params)(*(np.zeros_like(a) for a in params))


def copy(params):
    return type(params)(*(a.copy() for a in params))


def hidden_states(params, x, h0):
    """Run the recurrence over the ids ``x`` (T,) from ``h0`` (m,).

    Returns H of shape (T+1, m) with ``H[0] = h0`` and ``H[t] = h_t``.
    """
    W = params.W
    H = np.empty((len(x) + 1, params.m))
    H[0] = h0
    A = params.U[:, x].T + params.b  # (T, m): the input part of every a_t at once
    for t in range(len(x)):
        a = A[t]
        a += W @ H[t]
        np.tanh(a, out=H[t + 1])
    return H


def _log_softmax_parts(params, H):
    """Shifted logits O (T, K) and their exp E, so that p_t = E[t] / E[t].sum()."""
    O = H[1:] @ params.V.T + params.c
    O -= O.max(axis=1, keepdims=True)  # exp never overflows
    return O, np.exp(O)


def loss(params, x, y, h0):
    """Summed cross-entropy of predicting ids ``y`` (T,) from inputs ``x`` (T,), starting at ``h0``."""
    return loss_from_states(params, hidden_states(params, x, h0), y)


def loss_from_states(params, H, y):
    """Summed cross-entropy of ids ``y`` (T,) given the hidden states H (T+1, m) of :func:`hidden_states`."""
    O, E = _log_softmax_parts(params, H)
    return float(np.sum(np.log(E.sum(axis=1)) - O[np.arange(len(y)), y]))


def loss_and_grads(params, x, y, h0):
    """Loss, gradients (a Params) and last hidden state ``h_T`` (m,) for one chunk.

    x, y : (T,) int input and target ids; h0 : (m,) hidden state before the chunk.
    """
    T = len(x)
    H = hidden_states(params, x, h0)
    O, E = _log_softmax_parts(params, H)
    S = E.sum(axis=1)
    steps = np.arange(T)
    total = float(np.sum(np.log(S) - O[steps, y]))

    dO = E / S[:, None]  # dL/do_t = p_t - onehot(y_t)
    dO[steps, y] -= 1.0
    dV = dO.T @ H[1:]
    dc = dO.sum(axis=0)

    dA = dO @ params.V  # starts as dL/dh_t through the output only, becomes dL/da_t
    tanh_grad = 1.0 - H[1:] ** 2
    W = params.W
    dA[T - 1] *= tanh_grad[T - 1]
    for t in range(T - 2, -1, -1):
        dA[t] += dA[t + 1] @ W  # the path through h_{t+1}: W^T dL/da_{t+1}
        dA[t] *= tanh_grad[t]

    dW = dA.T @ H[:-1]
    db = dA.sum(axis=0)
    dU = np.zeros_like(params.U)
    np.add.at(dU.T, x, dA)  # column x_t of dU collects dL/da_t
    return total, Params(b=db, c=dc, U=dU, W=dW, V=dV), H[T].copy()
