"""Two ways to measure a chunk's loss: before the update that learns from it, and after it.

Training records each chunk's loss with the parameters before its update (the assignment's way: the
smooth loss follows those, and the best model is the one that scored it). Some reports measure the
same chunk after the update instead, which reads lower: the update has just fitted that very chunk.
:func:`replay` runs updates of a run one at a time, on its own engine and from its own state, so its
"before" losses are the run's own, and measures both.
"""

import numpy as np

from ..nets import optim, rnn
from . import engines, run_folder, run_text
from .state import fresh
from .update import chunk_length


def replay(config, n, run_dir=None):
    """``(before, after)``, each (n,): the loss of the chunk of each of ``n`` updates of the run ``config``, with
    the parameters before its update and after it, from the same hidden state. From the run's first state,
    or with ``run_dir``, from where the run in it stopped (its ``last.npz``: the updates after its end).
    Nothing is written. For the assignment's network on one text (not minibatches)."""
    if config.minibatch:
        raise ValueError("the replay measures the assignment's RNN on one text: leave out --model and --batch")
    ids, _, _, vocab, stats = run_text.training_text(config)
    end = run_text.end_id(config, vocab)
    if run_dir is None:
        state = fresh(config, ids, vocab, end)
    else:
        state = run_folder.load(run_dir, config, vocab, stats, len(ids))[0]
    engine, hp = engines.resolve(config.engine), optim.hyperparameters(config.optimizer, eta=config.eta)
    before, after = np.empty(n), np.empty(n)
    for k in range(n):
        e, h = state.e, state.hprev.copy()
        length = chunk_length(ids, e, config.seq_length, end)
        losses, _ = engine.updates(state, ids, 1, config.seq_length, config.clip, config.optimizer, hp, end)
        state.step += 1
        before[k] = losses[0]
        after[k] = rnn.loss(state.params, ids[e : e + length], ids[e + 1 : e + length + 1], h)
    return before, after
