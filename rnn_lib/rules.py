"""The assignment's bookkeeping around each update, written once for every engine.

The NumPy engine calls these functions; the compiled engine compiles the same ones.

- the smooth loss follows ``0.999 * smooth + 0.001 * loss``, starting at the first chunk's loss;
- the best model is the parameters that scored the lowest smooth loss;
- chunks start at e = 0, s, 2s, ... (s = seq_length) while e <= N - s - 1; after the last
  one, e and the hidden state go back to zero: that ends an epoch.
"""


def smooth(previous, loss):
    """The smooth loss after an update whose chunk scored ``loss``."""
    return 0.999 * previous + 0.001 * loss


def improves(smooth_loss, best_loss):
    """Whether the parameters that scored ``smooth_loss`` become the best model."""
    return smooth_loss < best_loss


def next_position(e, seq_length, n_chars):
    """Where the chunk after the one at ``e`` starts; 0 means the epoch ended (reset h too)."""
    e += seq_length
    return 0 if e > n_chars - seq_length - 1 else e


def updates_per_epoch(n_chars, seq_length):
    """Updates before the position resets: e = 0, s, 2s, ... while e <= N - s - 1."""
    return (n_chars - seq_length - 1) // seq_length + 1
