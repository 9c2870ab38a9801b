"""Text synthesis: feed each sampled character back in as the next input.

Every character draws one uniform, and is picked by inverse-CDF lookup, so any engine given the same
uniforms writes the same text. A passage is written :data:`CHUNK` characters at a time, each chunk's
uniforms drawn as it starts: the generator's stream is the same as one draw of them all, and a passage
of any length is written as it is made, in bounded memory (:func:`passage`).
"""

import numpy as np

from ..text.corpus import decode, encode
from . import registry

CHUNK = 4096  # characters of a passage written at a time: a few KB of uniforms and ids


def next_distribution(o, temperature=1.0, top_p=None):
    """Probabilities (K,) from logits ``o`` (K,): softmax(o / T), optionally nucleus-truncated.

    A tiny temperature tends to greedy decoding: every logit below the maximum underflows to 0.
    ``top_p`` keeps the smallest set of most likely characters whose mass reaches ``top_p``.
    """
    o = np.asarray(o, dtype=np.float64)  # a float32 model's logits too: 1e-46 is no float32, nor 1 / 1e-39
    with np.errstate(over="ignore"):  # a logit below the maximum over a tiny temperature is -inf: exp gives 0
        z = (o - o.max()) / temperature  # stable: exp of a value <= 0, and exactly 0 at the maximum
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
    return _rnn_ids(params, h0, x0, uniforms, temperature, top_p)[0]


def _rnn_ids(params, h0, x0, uniforms, temperature=1.0, top_p=None):
    """:func:`sample_ids`, and the hidden state after the last character: where the next chunk goes on."""
    check_sampling(temperature, top_p)
    b, c, U, W, V = params
    h, x = h0.copy(), int(x0)
    out = np.empty(len(uniforms), dtype=np.int64)
    for t, u in enumerate(uniforms):
        h = np.tanh(W @ h + U[:, x] + b)
        x = out[t] = pick(V @ h + c, u, temperature, top_p)
    return out, h


def stream_ids(network, params, state, x0, uniforms, temperature=1.0, top_p=None):
    """Character ids (n,) written by ``network`` from ``state`` (one stream: its zero(1, m) or a row of a
    batch's) and first input ``x0``; each of ``uniforms`` (n,) picks one, as :func:`sample_ids`."""
    return _stream_ids(network, params, state, x0, uniforms, temperature, top_p)[0]


def _stream_ids(network, params, state, x0, uniforms, temperature=1.0, top_p=None):
    """:func:`stream_ids`, and the network's state after the last character."""
    check_sampling(temperature, top_p)
    net, out = registry.get(network), np.empty(len(uniforms), dtype=np.int64)
    x = np.array([[int(x0)]])
    for t, u in enumerate(uniforms):
        H, state = net.hidden(params, x, state)
        x[0, 0] = out[t] = pick(params.V @ H[-1, 0] + params.c, u, temperature, top_p)
    return out, state


def warm_up(params, h0, prime_ids):
    """Hidden state after reading every priming id but the last, which becomes the first input."""
    h = h0.copy()
    for x in prime_ids[:-1]:
        h = np.tanh(params.W @ h + params.U[:, x] + params.b)
    return h


def default_prime(vocab):
    """What a passage continues when no prime is given: a line break; for a text without one, a space, or
    else the first character of the vocabulary."""
    return next((ch for ch in ("\n", " ") if ch in vocab), vocab[0])


def generate(params, vocab, n, rng, prime=None, h0=None, temperature=1.0, top_p=None, network="rnn"):
    """A passage of ``n`` characters that continues the text ``prime`` (default: :func:`default_prime`).

    The network reads ``prime`` from ``h0`` (default zeros), then samples with ``rng``
    (a numpy Generator). Returns the generated text without the prime. ``network``: "rnn", or
    "lstm" (:mod:`rnn_lib.nets.registry`; it starts from its zero state).
    """
    return "".join(passage(params, vocab, n, rng, prime, h0, temperature, top_p, network))


def passage(params, vocab, n, rng, prime=None, h0=None, temperature=1.0, top_p=None, network="rnn"):
    """:func:`generate`'s passage as it is written: an iterator of pieces of at most :data:`CHUNK` characters,
    the same text for the same ``rng``. A request that cannot be met is refused here, before the first piece."""
    prime = default_prime(vocab) if prime is None else prime
    if not prime:
        raise ValueError("the priming text is empty: give at least one character")
    try:
        prime_ids = encode(prime, vocab)
    except ValueError as err:
        raise ValueError(f"cannot prime with {prime!r}: {err}") from None
    if n < 0:
        raise ValueError(f"the passage length must be >= 0 (got {n})")
    check_sampling(temperature, top_p)
    for name, a in zip(params._fields, params):  # NaN weights would write one character forever, silently
        if not np.isfinite(a).all():
            lower = "--eta or --sigma" if network == "rnn" else "--eta"  # the LSTM draws its weights without sigma
            raise ValueError(
                f"parameter {name} holds NaN or inf, so the run that trained it diverged: train again with a lower "
                f"{lower}"
            )
    if network != "rnn":
        net = registry.get(network)
        state = net.zero(1, params.m)
        if len(prime_ids) > 1:  # the prime but its last character, which is the first input
            state = net.hidden(params, prime_ids[None, :-1], state)[1]

        def write(state, x, uniforms):
            return _stream_ids(network, params, state, x, uniforms, temperature, top_p)
    else:
        state = warm_up(params, np.zeros(params.m) if h0 is None else h0, prime_ids)

        def write(state, x, uniforms):
            return _rnn_ids(params, state, x, uniforms, temperature, top_p)

    return _pieces(write, state, prime_ids[-1], n, rng, vocab)


def _pieces(write, state, x, n, rng, vocab):
    for start in range(0, n, CHUNK):
        ids, state = write(state, x, rng.random(min(CHUNK, n - start)))
        x = ids[-1]
        yield decode(ids, vocab)


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
    return list(documents(params, vocab, count, rng, end, limit, temperature, top_p, sampler))


def documents(params, vocab, count, rng, end, limit=140, temperature=1.0, top_p=None, sampler=sample_ids):
    """:func:`generate_documents`'s texts one at a time, as each is written; refused before the first."""
    if end not in vocab:
        raise ValueError("the model's vocabulary has no end-of-text character: train it on documents")
    if limit < 1:
        raise ValueError(f"the limit must be at least 1 character (got {limit})")
    check_sampling(temperature, top_p)
    return _documents(params, vocab, count, rng, vocab.index(end), limit, temperature, top_p, sampler)


def _documents(params, vocab, count, rng, x0, limit, temperature, top_p, sampler):
    for _ in range(count):
        ids = sampler(params, np.zeros(params.m), x0, rng.random(limit), temperature, top_p)
        stops = np.flatnonzero(ids == x0)
        yield decode(ids[: stops[0]] if len(stops) else ids, vocab), bool(len(stops))
