"""The networks' equations written literally: one-hot column vectors, one time step at a time.

Deliberately plain and slow: the test oracle of :mod:`rnn_lib.nets.rnn` and :mod:`rnn_lib.nets.lstm`
(which must agree with it to rounding), and the benchmark's baseline; training never uses it.
In the LSTM, the cell state c_t of the equations is ``cell``, because ``c`` is the output bias.
"""

import numpy as np

from . import lstm, rnn


def one_hot(ids, K):
    """Columns e_{ids[t]}: array of shape (K, T)."""
    X = np.zeros((K, len(ids)))
    X[ids, np.arange(len(ids))] = 1.0
    return X


def rnn_loss_and_grads(params, x, y, h0):
    """The vanilla RNN: same contract as :func:`rnn_lib.nets.rnn.loss_and_grads`."""
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

    grads = rnn.Params(*(np.zeros_like(a) for a in (b, c, U, W, V)))
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
    grads = rnn.Params(b=db[:, 0], c=dc[:, 0], U=dU, W=dW, V=dV)
    return total, grads, h[T - 1][:, 0].copy()


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def lstm_loss_and_grads(params, x, y, state):
    """The LSTM: loss, gradients and ``(h_T, cell_T)`` for one stream.

    x, y : (T,) int input and target ids; state : ``(h0, cell0)``, each (m,). The loss is summed
    over time; :func:`rnn_lib.nets.lstm.loss_and_grads` at B = 1 must return the same.
    """
    b, c, U, W, V = (a[:, None] if a.ndim == 1 else a for a in params)
    K, m, T = c.shape[0], W.shape[1], len(x)
    X, Y = one_hot(x, K), one_hot(y, K)
    I, F, O, G = (slice(k * m, (k + 1) * m) for k in range(4))  # the gates' rows of U, W and b

    h = {-1: state[0][:, None]}
    cell = {-1: state[1][:, None]}
    i, f, o, g, p = {}, {}, {}, {}, {}
    total = 0.0
    for t in range(T):
        a_t = W @ h[t - 1] + U @ X[:, [t]] + b
        i[t], f[t], o[t] = sigmoid(a_t[I]), sigmoid(a_t[F]), sigmoid(a_t[O])
        g[t] = np.tanh(a_t[G])
        cell[t] = f[t] * cell[t - 1] + i[t] * g[t]
        h[t] = o[t] * np.tanh(cell[t])
        o_t = V @ h[t] + c  # the logits; o[t] is the output gate
        p[t] = np.exp(o_t - o_t.max()) / np.sum(np.exp(o_t - o_t.max()))
        total -= np.log(Y[:, [t]].T @ p[t]).item()

    db, dc, dU, dW, dV = (np.zeros_like(a) for a in (b, c, U, W, V))
    dh_next = np.zeros((m, 1))  # dL/dh_t through a_{t+1}
    dcell_next = np.zeros((m, 1))  # dL/dc_{t+1}
    for t in reversed(range(T)):
        d_o = p[t] - Y[:, [t]]  # dL/do_t (the logits)
        dV += d_o @ h[t].T
        dc += d_o
        dh = V.T @ d_o + dh_next
        dcell = dh * o[t] * (1.0 - np.tanh(cell[t]) ** 2) + dcell_next * (f[t + 1] if t + 1 < T else 0.0)
        da = np.vstack(
            [
                dcell * g[t] * i[t] * (1.0 - i[t]),
                dcell * cell[t - 1] * f[t] * (1.0 - f[t]),
                dh * np.tanh(cell[t]) * o[t] * (1.0 - o[t]),
                dcell * i[t] * (1.0 - g[t] ** 2),
            ]
        )
        dW += da @ h[t - 1].T
        dU += da @ X[:, [t]].T
        db += da
        dh_next = W.T @ da
        dcell_next = dcell
    grads = lstm.Params(b=db[:, 0], c=dc[:, 0], U=dU, W=dW, V=dV)
    return total, grads, (h[T - 1][:, 0].copy(), cell[T - 1][:, 0].copy())
