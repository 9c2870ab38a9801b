"""The runs of the report, declared once.

Chapter 2 trains the assignment's settings with several seeds; chapter 5 compares three
optimizers, then two more sizes of the best one on validation, each with several seeds. The
notebooks train (or read) these runs; the report builder trains them all first, in one pool,
with their progress in the terminal. Every function takes the report's parameters
(:class:`rnn_lib.config.Report`) as keywords; others are ignored.
"""

from . import compare, sweep
from .config import Config

OPTIMIZERS = {"AdaGrad": "adagrad", "RMSProp": "rmsprop", "Adam": "adam"}
SIZES = (50, 100, 200)


def assignment(run_dir, corpus=None, epochs=None, steps=None, seed=0, seeds=1, engine="auto", **_):
    """Chapter 2: the assignment's settings, seed ``seed`` in ``run_dir`` and the others in ``run_dir/seeds``."""
    config = Config(corpus=corpus and str(corpus), epochs=epochs, steps=steps, engine=engine)
    return sweep.seeds(config, run_dir, range(seed, seed + seeds), main=seed)


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


def train_all(parameters, jobs=None, progress=True, chapter_2=True, chapter_5=True):
    """Train the runs of chapter 2 and of chapter 5, in one pool per stage: the assignment's seeds and
    the optimizers together, then the sizes of the best optimizer on validation. Finished runs are only read."""
    first = {**(assignment(**parameters) if chapter_2 else {}), **(optimizers(**parameters) if chapter_5 else {})}
    results = sweep.run(first, jobs, progress, desc="training")
    if chapter_5:
        best = best_optimizer(optimizer_groups(results), **parameters)
        sweep.run(sizes(OPTIMIZERS[best], **parameters), jobs, progress, desc=f"training {best}, other sizes")
