"""Comparing models on held-out text (chapter 5): runs that share one split and one budget.

Every run trains on the first part of the corpus and is evaluated on the held-out rest,
in its own folder ``<run_dir>/beyond/<name>``; a finished run is loaded, not trained again.
"""

from pathlib import Path

import numpy as np

from . import analysis, data, sample
from .config import Config
from .evaluate import bits
from .train import train

HELD_OUT = 0.1  # the last 10 % of the corpus, as the usual character-level benchmarks hold out


def heldout_run(run_dir, name, corpus=None, **settings):
    """Train (or load) the run ``name`` on the training part; returns its :class:`rnn_lib.train.Result`."""
    config = Config(corpus=corpus and str(corpus), validation=HELD_OUT, sample_length=0, **settings)
    return train(config, Path(run_dir) / "beyond" / name, progress=False)


def budget(per_epoch, epochs=None, steps=None):
    """The number of updates of a budget given in updates, or else in epochs."""
    return steps if steps is not None else round(epochs * per_epoch)


def within(result, limit):
    """The held-out evaluations (rows, 3) of ``result`` up to update ``limit``."""
    return result.validation[result.validation[:, 0] <= limit]


def best_nats(result, limit):
    """The lowest held-out loss of ``result`` up to update ``limit``, in nats per character."""
    return float(within(result, limit)[:, 2].min())


def size(params):
    """Number of parameters."""
    return sum(a.size for a in params)


def sampling_settings(temperatures=(0.5, 0.8, 1.0, 1.3), top_ps=(0.5, 0.9)):
    """``{label: keyword arguments of sample.generate}`` for the temperature and nucleus rows."""
    return {**{f"T = {T}": {"temperature": T} for T in temperatures}, **{f"top-p = {p}": {"top_p": p} for p in top_ps}}


def copying(params, vocab, train_ids, held_text, settings, length=3000, seed=0, n=8):
    """Generate ``length`` characters per setting and measure them against the training text.

    Returns ``(texts, rows)``: the texts by label, and rows (label, share of n-grams found in the
    training text, share of known words), the last row for real held-out text.
    """
    K = len(vocab)
    codes = np.unique(analysis.ngram_codes(train_ids, n, K))
    known = analysis.words(data.decode(train_ids, vocab))
    texts = {
        label: sample.generate(params, vocab, length, np.random.default_rng(seed), **kw)
        for label, kw in settings.items()
    }

    def measure(text):
        copied = analysis.copied_fraction(data.encode(text, vocab), codes, n, K)
        return copied, analysis.known_word_fraction(text, known)

    rows = [(label, *measure(text)) for label, text in texts.items()]
    return texts, rows + [("held-out text", *measure(held_text[:length]))]


def curve(result, limit):
    """``(steps, bits per character)`` of the held-out evaluations up to update ``limit``, for a plot."""
    rows = within(result, limit)
    return rows[:, 0], bits(rows[:, 2])
