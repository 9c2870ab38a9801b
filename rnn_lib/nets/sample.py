"""Text synthesis: feed each sampled character back in as the next input.

All random numbers of a passage are drawn first (one uniform per character), and
each character is picked by inverse-CDF lookup, so any engine given the same
uniforms writes the same text.
"""

import numpy as np

from ..text.corpus import decode, encode
from . import registry


def next_distribution(o, temperature=1.0, top_p=None):
    """Probabilities (K,) from logits ``o`` (K,): softmax(o / T), optionally nucleus-truncated.

    A tiny temperature tends to greedy decoding: every logit below the maximum underflows to 0.
    ``top_p`` keeps the smallest set of most likely characters whose mass reaches ``top_p``.
    """
    z = (o - o.max()) / temperature  # stable: exp of a value <= 0
    p = np.exp(z)
    p /= p.sum()
    if top_p is not None and top_p < 1.0:
        order = np.argsort(-p, kind="stable")
        cumulative = np.cumsum(p[order])
        keep = order[: np.searchsorted(cumulative, top_p) + 1]
        truncated = np.zeros_like(p)
        truncated[keep] = p[keep]
        p = truncated / truncated.sum()
    return p


def pick(o, u, temperature=1.0, top_p=None):
    """The id that the uniform ``u`` in [0, 1) picks from the distribution of logits ``o`` (K,), by inverse CDF."""
    cdf = np.cumsum(next_distribution(o, temperature, top_p))
    return min(int(np.searchsorted(cdf, u * cdf[-1], side="right")), len(cdf) - 1)


def sample_ids(params, h0, x0, uniforms, temperature=1.0, top_p=None):
    """Characters ids (n,) generated from hidden state ``h0`` (m,) and first input id ``x0``.

    ``uniforms`` (n,) in [0, 1) choose the characters, one each.
    """
    check_sampling(temperature, top_p)
    b, c, U, W, V = params
    h, x = h0.copy(), int(x0)
    out = np.empty(len(uniforms), dtype=np.int64)
    for t, u in enumerate(uniforms):
        h = np.tanh(W @ h + U[:, x] + b)
        x = out[t] = pick(V @ h + c, u, temperature, top_p)
    return out


def stream_ids(network, params, state, x0, uniforms, temperature=1.0, top_p=None):
    """Character ids (n,) written by ``network`` from ``state`` (one stream: its zero(1, m) or a row of a
    batch's) and first input ``x0``; each of ``uniforms`` (n,) picks one, as :func:`sample_ids`."""
    check_sampling(temperature, top_p)
    net, out = registry.get(network), np.empty(len(uniforms), dtype=np.int64)
    x = np.array([[int(x0)]])
    for t, u in enumerate(uniforms):
        H, state = net.hidden(params, x, state)
        x[0, 0] = out[t] = pick(params.V @ H[-1, 0] + params.c, u, temperature, top_p)
    return out


def warm_up(params, h0, prime_ids):
    """Hidden state after reading every priming id but the last, which becomes the first input."""
    h = h0.copy()
    for x in prime_ids[:-1]:
        h = np.tanh(params.W @ h + params.U[:, x] + params.b)
    return h


def generate(params, vocab, n, rng, prime="\n", h0=None, temperature=1.0, top_p=None, network="rnn"):
    """A passage of ``n`` characters that continues the text ``prime``.

    The network reads ``prime`` from ``h0`` (default zeros), then samples with ``rng``
    (a numpy Generator). Returns the generated text without the prime. ``network``: "rnn", or
    "lstm" (:mod:`rnn_lib.nets.registry`; it starts from its zero state).
    """
    if not prime:
        raise ValueError("the priming text is empty: give at least one character")
    try:
        prime_ids = encode(prime, vocab)
    except ValueError as err:
        raise ValueError(f"cannot prime with {prime!r}: {err}") from None
    if n < 0:
        raise ValueError(f"the passage length must be >= 0 (got {n})")
    for name, a in zip(params._fields, params):  # NaN weights would write one character forever, silently
        if not np.isfinite(a).all():
            raise ValueError(
                f"parameter {name} holds NaN or inf, so the run that trained it diverged: "
                "train again with a lower eta or sigma (--eta, --sigma)"
            )
    if network != "rnn":
        net = registry.get(network)
        state = net.zero(1, params.m)
        if len(prime_ids) > 1:  # the prime but its last character, which is the first input
            state = net.hidden(params, prime_ids[None, :-1], state)[1]
        ids = stream_ids(network, params, state, prime_ids[-1], rng.random(n), temperature, top_p)
        return decode(ids, vocab)
    h0 = np.zeros(params.m) if h0 is None else h0
    h = warm_up(params, h0, prime_ids)
    return decode(sample_ids(params, h, prime_ids[-1], rng.random(n), temperature, top_p), vocab)


def check_sampling(temperature, top_p):
    if not temperature > 0:
        raise ValueError(
            f"the temperature must be > 0 (got {temperature}); use a small value such as 0.01 for near-greedy text"
        )
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1] (got {top_p})")


def generate_documents(params, vocab, count, rng, end, limit=140, temperature=1.0, top_p=None, sampler=sample_ids):
    """``count`` whole short texts, each written from h0 = 0 after reading ``end`` (the end-of-text
    character) until the network writes ``end`` or ``limit`` characters (the course's hard limit).

    Returns ``[(text, ended)]``: ``ended`` says whether the network ended the text itself. Every
    text draws ``limit`` uniforms, so the texts do not depend on each other's lengths; ``sampler``
    is an engine's sampler (:func:`sample_ids` or the compiled one).
    """
    if end not in vocab:
        raise ValueError("the model's vocabulary has no end-of-text character: train it on documents")
    if limit < 1:
        raise ValueError(f"the limit must be at least 1 character (got {limit})")
    x0 = vocab.index(end)
    texts = []
    for _ in range(count):
        ids = sampler(params, np.zeros(params.m), x0, rng.random(limit), temperature, top_p)
        stops = np.flatnonzero(ids == x0)
        texts.append((decode(ids[: stops[0]] if len(stops) else ids, vocab), bool(len(stops))))
    return texts
