"""Comparing models fairly (chapter 5): one split, one budget, several seeds each.

The corpus is cut into train / validation / test (80 / 10 / 10 %, contiguous). Every run
trains on the first part; every choice (the checkpoint, a setting) is made on validation,
and each final figure is the test loss at the chosen checkpoint. A setting runs with
several seeds, in ``<run_dir>/beyond/<setting>/seed-<n>``, on every core (:mod:`rnn_lib.training.pool`).
"""

import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from ..evaluation import analysis, ngram, stats
from ..evaluation.heldout import bits
from ..nets import sample
from ..text.corpus import decode, encode, load_corpus, split
from ..training import atomic, run_logs
from ..training.settings import Config

SPLIT = {"validation": 0.1, "test": 0.1}
NGRAM_FIGURES = {"order", "scale", "validation", "test", "size"}


def plan(run_dir, setting, seeds, corpus=None, **settings):
    """The runs of one setting: ``{"<setting>/seed-<n>": (Config, run folder)}`` for :func:`.pool.run`."""
    corpus = corpus and str(corpus)
    return {
        f"{setting}/seed-{seed}": (
            Config(corpus=corpus, seed=seed, sample_length=0, **SPLIT, **settings),
            Path(run_dir) / "beyond" / setting / f"seed-{seed}",
        )
        for seed in seeds
    }


def of(results, setting):
    """The results of one setting's seeds, from a sweep's ``{name: Result}``."""
    return [r for name, r in results.items() if name.split("/")[0] == setting]


def budget(per_epoch, epochs=None, steps=None):
    """The number of updates of a budget given in updates, or else in epochs."""
    return steps if steps is not None else round(epochs * per_epoch)


def within(result, limit):
    """The held-out evaluations (rows, 4: step, epoch, validation nats, test nats) of ``result`` up to ``limit``."""
    return result.validation[result.validation[:, 0] <= limit]


def chosen(result, limit):
    """The evaluation row chosen on validation within ``limit`` updates: (step, epoch, validation, test nats)."""
    rows = within(result, limit)
    return rows[rows[:, 2].argmin()]


def figures(results, limit):
    """Bits per character of several seeds at their chosen checkpoints: ``{"validation": [...], "test": [...]}``."""
    rows = np.array([chosen(r, limit) for r in results])
    return {"validation": bits(rows[:, 2]).tolist(), "test": bits(rows[:, 3]).tolist()}


def band(results, limit=math.inf, column=2, x=0):
    """``(x, mean, sd)``: the held-out evaluations up to ``limit`` updates that every run of several seeds has,
    column ``x`` of their rows (0 the step, 1 the epoch) and the mean and sd over the runs of ``column``
    (2 validation, 3 test) in bits per character: the band of a figure."""
    rows = [within(r, limit) for r in results]
    n = min(len(r) for r in rows)
    mean, sd = stats.band([bits(r[:n, column]) for r in rows])
    return rows[0][:n, x], mean, sd


def best_setting(groups, limit):
    """The name of the setting of ``groups`` = {name: [Result]} with the lowest mean validation loss."""
    return min(groups, key=lambda name: stats.spread(figures(groups[name], limit)["validation"])["mean"])


def size(params):
    """Number of parameters."""
    return sum(a.size for a in params)


def sampling_settings(temperatures=(0.5, 0.8, 1.0, 1.3), top_ps=(0.5, 0.9)):
    """``{label: keyword arguments of sample.generate}`` for the temperature and nucleus rows."""
    return {**{f"T = {T}": {"temperature": T} for T in temperatures}, **{f"top-p = {p}": {"top_p": p} for p in top_ps}}


def copying(params, vocab, train_ids, references, settings, length=3000, seed=0, n=8):
    """Generate ``length`` characters per setting and measure them against the training text.

    Returns ``(texts, rows)``: the texts by label, and rows (label, share of n-grams found in the
    training text, share of known words); ``references`` = {label: real text} add rows of their own.
    """
    K = len(vocab)
    codes = np.unique(analysis.ngram_codes(train_ids, n, K))
    known = analysis.words(decode(train_ids, vocab))
    texts = {
        label: sample.generate(params, vocab, length, np.random.default_rng(seed), **kw)
        for label, kw in settings.items()
    }

    def measure(text):
        copied = analysis.copied_fraction(encode(text, vocab), codes, n, K)
        return copied, analysis.known_word_fraction(text, known)

    rows = [(label, *measure(text)) for label, text in texts.items()]
    return texts, rows + [(label, *measure(text[:length])) for label, text in references.items()]


def closest(rows, candidates, reference):
    """Of the ``candidates`` labels of :func:`copying`'s rows, the one whose copied share is closest to
    that of the row labelled ``reference`` (real text the model never saw)."""
    copied = {label: c for label, c, _ in rows}
    return min(candidates, key=lambda label: abs(copied[label] - copied[reference]))


def fit_ngram(texts, K, max_order):
    """Chapter 5's count-based baseline on ``texts`` = {"train", "validation", "test"}: the order and discount
    scale chosen on validation, then scored once on test. Returns ``(rows, figures)``: every model tried
    (:func:`rnn_lib.evaluation.ngram.choose`), and the chosen one's in bits per character, as :func:`save_ngram`
    keeps them."""
    rows, (order, scale, validation, size) = ngram.choose(texts["train"], texts["validation"], K, max_order)
    test = bits(ngram.cross_entropy(ngram.fit(texts["train"], order, K=K, scale=scale), texts["test"]))
    return rows, {"order": order, "scale": scale, "validation": bits(validation), "test": test, "size": size}


def held_out(corpus=None, encoding="utf-8"):
    """The split of chapters 5 and 7: ``(ids, texts, K)``, ids and texts each {"train", "validation", "test"}."""
    ids, vocab, _ = load_corpus(corpus, encoding)
    parts = dict(zip(("train", "validation", "test"), split(ids, **SPLIT)))
    return parts, {name: decode(part, vocab) for name, part in parts.items()}, len(vocab)


def save_ngram(run_dir, figures):
    """Keep chapter 5's n-gram figures (:func:`fit_ngram`) for chapter 7."""
    (Path(run_dir) / "beyond").mkdir(parents=True, exist_ok=True)
    atomic.write_atomic(Path(run_dir) / "beyond" / "ngram.json", json.dumps(figures, indent=1).encode())


def read_ngram(run_dir, corpus=None, max_order=None, encoding="utf-8"):
    """Chapter 5's n-gram figures, as :func:`save_ngram` kept them; fitted on ``corpus``'s split and kept
    first when chapter 5 has not run (chapter 7 on its own)."""
    path = Path(run_dir) / "beyond" / "ngram.json"
    figures = _kept_ngram(path)
    if figures is None:
        _, texts, K = held_out(corpus, encoding)
        save_ngram(run_dir, fit_ngram(texts, K, max_order)[1])
        figures = _kept_ngram(path)
    return figures


def _kept_ngram(path):
    """The figures that :func:`save_ngram` kept at ``path``, or None when there are none; a file that holds
    other things is set aside (renamed, with a line on stderr), to be fitted again."""
    try:
        figures = run_logs.read_json(path, None)
        if figures is None:
            return None
        if not (isinstance(figures, dict) and figures.keys() >= NGRAM_FIGURES):
            raise run_logs.Unreadable(path, f"it lacks some of {', '.join(sorted(NGRAM_FIGURES))}")
    except run_logs.Unreadable as err:
        aside = run_logs.new_name(path.parent, f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        path.rename(aside)
        print(f"{path.parent}: {err.name} cannot be read ({err.why}); it is kept as {aside.name}, and the n-gram "
              "is fitted again", file=sys.stderr)  # fmt: skip
        return None
    return figures
