"""A one-layer LSTM on a minibatch of B streams: parameters, forward pass, loss and backpropagation through time.

With the parameters named as in the RNN and the four gates stacked in the order i, f, o, g:

    a_t = W h_{t-1} + U x_t + b                      (4m,), the blocks [a_i; a_f; a_o; a_g]
    i = σ(a_i)   f = σ(a_f)   o = σ(a_o)   g = tanh(a_g)      the gates of step t
    c_t = f ⊙ c_{t-1} + i ⊙ g                        the cell state
    h_t = o ⊙ tanh(c_t)
    o_t = V h_t + c      p_t = softmax(o_t)          the logits and output layer of the RNN
    L   = (1/B) sum_j sum_t -log p_t^(j)[y_t^(j)]    summed over time, averaged over the B streams

In the code the cell state c_t is ``cell`` (``C`` over time), because ``c`` is the output
bias, as in the RNN; ``o`` (no subscript) is the output gate, ``o_t`` the logits. The state
carried from one minibatch to the next is the pair (h, cell), each (B, m); as in the RNN,
backpropagation is truncated there. Arrays over time are time-major, (T, B, ...), and the
output layer is :mod:`rnn_lib.nets.rnn_batched`'s, so only the recurrence differs from the RNN.
"""

from typing import NamedTuple

import numpy as np

from . import dropout
from .rnn import Params  # the RNN's names; here b (4m,), U (4m, K) and W (4m, m) stack the gates
from .rnn_batched import input_grad, loss_from_states, output_loss_and_grads

GATES = ("i", "f", "o", "g")  # the order of the four m-row blocks of U, W and b


class State(NamedTuple):
    """What one minibatch hands the next: hidden states h (B, m) and cell states (B, m)."""

    h: np.ndarray
    cell: np.ndarray


def zero_state(B, m, dtype=np.float64):
    """The state before a text's first character: h = cell = 0, each (B, m)."""
    return State(np.zeros((B, m), dtype), np.zeros((B, m), dtype))


def _glorot(rng, rows, cols):
    """Glorot & Bengio (2010) uniform: U(-r, r) with r = sqrt(6 / (fan_in + fan_out))."""
    r = np.sqrt(6.0 / (rows + cols))
    return rng.uniform(-r, r, (rows, cols))


def _orthogonal(rng, m):
    """A random orthogonal (m, m) matrix (Saxe et al. 2014): Q of a Gaussian's QR, signs fixed so Q is uniform."""
    q, r = np.linalg.qr(rng.standard_normal((m, m)))
    return q * np.sign(np.diag(r))


def init_params(K, m, rng, dtype=np.float64):
    """The usual LSTM initialisation (Keras's defaults), drawn from ``rng`` (a numpy Generator).

    U (4m, K) and V (K, m) Glorot uniform; W orthogonal, here each gate's (m, m) block (Keras
    makes the whole kernel orthogonal); b zero except the forget gate's 1 (Gers et al. 2000,
    Jozefowicz et al. 2015), so that at the start the cell keeps what it holds; c zero.
    """
    if K < 1 or m < 1:
        raise ValueError(f"need K >= 1 and m >= 1 (got K={K}, m={m})")
    b = np.zeros(4 * m)
    b[m : 2 * m] = 1.0
    U = _glorot(rng, 4 * m, K)
    W = np.vstack([_orthogonal(rng, m) for _ in GATES])
    params = Params(b=b, c=np.zeros(K), U=U, W=W, V=_glorot(rng, K, m))
    return Params(*(a.astype(dtype, copy=False) for a in params))


def gate_inputs(U, b, X=None, inputs=None):
    """``U x_t + b`` for every step and stream, (T, B, 4m): looked up for the ids ``X`` (B, T) of the first layer,
    multiplied for the ``inputs`` (T, B, n) of a layer above (the hidden states of the one below), in one product."""
    if inputs is None:
        G = U.T[X.T]
    else:
        T, B, n = inputs.shape
        G = (inputs.reshape(T * B, n) @ U.T.copy()).reshape(T, B, -1)
    G += b  # in place: the gates are the largest arrays of an update
    return G


def layer_forward(G, W, h0, c0):
    """One LSTM layer's recurrence from (h0, c0), each (B, m), over ``G`` (T, B, 4m) (:func:`gate_inputs`).

    ``G`` becomes the gates i, f, o, g after their nonlinearity, in place. Returns H and C (T+1, B, m),
    with the state before the minibatch at index 0, and tanh(c_t) as TC (T, B, m).
    """
    m, T = W.shape[1], G.shape[0]
    WT = W.T.copy()  # contiguous: on some CPUs a product with the view W.T takes twice as long (docs/speed.md)
    H = np.empty((T + 1, *h0.shape), dtype=W.dtype)
    C, TC = np.empty_like(H), np.empty_like(H[1:])
    H[0], C[0] = h0, c0
    for t in range(T):
        a = G[t]
        a += H[t] @ WT
        sig = a[:, : 3 * m]  # σ(x) = 1 / (1 + exp(-x)): one exp costs half a tanh
        np.negative(sig, out=sig)
        with np.errstate(over="ignore"):  # exp(-x) = inf for x < -709 gives σ = 1 / inf = 0, as it should
            np.exp(sig, out=sig)
        sig += 1.0
        np.reciprocal(sig, out=sig)
        np.tanh(a[:, 3 * m :], out=a[:, 3 * m :])
        np.multiply(a[:, m : 2 * m], C[t], out=C[t + 1])
        C[t + 1] += a[:, :m] * a[:, 3 * m :]
        np.tanh(C[t + 1], out=TC[t])
        np.multiply(a[:, 2 * m : 3 * m], TC[t], out=H[t + 1])
    return H, C, TC


def layer_backward(G, C, TC, W, dH):
    """Backpropagation through one layer: dL/da_t (T, B, 4m), the gradient of its gates' pre-activations.

    G, C, TC : :func:`layer_forward`'s gates (T, B, 4m), cell states (T+1, B, m) and tanh(c_t) (T, B, m);
    dH (T, B, m) : dL/dh_t from above (the output layer, or the layer above); it gains, in place, the path
    through h_{t-1}, W^T dL/da_t, so that each dH[t] is complete when step t is reached.
    """
    T, m = G.shape[0], W.shape[1]
    # dA (dL/da_t) first holds what multiplies each gate's incoming gradient, for all steps at
    # once (order i, f, o, g, as in G), so that the recurrence only scales it.
    i, f, o, g = (G[:, :, k * m : (k + 1) * m] for k in range(4))
    dA = np.empty_like(G)
    d_i, d_f, d_o, d_g = (dA[:, :, k * m : (k + 1) * m] for k in range(4))
    np.subtract(1, i, out=d_i)
    d_i *= i
    d_i *= g  # dc_t -> a_i: g σ'(a_i)
    np.subtract(1, f, out=d_f)
    d_f *= f
    d_f *= C[:-1]  # dc_t -> a_f: c_{t-1} σ'(a_f)
    np.subtract(1, o, out=d_o)
    d_o *= o
    d_o *= TC  # dh_t -> a_o: tanh(c_t) σ'(a_o)
    np.multiply(g, g, out=d_g)
    np.subtract(1, d_g, out=d_g)
    d_g *= i  # dc_t -> a_g: i tanh'(a_g)
    through_tanh = o * (1 - TC * TC)  # dh_t -> dc_t

    dcell = np.zeros_like(C[0])  # dL/dc_t; before step t's own term, f_{t+1} ⊙ dL/dc_{t+1}
    for t in range(T - 1, -1, -1):
        dh = dH[t]
        dcell += dh * through_tanh[t]
        d_i[t] *= dcell
        d_f[t] *= dcell
        d_o[t] *= dh
        d_g[t] *= dcell
        dcell *= f[t]
        if t:
            dH[t - 1] += dA[t] @ W  # the path through h_{t-1}: W^T dL/da_t, one row per stream
    return dA


def weight_grads(dA, inputs, H):
    """db (4m,) and dW (4m, m) of a layer from dA (T, B, 4m) and its hidden states H (T+1, B, m); with its
    ``inputs`` (T, B, n) (a layer above the first), dU (4m, n) too."""
    T, B, rows = dA.shape
    dA_flat = dA.reshape(T * B, rows)
    dW = dA_flat.T @ H[:-1].reshape(T * B, -1)
    dU = None if inputs is None else dA_flat.T @ inputs.reshape(T * B, -1)
    return dA_flat.sum(axis=0), dW, dU


def hidden_states(params, X, state):
    """Hidden and cell states over the ids ``X`` (B, T) from ``state``.

    Returns H and C, each (T+1, B, m), with the given state at index 0.
    """
    H, C, _ = layer_forward(gate_inputs(params.U, params.b, X), params.W, *state)
    return H, C


def loss(params, X, Y, state, mask=None):
    """Loss of predicting ``Y`` (B, T) from ``X`` (B, T) starting at ``state``: summed over time,
    averaged over the B streams; ``mask`` (T, B, m) drops hidden units on their way to the output (:mod:`.dropout`)."""
    return loss_from_states(params, dropout.dropped(hidden_states(params, X, state)[0], mask), Y)


def loss_and_grads(params, X, Y, state, mask=None, backward=layer_backward):
    """Loss, gradients (a Params) and the State after the minibatch.

    X, Y : (B, T) int input and target ids; state : State (h, cell), each (B, m), before the minibatch;
    mask : (T, B, m) dropout of the hidden states on their way to the output (:mod:`.dropout`), or None;
    backward : :func:`layer_backward`, or its compiled twin (:mod:`.lstm_compiled`).
    """
    G = gate_inputs(params.U, params.b, X)
    H, C, TC = layer_forward(G, params.W, *state)
    total, dc, dV, dH = output_loss_and_grads(params, dropout.dropped(H, mask), Y)
    if mask is not None:
        dH *= mask
    dA = backward(G, C, TC, params.W, dH)
    db, dW, _ = weight_grads(dA, None, H)
    grads = Params(b=db, c=dc, U=input_grad(params, X, dA), W=dW, V=dV)
    return total, grads, State(H[-1].copy(), C[-1].copy())
