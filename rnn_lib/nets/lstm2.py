"""Two LSTM layers, the second reading the first's hidden states (char-rnn's default depth).

Layer 1 is :mod:`rnn_lib.nets.lstm`'s, on the characters: b, U (4m, K), W (4m, m). Layer 2 has the same
equations with its own b2 (4m,), W2 (4m, m) and input weights U2 (4m, m), which read h^1_t instead of x_t:

    a^2_t = W2 h^2_{t-1} + U2 h^1_t + b2        (4m,), the gates i, f, o, g of layer 2

and the output layer V h^2_t + c reads the top layer. The state carried from one minibatch to the next
is (h^1, cell^1, h^2, cell^2), each (B, m). Dropout (Zaremba et al. 2014), when given, acts on the two
non-recurrent connections: h^1_t on its way up to layer 2, and h^2_t on its way to the output; masks
(2, T, B, m), as :func:`rnn_lib.nets.dropout.dropped` applies them.
"""

from typing import NamedTuple

import numpy as np

from . import dropout, lstm, rnn
from .rnn_batched import input_grad, loss_from_states, output_loss_and_grads


class Params(NamedTuple):
    """The parameters of both layers, or gradients with their shapes; the first five are the one-layer LSTM's."""

    b: np.ndarray  # (4m,)   layer 1
    c: np.ndarray  # (K,)    output bias
    U: np.ndarray  # (4m, K) layer 1, from the characters
    W: np.ndarray  # (4m, m) layer 1, recurrent
    V: np.ndarray  # (K, m)  output weights, from layer 2
    b2: np.ndarray  # (4m,)
    U2: np.ndarray  # (4m, m) layer 2, from layer 1
    W2: np.ndarray  # (4m, m) layer 2, recurrent

    m = rnn.Params.m  # the RNN's: hidden units from W, characters from c
    K = rnn.Params.K


def shapes(K, m):
    """The parameters' shapes, in the order of :class:`Params`."""
    return (4 * m,), (K,), (4 * m, K), (4 * m, m), (K, m), (4 * m,), (4 * m, m), (4 * m, m)


def init_params(K, m, rng, dtype=np.float64):
    """Layer 1 and the output layer as :func:`rnn_lib.nets.lstm.init_params` draws them from ``rng``, then layer 2
    the same way: U2 Glorot uniform, W2 orthogonal per gate, b2 zero but the forget gate's 1."""
    first = lstm.init_params(K, m, rng, dtype)
    second = lstm.init_params(m, m, rng, dtype)  # its U is U2 (4m, m); its c and V are not used
    return Params(*first, b2=second.b, U2=second.U, W2=second.W)


def _forward(params, X, state, masks=None):
    """Both layers' recurrences; returns the first layer's (G, H, C, TC), its output as layer 2 reads it,
    and the second layer's (G, H, C, TC)."""
    h1, c1, h2, c2 = state
    G1 = lstm.gate_inputs(params.U, params.b, X)
    H1, C1, TC1 = lstm.layer_forward(G1, params.W, h1, c1)
    up = dropout.dropped(H1, None if masks is None else masks[0])[1:]  # (T, B, m): what layer 2 reads
    G2 = lstm.gate_inputs(params.U2, params.b2, inputs=up)
    H2, C2, TC2 = lstm.layer_forward(G2, params.W2, h2, c2)
    return (G1, H1, C1, TC1), up, (G2, H2, C2, TC2)


def hidden_states(params, X, state):
    """The top layer's hidden states H (T+1, B, m) over the ids ``X`` (B, T) from ``state`` (4, B, m), and the
    state after them (4, B, m)."""
    (_, H1, C1, _), _, (_, H2, C2, _) = _forward(params, X, state)
    return H2, np.stack([H1[-1], C1[-1], H2[-1], C2[-1]])


def loss(params, X, Y, state, masks=None):
    """Loss of predicting ``Y`` (B, T) from ``X`` (B, T) from ``state`` (4, B, m): summed over time, averaged
    over the B streams; ``masks`` (2, T, B, m) or None."""
    _, _, (_, H2, _, _) = _forward(params, X, state, masks)
    return loss_from_states(params, dropout.dropped(H2, None if masks is None else masks[1]), Y)


def loss_and_grads(params, X, Y, state, masks=None, backward=lstm.layer_backward):
    """Loss, gradients (a :class:`Params`) and the state after the minibatch (4, B, m).

    X, Y : (B, T) int input and target ids; state : (4, B, m), (h^1, cell^1, h^2, cell^2) before the
    minibatch; masks : (2, T, B, m) dropout of the two connections upward, or None; backward : each layer's,
    :func:`rnn_lib.nets.lstm.layer_backward` or its compiled twin (:mod:`.lstm_compiled`).
    """
    (G1, H1, C1, TC1), up, (G2, H2, C2, TC2) = _forward(params, X, state, masks)
    total, dc, dV, dH2 = output_loss_and_grads(params, dropout.dropped(H2, None if masks is None else masks[1]), Y)
    if masks is not None:
        dH2 *= masks[1]
    dA2 = backward(G2, C2, TC2, params.W2, dH2)
    db2, dW2, dU2 = lstm.weight_grads(dA2, up, H2)
    dH1 = (dA2.reshape(-1, dA2.shape[2]) @ params.U2).reshape(H1[1:].shape)  # dL/dh^1_t through layer 2's input
    if masks is not None:
        dH1 *= masks[0]
    dA1 = backward(G1, C1, TC1, params.W, dH1)
    db, dW, _ = lstm.weight_grads(dA1, None, H1)
    grads = Params(b=db, c=dc, U=input_grad(params, X, dA1), W=dW, V=dV, b2=db2, U2=dU2, W2=dW2)
    return total, grads, np.stack([H1[-1], C1[-1], H2[-1], C2[-1]])
