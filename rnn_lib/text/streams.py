"""A text cut into B contiguous streams read side by side, the way char-rnn trains on minibatches.

Stream j is the text ``ids[j*L : (j+1)*L + 1]`` with ``L = (N - 1) // B`` characters to predict,
so consecutive streams share one character (the last input of one is the first of the next)
and the at most B - 1 characters after the last stream are never read. The minibatch at
position e holds, for every stream, the chunk of ``seq_length`` inputs starting at e and the
targets one character later; its hidden state carries on from the chunk at e - seq_length.

The positions are the rule of :mod:`rnn_lib.training.update` for one long text, applied to a stream's
``L + 1`` characters: e = 0, s, 2s, ... while a full chunk fits (e <= L - s), then back to 0
with the state reset, which ends an epoch. For B = 1 the single stream is the whole text
(L + 1 = N), so positions and updates per epoch are exactly the assignment's (the tests hold
the two to that).
"""

import numpy as np


def cut(ids, B, seq_length=1):
    """The streams of ``ids`` (N,) side by side: int array (B, L + 1) with ``L = (N - 1) // B``.

    Row j is ``ids[j*L : (j+1)*L + 1]``. Raises ValueError when a stream would be too short
    to hold one chunk of ``seq_length`` inputs and their targets.
    """
    ids = np.asarray(ids)
    if B < 1 or seq_length < 1:
        raise ValueError(f"need B >= 1 streams and seq_length >= 1 (got B={B}, seq_length={seq_length})")
    L = (len(ids) - 1) // B
    if seq_length > L:
        raise ValueError(
            f"{len(ids):,} characters cut into {B} streams leave {max(L, 0)} to predict per stream, "
            f"fewer than seq_length = {seq_length}: use fewer streams (--batch) or a shorter --seq-length"
        )
    # Row j starts at j*L and is L + 1 long: a strided view would do, a copy is contiguous.
    return ids[np.arange(B)[:, None] * L + np.arange(L + 1)]


def chunk(streams, e, seq_length):
    """Inputs X and targets Y, int arrays (B, T), of the minibatch at position ``e``.

    ``X[j] = streams[j, e : e+T]`` and ``Y[j] = streams[j, e+1 : e+T+1]`` with T = seq_length.
    """
    if not 0 <= e <= streams.shape[1] - seq_length - 1:
        raise ValueError(f"no full chunk of {seq_length} at position {e} of streams {streams.shape[1]} long")
    return streams[:, e : e + seq_length], streams[:, e + 1 : e + seq_length + 1]


def next_position(e, seq_length, streams):
    """Where the minibatch after the one at ``e`` starts; 0 means the epoch ended (reset the state too)."""
    e += seq_length
    return 0 if e > streams.shape[1] - seq_length - 1 else e


def updates_per_epoch(streams, seq_length):
    """Updates before the position resets: e = 0, s, 2s, ... while e <= L - s."""
    return (streams.shape[1] - seq_length - 1) // seq_length + 1


def positions(streams, seq_length):
    """The positions of one epoch, in order: int array (updates_per_epoch,)."""
    return np.arange(updates_per_epoch(streams, seq_length)) * seq_length
