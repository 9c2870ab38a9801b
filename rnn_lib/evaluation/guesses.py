"""What a network expects after each character of a text: its hidden states, its five likeliest next characters
and how surprised it was by each character, computed once per text so that a display only indexes them."""

from typing import NamedTuple

import numpy as np

from ..nets import registry

TOP = 5  # guesses kept per character, as in the field's usual picture


class Reading(NamedTuple):
    """A text of T characters read by a network from its zero state; float64 whatever the model's dtype.

    states : (T, m)   the hidden state h_t after reading character t (what ``V h + c`` reads)
    top_ids : (T, 5)  the likeliest next characters after character t, likeliest first
    top_probs : (T, 5) their probabilities
    loss : (T,)       -ln p(character t | the characters before it), nats; the first is predicted from h = 0
    """

    states: np.ndarray
    top_ids: np.ndarray
    top_probs: np.ndarray
    loss: np.ndarray


def read(params, ids, network="rnn"):
    """The :class:`Reading` of ``ids`` (T,) by ``params`` of ``network`` (:mod:`rnn_lib.nets.registry`)."""
    ids = np.asarray(ids, dtype=np.int64)
    net = registry.get(network)
    H, _ = net.hidden(params, ids[None, :], net.zero(1, params.m, params.W.dtype))
    H = H[:, 0].astype(np.float64)  # (T+1, m): H[0] the zero state, which predicts the first character
    O = H @ params.V.T.astype(np.float64) + params.c.astype(np.float64)
    O -= O.max(axis=1, keepdims=True)
    log_p = O - np.log(np.exp(O).sum(axis=1, keepdims=True))
    top = np.argsort(-log_p[1:], axis=1, kind="stable")[:, :TOP]
    return Reading(
        states=H[1:],
        top_ids=top,
        top_probs=np.exp(np.take_along_axis(log_p[1:], top, axis=1)),
        loss=-log_p[np.arange(len(ids)), ids],
    )


def typical_window(loss, length):
    """``(start, median)``: the start of the window of ``length`` characters, among the text's consecutive windows,
    whose mean loss is closest to the median of their means, and that median: a passage neither easier nor harder
    than the text is."""
    means = np.asarray(loss)[: len(loss) // length * length].reshape(-1, length).mean(axis=1)
    median = float(np.median(means))
    return int(np.argmin(np.abs(means - median))) * length, median


def in_top(reading, ids, k=TOP):
    """Share of the characters ``ids[1:]`` that are among the ``k`` first guesses made after the one before."""
    ids = np.asarray(ids)
    return float(np.mean(np.any(reading.top_ids[:-1, :k] == ids[1:, None], axis=1))) if len(ids) > 1 else float("nan")
