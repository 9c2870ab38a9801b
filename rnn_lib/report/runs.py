"""The runs of the report, declared once.

Chapter 2 trains the assignment's settings with several seeds; chapter 5 compares three
optimizers, then two more sizes of the best one on validation, each with several seeds;
chapter 6 trains on short documents with two chunk lengths, each with several seeds. The
notebooks train (or read) these runs; the report builder trains them all first, in one pool,
with their progress in the terminal. Every function takes the report's parameters
(:class:`rnn_lib.report.parameters.Report`) as keywords; others are ignored.
"""

import dataclasses
import math
from pathlib import Path

from ..text.corpus import BUNDLED_CORPUS, DATA_DIR
from ..training import pool
from ..training.settings import Config
from . import compare
from .parameters import Report

OPTIMIZERS = {"AdaGrad": "adagrad", "RMSProp": "rmsprop", "Adam": "adam"}
SIZES = (50, 100, 200)


def assignment(run_dir, corpus=None, epochs=None, steps=None, seed=0, seeds=1, engine="auto", **_):
    """Chapter 2: the assignment's settings, seed ``seed`` in ``run_dir`` and the others in ``run_dir/seeds``."""
    config = Config(corpus=corpus and str(corpus), epochs=epochs, steps=steps, engine=engine)
    return pool.seeds(config, run_dir, range(seed, seed + seeds), main=seed)


def comparison(run_dir, optimizer, m=100, corpus=None, compare_epochs=None, compare_steps=None, compare_seeds=1,
               seed=0, eval_every=None, engine="auto", **_):  # fmt: skip
    """Chapter 5: one setting (an optimizer's name, a size) on the split, with ``compare_seeds`` seeds."""
    settings = dict(corpus=corpus, epochs=compare_epochs, steps=compare_steps, engine=engine, eval_every=eval_every)
    seeds = range(seed, seed + compare_seeds)
    return compare.plan(run_dir, f"{optimizer}-m{m}", seeds, optimizer=optimizer, m=m, **settings)


def optimizers(**parameters):
    """Chapter 5: the three optimizers with m = 100."""
    return {
        name: job
        for optimizer in OPTIMIZERS.values()
        for name, job in comparison(optimizer=optimizer, **parameters).items()
    }


def sizes(optimizer, **parameters):
    """Chapter 5: the other sizes of ``optimizer`` (m = 100 is among the optimizers' runs)."""
    return {
        name: job for m in SIZES if m != 100 for name, job in comparison(optimizer=optimizer, m=m, **parameters).items()
    }


def optimizer_groups(results):
    """``{(label, 100): [Result]}`` of the optimizers' runs in a sweep's results."""
    return {(label, 100): compare.of(results, f"{name}-m100") for label, name in OPTIMIZERS.items()}


def limit(groups, compare_epochs=None, compare_steps=None, **_):
    """The comparison's budget in updates."""
    first = next(iter(groups.values()))[0]
    return compare.budget(first.summary["updates_per_epoch"], compare_epochs, compare_steps)


def best_optimizer(groups, **parameters):
    """The label of the optimizer with the lowest mean validation loss within the budget."""
    return compare.best_setting({label: runs for (label, _), runs in groups.items()}, limit(groups, **parameters))


def texts_corpus(texts=None, **_):
    """Chapter 6's documents: ``texts``, or the bundled Tiny Shakespeare (its speeches)."""
    return str(texts or DATA_DIR / BUNDLED_CORPUS)


def chunk_lengths(texts_limit=Report.texts_limit, **_):
    """Chapter 6's two seq_lengths: the assignment's, and one that holds the longest document and its END."""
    return (Config.seq_length, texts_limit + 1)


def short_texts(run_dir, seq_length, texts_format=Report.texts_format, texts_limit=Report.texts_limit,
                texts_too_long=Report.texts_too_long, texts_epochs=Report.texts_epochs, texts_seeds=Report.texts_seeds,
                texts_eval_every=Report.texts_eval_every, texts_stages=Report.texts_stages, seed=0, engine="auto",
                **parameters):  # fmt: skip
    """Chapter 6: the assignment's network on short documents with ``seq_length``, ``texts_seeds`` seeds,
    on whole-document parts of 80 / 10 / 10 %, with whole texts sampled at every stage of ``texts_stages``."""
    config = Config(
        corpus=texts_corpus(**parameters), documents=texts_format, limit=texts_limit, too_long=texts_too_long,
        seq_length=seq_length, epochs=texts_epochs, eval_every=texts_eval_every, engine=engine,
        sample_every=math.gcd(*texts_stages) or 1_000, **compare.SPLIT,
    )  # fmt: skip
    folder = Path(run_dir) / "short-texts"
    return {
        f"seq-{seq_length}/seed-{s}": (dataclasses.replace(config, seed=s), folder / f"seq-{seq_length}" / f"seed-{s}")
        for s in range(seed, seed + texts_seeds)
    }


def short_text_runs(**parameters):
    """Chapter 6: every run, both chunk lengths."""
    return {
        name: job for s in chunk_lengths(**parameters) for name, job in short_texts(seq_length=s, **parameters).items()
    }


# Chapter 7's steps beyond the assignment's RNN: (label, settings); each changes what its label says.
MINIBATCH = dict(batch=32, optimizer="adam", eta=0.002)
PATH = {
    "rnn-b32": ("RNN, B = 32", dict(model="rnn", **MINIBATCH)),
    "lstm-m100": ("LSTM, m = 100", dict(model="lstm", seq_length=50, **MINIBATCH)),
    "lstm-wide": ("LSTM, wide", dict(model="lstm", seq_length=50, dtype="float32", **MINIBATCH)),
}


def lstm_path(run_dir, corpus=None, lstm_seeds=Report.lstm_seeds, lstm_epochs=Report.lstm_epochs,
              lstm_steps=Report.lstm_steps, lstm_eval_every=Report.lstm_eval_every, seed=0, **_):  # fmt: skip
    """Chapter 7's short runs: minibatches, then the LSTM at the RNN's size, on chapter 5's split."""
    budget = dict(corpus=corpus, epochs=lstm_epochs, steps=lstm_steps, eval_every=lstm_eval_every)
    seeds = range(seed, seed + lstm_seeds)
    return {name: job for setting in ("rnn-b32", "lstm-m100")
            for name, job in compare.plan(run_dir, setting, seeds, **budget, **PATH[setting][1]).items()}  # fmt: skip


def wide_lstm(run_dir, corpus=None, wide_m=Report.wide_m, wide_seeds=Report.wide_seeds, wide_epochs=Report.wide_epochs,
              wide_steps=Report.wide_steps, lstm_eval_every=Report.lstm_eval_every, seed=0, **_):  # fmt: skip
    """Chapter 7's long runs: the wide LSTM."""
    budget = dict(corpus=corpus, epochs=wide_epochs, steps=wide_steps, eval_every=lstm_eval_every, m=wide_m)
    return compare.plan(run_dir, "lstm-wide", range(seed, seed + wide_seeds), **budget, **PATH["lstm-wide"][1])


def train_wide(parameters, jobs=None, progress=True):
    """Train (or read) the wide LSTM's runs on every core: one process per run, and the cores that no run
    takes as BLAS threads of the others. Returns the sweep's results."""
    plan = wide_lstm(**parameters)
    workers = min(jobs or pool.cores(), len(plan))
    threads = max(1, (jobs or pool.cores()) // workers)
    return pool.run(plan, workers, progress, desc="training the wide LSTM", threads=threads)


def train_all(parameters, jobs=None, progress=True, chapter_2=True, chapter_5=True, chapter_6=True, chapter_7=True):
    """Train the runs of chapters 2, 5, 6 and 7, in one pool per stage: the assignment's seeds, the optimizers,
    the short texts and the LSTM's path together, then the sizes of the best optimizer on validation.
    Finished runs are only read."""
    first = {
        **(assignment(**parameters) if chapter_2 else {}),
        **(optimizers(**parameters) if chapter_5 or chapter_7 else {}),
        **(short_text_runs(**parameters) if chapter_6 else {}),
        **(lstm_path(**parameters) if chapter_7 else {}),
    }
    results = pool.run(first, jobs, progress, desc="training")
    if chapter_5:
        best = best_optimizer(optimizer_groups(results), **parameters)
        pool.run(sizes(OPTIMIZERS[best], **parameters), jobs, progress, desc=f"training {best}, other sizes")
    if chapter_7:
        train_wide(parameters, jobs, progress)
