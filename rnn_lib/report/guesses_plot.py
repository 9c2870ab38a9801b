"""The explorer's picture on paper: a passage on the colours of one hidden unit, and under every character the
network's five likeliest next characters, each on a shade as dark as its probability."""

import matplotlib.pyplot as plt
import numpy as np

from . import plots
from .explorer_html import COLOURS, LIMIT, shown

LINES = 1 + 5 + 1  # a row of the passage, its five guesses, a blank line


def guesses(text, reading, vocab, unit, title, width=48):
    """Figure of ``text`` (T,) read as ``reading`` (:class:`rnn_lib.evaluation.guesses.Reading` of the same T
    characters), in rows of ``width``; the characters on the colours of ``unit`` (red +1, blue -1), under each the
    guesses for the character after it, likeliest on top, on grey as dark as their probability."""
    rows = -(-len(text) // width)
    image = np.ones((rows * LINES - 1, width, 3))
    fig, ax = plt.subplots(figsize=(7.5, 0.15 * len(image) + 0.4))
    for t, ch in enumerate(text):
        top, col = (t // width) * LINES, t % width
        image[top, col] = COLOURS((np.clip(reading.states[t, unit], -LIMIT, LIMIT) + LIMIT) / (2 * LIMIT))[:3]
        ax.text(col, top, shown(ch), ha="center", va="center", fontsize=6.5, family="DejaVu Sans Mono")
        for k, (i, p) in enumerate(zip(reading.top_ids[t], reading.top_probs[t]), start=1):
            image[top + k, col] = 1 - 0.75 * p
            ax.text(col, top + k, shown(vocab[i]), ha="center", va="center", fontsize=5.5,
                    family="DejaVu Sans Mono", color="white" if p > 0.5 else "black")  # fmt: skip
    ax.imshow(image, aspect="auto", interpolation="nearest")
    plots.bare(ax, title)
    fig.tight_layout()
    return fig
