"""The assignment's equations, written literally: one-hot column vectors, one time step at a time.

Deliberately plain and slow. It is the test oracle of :mod:`rnn_lib.model` and the
baseline of the benchmark; training never uses it.
"""

import numpy as np

from .model import Params


def one_hot(ids, K):
    """Columns e_{ids[t]}: array of shape (K, T)."""
    X = np.zeros((K, len(ids)))
    X[ids, np.arange(len(ids))] = 1.0
    return X


def loss_and_grads(params, x, y, h0):
    """Same contract as :func:`rnn_lib.model.loss_and_grads`."""
    b, c, U, W, V = (a[:, None] if a.ndim == 1 else a for a in params)
    K, T = c.shape[0], len(x)
    X, Y = one_hot(x, K), one_hot(y, K)

    h = {-1: h0[:, None]}
    p = {}
    total = 0.0
    for t in range(T):
        a_t = W @ h[t - 1] + U @ X[:, [t]] + b
        h[t] = np.tanh(a_t)
        o_t = V @ h[t] + c
        p[t] = np.exp(o_t - o_t.max()) / np.sum(np.exp(o_t - o_t.max()))
        total -= np.log(Y[:, [t]].T @ p[t]).item()

    grads = Params(*(np.zeros_like(a) for a in (b, c, U, W, V)))
    db, dc, dU, dW, dV = grads
    dh_next = np.zeros_like(h0[:, None])
    for t in reversed(range(T)):
        g = p[t] - Y[:, [t]]  # dL/do_t
        dV += g @ h[t].T
        dc += g
        dh = V.T @ g + dh_next  # dL/dh_t
        da = dh * (1.0 - h[t] ** 2)  # dL/da_t
        dW += da @ h[t - 1].T
        dU += da @ X[:, [t]].T
        db += da
        dh_next = W.T @ da
    grads = Params(b=db[:, 0], c=dc[:, 0], U=dU, W=dW, V=dV)
    return total, grads, h[T - 1][:, 0].copy()
