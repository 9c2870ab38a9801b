"""Held-out evaluation: split a corpus, and the loss of a model on text it never trained on.

Losses here are per character, in nats (natural log) or bits: the training loss of the
assignment is summed over a chunk of ``seq_length`` characters, so

    nats per character = smooth loss / seq_length,   bits = nats / ln 2.
"""

import math

import numpy as np

from . import model

LN2 = math.log(2.0)


def split(ids, validation=0.1):
    """``(train, validation)``: the last ``validation`` fraction of ``ids`` is held out."""
    if not 0 < validation < 1:
        raise ValueError(f"the validation fraction must be between 0 and 1 (got {validation})")
    cut = int(round(len(ids) * (1 - validation)))
    if len(ids) - cut < 2:
        raise ValueError(
            f"holding out {validation:g} of {len(ids):,} characters leaves {len(ids) - cut} to evaluate on, and "
            "at least 2 are needed: hold out more (e.g. --validation 0.1)"
        )
    return ids[:cut], ids[cut:]


def bits(nats):
    """Convert nats to bits."""
    return nats / LN2


def cross_entropy(params, ids, h0=None, block=5000):
    """Mean -ln p(ids[t+1] | ids[..t]) over the text, reading it in one pass from ``h0`` (default zeros).

    The hidden state flows through the whole text, as in training; returns nats per character.
    """
    h = np.zeros(params.m) if h0 is None else h0
    total = 0.0
    for start in range(0, len(ids) - 1, block):
        y = ids[start + 1 : start + block + 1]
        H = model.hidden_states(params, ids[start : start + len(y)], h)
        total += model.loss_from_states(params, H, y)
        h = H[-1]
    return total / (len(ids) - 1)


def hidden_activations(params, ids, h0=None):
    """Hidden states after each character of ``ids``: array (len(ids), m)."""
    return model.hidden_states(params, ids, np.zeros(params.m) if h0 is None else h0)[1:]
