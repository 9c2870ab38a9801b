"""The assignment's bookkeeping around each update, written once for every engine.

The NumPy engine calls these functions; the compiled engine compiles the same ones.

- the smooth loss follows ``0.999 * smooth + 0.001 * loss``, starting at the first chunk's loss;
- the best model is the parameters that scored the lowest smooth loss;
- one long text: chunks of s = seq_length characters start at e = 0, s, 2s, ... while
  e <= N - s - 1; after the last one, e and the hidden state go back to zero: that ends an epoch;
- short documents (the bonus exercise), laid out as ``END d1 END d2 ... END``: a chunk reads
  s characters, or fewer when its document ends first, so that no chunk crosses an END; the next
  chunk starts where it stopped, and the hidden state goes back to zero at every END a chunk
  starts on (a new document). The epoch ends at the final END.

``end`` is the id of the end-of-text character, or -1 for one long text.
"""

import numpy as np


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
