"""The LSTM's backward pass with its element-wise work compiled by numba: :func:`rnn_lib.nets.lstm.layer_backward`'s
math, the same operations in the same order, so that the two agree to the bit (a test holds them to it).

It exists for speed only. NumPy makes about twenty passes per layer over the gates' arrays, in strided slices
larger than the cache; here each step is one pass over its gates, and the product with W is NumPy's, as before
(docs/speed.md). numba is optional: :func:`rnn_lib.nets.registry.get` offers this pass only when asked.
"""

import numba
import numpy as np


@numba.njit(cache=True, error_model="numpy")
def _step(G, C, TC, dh, dcell, dA, one):
    """One step of backpropagation through the gates, for all B streams.

    G (B, 4m) the gates i, f, o, g of step t; C (B, m) the cell state before it, c_{t-1}; TC (B, m) tanh(c_t);
    dh (B, m) the complete dL/dh_t; ``dcell`` (B, m) holds f_{t+1} ⊙ dL/dc_{t+1} and leaves holding
    f_t ⊙ dL/dc_t; writes dA (B, 4m), dL/da_t. ``one`` is 1 in the arrays' dtype, so float32 stays float32.
    """
    B, m = dh.shape
    for s in range(B):
        for j in range(m):
            i, f, o, g = G[s, j], G[s, m + j], G[s, 2 * m + j], G[s, 3 * m + j]
            tc, h = TC[s, j], dh[s, j]
            dc = dcell[s, j] + h * (o * (one - tc * tc))
            dA[s, j] = (one - i) * i * g * dc
            dA[s, m + j] = (one - f) * f * C[s, j] * dc
            dA[s, 2 * m + j] = (one - o) * o * tc * h
            dA[s, 3 * m + j] = (one - g * g) * i * dc
            dcell[s, j] = dc * f


def layer_backward(G, C, TC, W, dH):
    """As :func:`rnn_lib.nets.lstm.layer_backward`: dL/da_t (T, B, 4m); ``dH`` (T, B, m) gains the path through
    h_{t-1} in place."""
    dA, dcell, one = np.empty_like(G), np.zeros_like(C[0]), G.dtype.type(1)
    for t in range(G.shape[0] - 1, -1, -1):
        _step(G[t], C[t], TC[t], dH[t], dcell, dA[t], one)
        if t:
            dH[t - 1] += dA[t] @ W  # the path through h_{t-1}, as the NumPy pass adds it
    return dA


def compile_all():
    """Compile (or load from numba's cache) the step for both dtypes."""
    for dtype in (np.float64, np.float32):
        G, small = np.zeros((1, 4), dtype), np.zeros((1, 1), dtype)
        _step(G, small, small, small, small.copy(), G.copy(), dtype(1))
