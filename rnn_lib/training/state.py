"""The training state: everything that changes during a run, and the one way to start it.

``last.npz`` (:mod:`rnn_lib.training.checkpoint`) stores a :class:`State`; :func:`fresh` is a run's
first state, :func:`initial` the same for parameters made elsewhere (the benchmark, the compiler's warm-up).
"""

import dataclasses
import math

import numpy as np

from ..nets import optim, registry, rnn
from ..text import streams
from .update import chunk_length


@dataclasses.dataclass
class State:
    """Everything that changes during training: what ``last.npz`` stores."""

    params: rnn.Params
    opt: dict  # optimizer memories (Params) and their step counter "t"
    hprev: np.ndarray  # (m,) hidden state carried into the next chunk
    best: rnn.Params
    rng: np.random.Generator  # draws the samples
    step: int = 0
    e: int = 0  # position of the next chunk in the corpus
    smooth_loss: float = math.nan
    best_loss: float = math.inf
    best_step: int = 0
    seconds: float = 0.0  # training time so far, over all sessions of the run


def fresh(config, ids, vocab, end=-1):
    """The state before the first update: the assignment's initialisation, h0 = 0 (or the network's, on
    minibatches: ``ids`` are then the streams, (B, L+1))."""
    rng = np.random.default_rng(config.seed)
    # The course's reference output starts the smooth loss at the first chunk's loss.
    if config.minibatch:
        net = registry.get(config.model)
        params = net.init(len(vocab), config.m, rng, config.sigma, config.dtype)
        hprev = net.zero(config.batch, config.m, config.dtype)
        first = net.loss_and_grads(params, *streams.chunk(ids, 0, config.seq_length), hprev)[0]
    else:
        params, hprev = rnn.init_params(len(vocab), config.m, rng, config.sigma), np.zeros(config.m)
        length = chunk_length(ids, 0, config.seq_length, end)
        first = rnn.loss(params, ids[:length], ids[1 : length + 1], hprev)
    return initial(params, config.optimizer, hprev, rng, smooth_loss=first)


def initial(params, optimizer, hprev, rng=None, smooth_loss=math.nan):
    """The state before the first update from ``params``: fresh optimizer memories, the best model a copy."""
    return State(params, optim.init_state(optimizer, params), hprev, rnn.copy(params), rng, smooth_loss=smooth_loss)
