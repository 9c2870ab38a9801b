"""One training update, readable: the assignment's bookkeeping around it, and the NumPy loop of updates.

:func:`numpy_updates` is the update as the assignment writes it, driven from Python;
:mod:`rnn_lib.training.compiled` is its compiled copy, which compiles the rules below.

- the smooth loss follows ``0.999 * smooth + 0.001 * loss``, starting at the first chunk's loss;
- the best model is the parameters that scored the lowest smooth loss;
- one long text: chunks of s = seq_length characters start at e = 0, s, 2s, ... while
  e <= N - s - 1; after the last one, e and the hidden state go back to zero: that ends an epoch;
- short documents (the bonus exercise), laid out as ``END d1 END d2 ... END``: a chunk reads
  s characters, or fewer when its document ends first, so that no chunk crosses an END; the next
  chunk starts where it stopped, and the hidden state goes back to zero at every END a chunk
  starts on (a new document). The epoch ends at the final END.

- a chunk whose loss is not finite, or above :data:`DIVERGED` times the uniform guess's, says the run diverged:
  the update is not made and training stops (:func:`diverged`).

``end`` is the id of the end-of-text character, or -1 for one long text.
"""

import math

import numpy as np

from ..nets import optim, rnn
from ..text import streams
from .recipe import Recipe, masks

# A chunk that scores over 100 times the uniform guess (ln K per character) gives the right characters a mean
# probability below K^-100: logits hundreds apart, which no run that learns has. Measured on 100,000 characters of
# Tiny Shakespeare (3,000 updates): the assignment's settings reach 2.5 times the guess (the first updates),
# AdaGrad at eta 1 25 times and at eta 3 41 times before they settle; runs that never come back reach 120 (eta 10),
# 1,600 (eta 100) and 10,000,000 (eta 1e6). The loss is summed over a chunk's characters (averaged over the B
# streams of a minibatch), so the bound is per character, and holds for a document's shorter chunks too.
DIVERGED = 100


def smooth(previous, loss):
    """The smooth loss after an update whose chunk scored ``loss``."""
    return 0.999 * previous + 0.001 * loss


def improves(smooth_loss, best_loss):
    """Whether the parameters that scored ``smooth_loss`` become the best model."""
    return smooth_loss < best_loss


def chunk_length(ids, e, seq_length, end):
    """Characters the chunk at ``e`` reads: ``seq_length``, or fewer when its last target is an END."""
    if end >= 0:
        for t in range(1, seq_length):
            if ids[e + t] == end:
                return t
    return seq_length


def next_position(e, length, n_chars, seq_length, end):
    """Where the chunk after the one at ``e`` (which read ``length`` characters) starts; 0 ends the epoch."""
    e += length
    last = n_chars - seq_length - 1 if end < 0 else n_chars - 2
    return 0 if e > last else e


def diverged(loss, length, K):
    """Whether the loss of a chunk of ``length`` characters over a vocabulary of K says that the run diverged:
    not finite, or above :data:`DIVERGED` times ``length * ln K``, what guessing uniformly scores."""
    return not math.isfinite(loss) or loss > DIVERGED * length * math.log(max(K, 2))


def resets(ids, e, end):
    """Whether the hidden state goes back to zero before the chunk at ``e``: a new epoch or a new document."""
    return e == 0 or (end >= 0 and ids[e] == end)


def updates_per_epoch(n_chars, seq_length, ids=None, end=-1):
    """Updates before the position resets. One long text: e = 0, s, 2s, ... while e <= N - s - 1.
    Documents (``ids`` and ``end`` given): ceil((len(d) + 1) / s) for every document d."""
    if end < 0:
        return (n_chars - seq_length - 1) // seq_length + 1
    targets = np.diff(np.flatnonzero(np.asarray(ids) == end))  # a document's characters and its END
    return int((-(-targets // seq_length)).sum())


def numpy_updates(state, ids, n, seq_length, clip, optimizer, hp, end=-1):
    """``n`` updates of the assignment on ``state``, in place: an engine's ``updates`` (:mod:`.engines`)."""
    losses, smoothed = np.empty(n), np.empty(n)
    for k in range(n):
        length = chunk_length(ids, state.e, seq_length, end)
        x = ids[state.e : state.e + length]
        y = ids[state.e + 1 : state.e + length + 1]
        loss, grads, h = rnn.loss_and_grads(state.params, x, y, state.hprev)
        if not _update(state, k, loss, length, grads, clip, optimizer, hp, losses, smoothed):
            return losses[: k + 1], smoothed[: k + 1]
        state.e = next_position(state.e, length, len(ids), seq_length, end)
        state.hprev = np.zeros_like(h) if resets(ids, state.e, end) else h
    return losses, smoothed


def _update(state, k, loss, length, grads, clip, optimizer, hp, losses, smoothed, clipping="entries"):
    """The rules around update k of a block: record the loss, smooth it, keep the best model, clip and step.
    Returns False, without stepping, for a loss that says the run diverged; its smooth loss is then NaN."""
    losses[k] = loss
    if diverged(loss, length, state.params.K):
        smoothed[k] = math.nan
        return False
    state.smooth_loss = smoothed[k] = smooth(state.smooth_loss, loss)
    if improves(state.smooth_loss, state.best_loss):
        for best, theta in zip(state.best, state.params):
            np.copyto(best, theta)
        state.best_loss, state.best_step = state.smooth_loss, state.step + k
    optim.STEPS[optimizer](state.params, optim.CLIPPING[clipping](grads, clip), state.opt, **hp)
    return True


def minibatch_updates(net, state, S, n, seq_length, clip, optimizer, hp, recipe=None):
    """As :func:`numpy_updates`, on B streams read side by side (:mod:`rnn_lib.text.streams`): ``S`` (B, L+1),
    ``net`` a network of :mod:`rnn_lib.nets.registry`, ``state.hprev`` the network's state of all B streams;
    with the schedule, clipping and dropout of ``recipe`` (:mod:`rnn_lib.training.recipe`)."""
    recipe = recipe or Recipe()
    losses, smoothed = np.empty(n), np.empty(n)
    shape, dtype = (seq_length, S.shape[0], state.params.m), state.params.V.dtype
    for k in range(n):
        X, Y = streams.chunk(S, state.e, seq_length)
        drop = masks(recipe.seed, state.step + k, net.dropouts, shape, recipe.dropout, dtype)
        loss, grads, after = net.loss_and_grads(state.params, X, Y, state.hprev, *([drop] if drop is not None else []))
        step_hp = recipe.eta(hp, state.step + k)
        if not _update(state, k, loss, seq_length, grads, clip, optimizer, step_hp, losses, smoothed, recipe.clipping):
            return losses[: k + 1], smoothed[: k + 1]
        state.e = streams.next_position(state.e, seq_length, S)
        state.hprev = after if state.e else np.zeros_like(after)
    return losses, smoothed
