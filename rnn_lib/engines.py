"""Engines: who performs the updates and the sampling loop.

An engine offers the same two operations, with the same float64 math:

``updates(state, ids, n, seq_length, clip, optimizer, hp, end=-1) -> (losses, smooth)``
    performs ``n`` consecutive training updates on ``state`` (a checkpoint.State) in place:
    chunk at position ``state.e``, loss and gradients, smooth loss, best-model tracking,
    clipping, optimizer step, hidden state carried over, and ``e`` and ``hprev`` reset
    to zero at the end of an epoch; with ``end`` (the end-of-text id) the text is a sequence of
    documents, and chunks stop at, and ``hprev`` resets after, every END (the rules of
    :mod:`rnn_lib.rules`). Returns the loss and smooth loss of every update (n,). If a loss
    is not finite the block stops there, without applying that update: the arrays then end with it.
``sample(params, h0, x0, uniforms, temperature=1.0, top_p=None) -> ids``
    as :func:`rnn_lib.sample.sample_ids`.
``prepare() -> seconds``
    whatever must happen once before the first update (compilation); returns its duration.

``numpy`` is :mod:`rnn_lib.model` and :mod:`rnn_lib.optim` driven from Python;
``numba`` is :mod:`rnn_lib.compiled`, the same math compiled, about twice as fast.
"""

import math
import time
from types import SimpleNamespace

import numpy as np

from . import model, networks, optim, rules, streams
from .sample import sample_ids

ENGINES = ("auto", "numpy", "numba")


def numpy_updates(state, ids, n, seq_length, clip, optimizer, hp, end=-1):
    losses, smooth = np.empty(n), np.empty(n)
    for k in range(n):
        length = rules.chunk_length(ids, state.e, seq_length, end)
        x = ids[state.e : state.e + length]
        y = ids[state.e + 1 : state.e + length + 1]
        loss, grads, h = model.loss_and_grads(state.params, x, y, state.hprev)
        if not _update(state, k, loss, grads, clip, optimizer, hp, losses, smooth):
            return losses[: k + 1], smooth[: k + 1]
        state.e = rules.next_position(state.e, length, len(ids), seq_length, end)
        state.hprev = np.zeros_like(h) if rules.resets(ids, state.e, end) else h
    return losses, smooth


def _update(state, k, loss, grads, clip, optimizer, hp, losses, smooth):
    """The rules around update k of a block: record the loss, smooth it, keep the best model, clip and step.
    Returns False, without stepping, for a loss that is not finite."""
    losses[k] = loss
    if not math.isfinite(loss):
        return False
    state.smooth_loss = smooth[k] = rules.smooth(state.smooth_loss, loss)
    if rules.improves(state.smooth_loss, state.best_loss):
        for best, theta in zip(state.best, state.params):
            np.copyto(best, theta)
        state.best_loss, state.best_step = state.smooth_loss, state.step + k
    optim.STEPS[optimizer](state.params, optim.clip(grads, clip), state.opt, **hp)
    return True


def minibatch_engine(network, B):
    """The engine of ``network`` ("rnn" or "lstm", :mod:`rnn_lib.networks`) on minibatches of B streams
    (:mod:`rnn_lib.streams`): its ``updates`` take the streams (B, L+1) where the others take the text,
    and ``state.hprev`` is the network's state of all B streams. Its ``sample`` writes from one stream's
    state: ``h0`` a network state of one stream (the RNN's (1, m), the LSTM's (2, 1, m))."""
    net = networks.get(network)

    def updates(state, S, n, seq_length, clip, optimizer, hp, end=-1):
        losses, smooth = np.empty(n), np.empty(n)
        for k in range(n):
            X, Y = streams.chunk(S, state.e, seq_length)
            loss, grads, after = net.loss_and_grads(state.params, X, Y, state.hprev)
            if not _update(state, k, loss, grads, clip, optimizer, hp, losses, smooth):
                return losses[: k + 1], smooth[: k + 1]
            state.e = streams.next_position(state.e, seq_length, S)
            state.hprev = after if state.e else np.zeros_like(after)
        return losses, smooth

    def sample(params, h0, x0, uniforms, temperature=1.0, top_p=None):
        return networks.sample_ids(network, params, h0, x0, uniforms, temperature, top_p)

    return SimpleNamespace(name=f"numpy, {network}, {B} streams", updates=updates, sample=sample, prepare=lambda: 0.0)


NUMPY = SimpleNamespace(name="numpy", updates=numpy_updates, sample=sample_ids, prepare=lambda: 0.0)
_compiled = {}


def _numba_engine():
    if not _compiled:
        import scipy.linalg  # noqa: F401  numba's np.dot calls the BLAS that scipy ships

        from . import compiled

        _compiled["engine"] = SimpleNamespace(
            name="numba", updates=compiled.updates, sample=compiled.sample, prepare=_timed(compiled.compile_all)
        )
    return _compiled["engine"]


def _timed(function):
    def run():
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    return run


def resolve(name):
    """The engine called ``name``; "auto" is numba when it (and scipy) import, else numpy.

    Raises ValueError for an unknown name and ImportError when "numba" is asked for but missing.
    """
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    if name == "numpy":
        return NUMPY
    try:
        return _numba_engine()
    except ImportError as err:
        if name == "numba":
            raise ImportError(
                f"the numba engine needs numba and scipy ({err}): pip install numba scipy, or use engine='numpy'"
            ) from None
        return NUMPY
