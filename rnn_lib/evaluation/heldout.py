"""Held-out evaluation: the loss of a model on text it never trained on
(the held-out parts of :func:`rnn_lib.text.corpus.split`).

Losses here are per character, in nats (natural log) or bits: the training loss of the
assignment is summed over a chunk of ``seq_length`` characters, so

    nats per character = smooth loss / seq_length,   bits = nats / ln 2.
"""

import math

import numpy as np

from ..nets import registry, rnn

LN2 = math.log(2.0)
STREAMS = 32  # how training reads its held-out text: 32 segments side by side (see cross_entropy)
# Steps read at a time. Small blocks keep the arrays small enough for the allocator to reuse them: in blocks of
# 5,000 steps the kernel spent most of an evaluation zeroing fresh pages (measured 2026-12-02, docs/speed.md).
BLOCK = 100


def bits(nats):
    """Convert nats to bits."""
    return nats / LN2


def cross_entropy(params, ids, streams=1, warmup=200, block=BLOCK, network="rnn"):
    """Mean -ln p(ids[t+1] | ids[..t]) over the text, reading it from h0 = 0; nats per character.

    With ``streams`` = 1 the text is read in one pass, as in training (the RNN only). With more, it
    is cut into that many consecutive segments read side by side, with matrix-matrix products (several
    times faster), ``block`` steps at a time; each segment but the first is preceded by ``warmup``
    characters that are read, not scored, so that its hidden state knows the context. The two agree
    to about 0.1 %. ``network``: "rnn" or "lstm" (:mod:`rnn_lib.nets.registry`).
    """
    if streams == 1:
        h, total = np.zeros(params.m), 0.0
        for start in range(0, len(ids) - 1, block):
            y = ids[start + 1 : start + block + 1]
            H = rnn.hidden_states(params, ids[start : start + len(y)], h)
            total += rnn.loss_from_states(params, H, y)
            h = H[-1]
        return total / (len(ids) - 1)
    total = 0.0
    for H, at in _scored(params, ids, streams, warmup, block, network):
        total += rnn.loss_from_states(params, np.vstack([np.zeros((1, params.m)), H]), ids[at + 1])
    return total / (len(ids) - 1)


def log_probs(params, ids, streams=STREAMS, warmup=200, block=BLOCK, network="rnn"):
    """ln p(ids[t+1] | ids[..t]) for t = 0 .. len(ids) - 2, the text read as :func:`cross_entropy` reads it on
    ``streams`` > 1: array (len(ids) - 1,), in float64 whatever the model's dtype."""
    out = np.empty(len(ids) - 1)
    V, c = params.V.astype(np.float64), params.c.astype(np.float64)
    for H, at in _scored(params, ids, streams, warmup, block, network):
        O = H.astype(np.float64) @ V.T + c
        O -= O.max(axis=1, keepdims=True)
        out[at] = O[np.arange(len(at)), ids[at + 1]] - np.log(np.exp(O).sum(axis=1))
    return out


def _scored(params, ids, streams, warmup, block, network):
    """The text cut into ``streams`` consecutive segments read side by side, ``block`` steps at a time, each
    segment but the first after ``warmup`` characters read but not scored. Yields, block by block, the hidden
    states that score a character, H (S, m), and the positions ``at`` (S,) they were read at: each predicts
    ``ids[at + 1]``, and every position 0 .. len(ids) - 2 comes exactly once."""
    net = registry.get(network)
    n = len(ids) - 1  # characters to predict
    length = -(-n // streams)
    starts = np.arange(0, n, length)  # each segment's first input
    reads = np.maximum(starts - warmup, 0)  # where each stream starts reading
    steps = int((starts + length - reads).max())
    padded = np.concatenate([ids, np.zeros(steps + 1, dtype=ids.dtype)])  # the last stream reads past the end
    at = np.arange(steps)[:, None] + reads  # (steps, streams): the position each stream reads at each step
    scored = (at >= starts) & (at < np.minimum(starts + length, n))
    state = net.zero(len(starts), params.m)
    for t in range(0, steps, block):
        H, state = net.hidden(params, padded[at[t : t + block]].T, state)  # H[1:]: (block, streams, m)
        mask = scored[t : t + block]
        yield H[1:][mask], at[t : t + block][mask]


def memory(network, K, m, n, dtype="float64", limit=None, streams=STREAMS, warmup=200, block=BLOCK, group=256):
    """Bytes that scoring a held-out part of ``n`` characters adds at its peak: :func:`cross_entropy` over
    ``streams`` (or, with ``limit``, :func:`document_cross_entropy` of documents of at most ``limit``
    characters). A block of S = steps x streams positions holds the states of the recurrence (the LSTM's gates
    too), then the scored ones, copied twice (the second in float64), and the output layer's float64 (S, K)."""
    if n < 2:
        return 0
    item = np.dtype(dtype).itemsize
    if limit is not None:
        S = group * (limit + 1)
    else:
        S = streams * min(block, -(-(n - 1) // streams) + warmup)
    # the LSTM's gates (4m), h, c and tanh(c), and the last block's states and their scored copy, still held
    forward = (2 if network == "rnn" else 9) * item * m
    return S * max(forward, (2 * item + 8) * m + 16 * K)


def hidden_activations(params, ids, h0=None):
    """Hidden states after each character of ``ids``: array (len(ids), m)."""
    return rnn.hidden_states(params, ids, np.zeros(params.m) if h0 is None else h0)[1:]


def document_cross_entropy(params, ids, end, group=256):
    """Mean -ln p per character of documents laid out as ``END d1 END ... END`` (see
    :mod:`rnn_lib.text.short_texts`), each read from h0 = 0 after its leading END and scored up to and
    including its closing END; nats per character. ``group`` documents are read side by side."""
    starts = np.flatnonzero(ids[:-1] == end)
    targets = np.diff(np.append(starts, len(ids) - 1))  # a document's characters and its END
    order = np.argsort(targets, kind="stable")  # side by side with documents of similar length
    total = 0.0
    for chosen in np.array_split(order, -(-len(order) // group)):
        steps = int(targets[chosen].max())
        at = np.minimum(
            starts[chosen] + np.arange(steps)[:, None], len(ids) - 2
        )  # (steps, group): clipped past the end
        H = params.U.T[ids[at]] + params.b  # (steps, group, m): U x_t + b, then h_t in place
        h = np.zeros((len(chosen), params.m))
        for t in range(steps):
            h = H[t] = np.tanh(h @ params.W.T + H[t])
        scored = np.arange(steps)[:, None] < targets[chosen]
        total += rnn.loss_from_states(params, np.vstack([np.zeros(params.m), H[scored]]), ids[at[scored] + 1])
    return total / (len(ids) - 1)
