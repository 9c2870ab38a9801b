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
from ..training.settings import Cluster, Config
from . import compare
from .parameters import Report

OPTIMIZERS = {"AdaGrad": "adagrad", "RMSProp": "rmsprop", "Adam": "adam"}
SIZES = (50, 100, 200)


def assignment(run_dir, corpus=None, encoding=Config.encoding, epochs=None, steps=None, seed=0, seeds=1, engine="auto",
               **_):  # fmt: skip
    """Chapter 2: the assignment's settings, seed ``seed`` in ``run_dir`` and the others in ``run_dir/seeds``."""
    config = Config(corpus=corpus and str(corpus), encoding=encoding, epochs=epochs, steps=steps, engine=engine)
    return pool.seeds(config, run_dir, range(seed, seed + seeds), main=seed)


def run(plan, desc, jobs=None, **parameters):
    """Train (or read) the runs of ``plan`` where the report's parameters send them: ``jobs`` workers here, or the
    cluster they name (:class:`rnn_lib.training.settings.Cluster`). Returns the sweep's results."""
    return pool.run(plan, jobs, desc=desc, where=Cluster.of(parameters))


def ensure_main_run(run_dir, seed=0, **parameters):
    """``run_dir``, holding a trained model for chapters 3 and 4 to read: the one there (chapter 2's, or any run
    trained in that folder), or else chapter 2's run of seed ``seed``, trained here first."""
    if not (Path(run_dir) / "best.npz").exists():
        run(assignment(run_dir, seed=seed, **{**parameters, "seeds": 1}), "the assignment's run", **parameters)
    return Path(run_dir)


def comparison(run_dir, optimizer, m=100, corpus=None, encoding=Config.encoding, compare_epochs=None,
               compare_steps=None, compare_seeds=1, seed=0, eval_every=None, engine="auto", **_):  # fmt: skip
    """Chapter 5: one setting (an optimizer's name, a size) on the split, with ``compare_seeds`` seeds."""
    settings = dict(corpus=corpus, encoding=encoding, epochs=compare_epochs, steps=compare_steps, engine=engine,
                    eval_every=eval_every)  # fmt: skip
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
WIDE = dict(model="lstm", seq_length=50, dtype="float32", **MINIBATCH)
# The recipe, chosen on Tiny Shakespeare's validation text among those of docs/results.md (chapter 7): two layers,
# dropout on both connections upward, which lets the wide network train longer before it overfits, and a warm-up
# then a cosine decay of a larger step.
RECIPE = dict(WIDE, model="lstm2", eta=0.003, schedule="cosine", warmup=200, final_eta=0.1, dropout=0.3)
PATH = {
    "rnn-b32": ("RNN, B = 32", dict(model="rnn", **MINIBATCH)),
    "lstm-m100": ("LSTM, m = 100", dict(model="lstm", seq_length=50, **MINIBATCH)),
    "lstm-wide": ("LSTM, wide", WIDE),
    "lstm-recipe": ("LSTM, the recipe", RECIPE),
}


def lstm_path(run_dir, corpus=None, encoding=Config.encoding, lstm_seeds=Report.lstm_seeds,
              lstm_epochs=Report.lstm_epochs, lstm_steps=Report.lstm_steps, lstm_eval_every=Report.lstm_eval_every,
              seed=0, **_):  # fmt: skip
    """Chapter 7's short runs: minibatches, then the LSTM at the RNN's size, on chapter 5's split."""
    budget = dict(corpus=corpus, encoding=encoding, epochs=lstm_epochs, steps=lstm_steps, eval_every=lstm_eval_every)
    seeds = range(seed, seed + lstm_seeds)
    return {name: job for setting in ("rnn-b32", "lstm-m100")
            for name, job in compare.plan(run_dir, setting, seeds, **budget, **PATH[setting][1]).items()}  # fmt: skip


def wide_lstm(run_dir, corpus=None, encoding=Config.encoding, wide_m=Report.wide_m, wide_seeds=Report.wide_seeds,
              wide_epochs=Report.wide_epochs, wide_steps=Report.wide_steps, wide_eval_every=Report.wide_eval_every,
              recipe_epochs=Report.recipe_epochs, recipe_steps=Report.recipe_steps, seed=0, **_):  # fmt: skip
    """Chapter 7's long runs: the wide LSTM with Adam's constant step, then with the recipe (:data:`RECIPE`), each
    saved at every evaluation: a crash then loses a minute of training, not the run."""
    budget = dict(corpus=corpus, encoding=encoding, eval_every=wide_eval_every, checkpoint_every=wide_eval_every,
                  m=wide_m)  # fmt: skip
    seeds = range(seed, seed + wide_seeds)
    return {
        **compare.plan(run_dir, "lstm-wide", seeds, epochs=wide_epochs, steps=wide_steps, **budget, **WIDE),
        **compare.plan(run_dir, "lstm-recipe", seeds, epochs=recipe_epochs, steps=recipe_steps, **budget, **RECIPE),
    }


def train_wide(parameters, jobs=None, progress=True):
    """Train (or read) the wide LSTM's runs on every core: one process per run, and the cores that no run
    takes as BLAS threads of the others. Returns the sweep's results."""
    plan = wide_lstm(**parameters)
    workers = min(jobs or pool.cores(), len(plan))
    threads = max(1, (jobs or pool.cores()) // workers)
    return pool.run(plan, workers, progress, desc="training the wide LSTM", threads=threads,
                    where=Cluster.of(parameters))  # fmt: skip


def first_plans(document, parameters):
    """The plans of ``document`` known before any run starts, the longest last so that they keep every core
    busy to the end (chapter 5's sizes of the best optimizer come when it is known: :func:`train_document`)."""
    return {
        "assignment": lambda: [assignment(**parameters)],
        "bonus": lambda: [short_text_runs(**parameters)],
        "beyond": lambda: [optimizers(**parameters), lstm_path(**parameters), wide_lstm(**parameters)],
    }[document]()


def start(documents, parameters, progress=True):
    """A pool of workers (:class:`rnn_lib.training.pool.Pool`) that trains every run of ``documents``, in their
    order; its bar counts them all from the start, chapter 5's sizes included (any optimizer's cost the same)."""
    plans = [plan for document in documents for plan in first_plans(document, parameters)]
    reserved = [sizes("adagrad", **parameters)] if "beyond" in documents else []
    workers = pool.Pool(parameters.get("jobs"), progress, "training", expected=plans, reserved=reserved,
                        where=Cluster.of(parameters))  # fmt: skip
    for plan in plans:
        workers.submit(plan)
    return workers


def train_document(workers, document, parameters):
    """Wait until every run of ``document`` is trained, the others going on meanwhile; for ``beyond``, chapter 5's
    sizes of the optimizer best on validation go in once the optimizers are trained."""
    results = {name: r for plan in first_plans(document, parameters) for name, r in workers.wait(plan).items()}
    if document == "beyond":
        best = OPTIMIZERS[best_optimizer(optimizer_groups(results), **parameters)]
        workers.submit(sizes(best, **parameters), instead=sizes("adagrad", **parameters))
        workers.wait(sizes(best, **parameters))
