"""The vanilla RNN of :mod:`rnn_lib.nets.rnn` on a minibatch of B streams read side by side.

Every stream follows the equations of the model with the shared parameters,

    a_t = W h_{t-1} + U x_t + b      h_t = tanh(a_t)
    o_t = V h_t + c                  p_t = softmax(o_t)

and the loss of a minibatch is summed over its T time steps and averaged over its B streams,

    L = (1/B) sum_j sum_t -log p_t^(j)[y_t^(j)],

so that B = 1 is exactly the assignment's loss (and its gradients), and the size of an update
does not grow with B. The B hidden states are the rows of an array (B, m), so a step of the
recurrence is one matrix-matrix product ``H @ W.T``. Arrays over time are time-major,
(T, B, ...), so that each step reads and writes one contiguous block. Ids index ``U.T``.
"""

import numpy as np

from .rnn import Params


def _input_part(params, X):
    """``U x_t + b`` for every step and stream: array (T, B, m), looked up rather than multiplied."""
    return params.U.T[X.T] + params.b


def hidden_states(params, X, h0):
    """Run the recurrence over the ids ``X`` (B, T) from ``h0`` (B, m).

    Returns H of shape (T+1, B, m) with ``H[0] = h0`` and ``H[t] = h_t`` (one row per stream).
    """
    T = X.shape[1]
    W = params.W
    H = np.empty((T + 1, *h0.shape), dtype=W.dtype)
    H[0] = h0
    A = _input_part(params, X)
    for t in range(T):
        a = A[t]
        a += H[t] @ W.T
        np.tanh(a, out=H[t + 1])
    return H


def output_parts(params, H):
    """Shifted logits O (T, B, K) and their exp E, so that p_t = E[t, j] / E[t, j].sum().

    H : (T+1, B, m) hidden states, ``H[0]`` the one before the minibatch (not scored).
    """
    T, B, m = H.shape[0] - 1, H.shape[1], H.shape[2]
    O = (H[1:].reshape(T * B, m) @ params.V.T + params.c).reshape(T, B, -1)  # one product, not T
    O -= O.max(axis=2, keepdims=True)  # exp never overflows
    return O, np.exp(O)


def target_index(Y):
    """Index of the target entries ``[t, j, Y[j, t]]`` of an array (T, B, K), from ``Y`` (B, T)."""
    B, T = Y.shape
    return np.arange(T)[:, None], np.arange(B), Y.T


def loss_from_states(params, H, Y):
    """Loss of the targets ``Y`` (B, T) given the hidden states H (T+1, B, m) of :func:`hidden_states`:
    cross-entropy summed over time, averaged over streams."""
    O, E = output_parts(params, H)
    return float(np.sum(np.log(E.sum(axis=2)) - O[target_index(Y)]) / Y.shape[0])


def loss(params, X, Y, h0):
    """Loss of predicting ``Y`` (B, T) from ``X`` (B, T) starting at ``h0`` (B, m): summed over time,
    averaged over the B streams."""
    return loss_from_states(params, hidden_states(params, X, h0), Y)


def output_loss_and_grads(params, H, Y):
    """The output layer's share of :func:`loss_and_grads`, the same for any recurrent layer below it.

    H : (T+1, B, m) hidden states; Y : (B, T) target ids. Returns ``(loss, dc, dV, dH)``: the loss
    (summed over time, averaged over streams), dc (K,), dV (K, m), and dH (T, B, m), the gradient
    with respect to each h_t through o_t alone.
    """
    B, T = Y.shape
    m = H.shape[2]
    O, E = output_parts(params, H)
    S = E.sum(axis=2)
    total = float(np.sum(np.log(S) - O[target_index(Y)]) / B)
    dO = E / S[:, :, None]  # dL/do_t = (p_t - onehot(y_t)) / B, per stream
    dO[target_index(Y)] -= 1.0
    dO /= B
    dO = dO.reshape(T * B, -1)
    dV = dO.T @ H[1:].reshape(T * B, m)
    return total, dO.sum(axis=0), dV, (dO @ params.V).reshape(T, B, m)


def input_grad(params, X, dA):
    """dU (rows, K) from the gradients dA (T, B, rows) of the pre-activations that read the ids ``X`` (B, T).

    Column x of dU sums the rows of dA of every (t, j) that read x, in the order of time then stream: one
    sum per character that occurs, which is many times faster than ``np.add.at`` or a bincount for wide rows.
    """
    rows, K = dA.shape[2], params.U.shape[1]
    ids, dA_flat = X.T.reshape(-1), dA.reshape(-1, rows)
    dUT = np.zeros((K, rows), dtype=params.U.dtype)
    for x in np.unique(ids):
        dUT[x] = dA_flat[ids == x].sum(axis=0)
    return np.ascontiguousarray(dUT.T)


def loss_and_grads(params, X, Y, h0):
    """Loss, gradients (a Params) and last hidden states ``h_T`` (B, m) for one minibatch.

    X, Y : (B, T) int input and target ids; h0 : (B, m) hidden states before the minibatch.
    With B = 1 this is :func:`rnn_lib.nets.rnn.loss_and_grads` on the single row, up to rounding.
    """
    B, T = X.shape
    H = hidden_states(params, X, h0)
    total, dc, dV, dA = output_loss_and_grads(params, H, Y)

    # dA starts as dL/dh_t through the output only and becomes dL/da_t.
    tanh_grad = 1.0 - H[1:] ** 2
    W = params.W
    dA[T - 1] *= tanh_grad[T - 1]
    for t in range(T - 2, -1, -1):
        dA[t] += dA[t + 1] @ W  # the path through h_{t+1}: W^T dL/da_{t+1}, one row per stream
        dA[t] *= tanh_grad[t]

    dA_flat, m = dA.reshape(T * B, -1), params.m
    dW = dA_flat.T @ H[:-1].reshape(T * B, m)
    db = dA_flat.sum(axis=0)
    return total, Params(b=db, c=dc, U=input_grad(params, X, dA), W=dW, V=dV), H[T].copy()
