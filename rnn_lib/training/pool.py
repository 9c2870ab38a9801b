"""Independent runs on every core: several seeds, optimizers or sizes at once.

A plan maps a name to a Config and a run folder. The runs go, longest first, to worker processes
here, one per core (:mod:`rnn_lib.training.processes`), or to a Dask cluster: a scheduler's address
or a Slurm queue (:mod:`rnn_lib.training.cluster`), as :class:`rnn_lib.training.settings.Cluster`
says; several plans can share one pool (:class:`Pool`). Every run is seeded, so
the numbers do not depend on the number of workers. A finished run is only read, so a second
sweep, or one that was interrupted, trains only what is missing. A run that fails is reported
with its settings and does not stop the others.
"""

import dataclasses
from pathlib import Path

from . import cluster, run_folder
from .loop import train
from .processes import Processes, cores
from .progress import Bar, cost
from .settings import Cluster


class SweepFailed(RuntimeError):
    """Some runs of a sweep failed; the others are finished and kept. ``results`` holds those, ``lines``
    one line per failed run: its name, settings, folder and error."""

    def __init__(self, lines, results):
        super().__init__("\n".join(lines))
        self.lines, self.results = lines, results


def seeds(config, run_dir, seeds, main=None):
    """A plan of one run of ``config`` per seed: seed ``main`` in ``run_dir`` itself, every other
    one in ``run_dir/seeds/seed-<n>`` (with ``main`` None, all of them there)."""
    run_dir = Path(run_dir)
    return {
        f"seed-{seed}": (
            dataclasses.replace(config, seed=seed),
            run_dir if seed == main else run_dir / "seeds" / f"seed-{seed}",
        )  # fmt: skip
        for seed in seeds
    }


def run(plan, jobs=None, progress=True, desc="runs", threads=1, where=None):
    """Train (or read) every run of ``plan`` = {name: (Config, run folder)}; returns {name: Result} in plan order.

    ``where`` (a :class:`rnn_lib.training.settings.Cluster`) says where the runs go, here by default: ``jobs``
    worker processes (default: one per core), each with ``threads`` BLAS threads (one run with minibatches can
    use every core that way); on Slurm, ``jobs`` workers (default: one per run). With ``progress``, one bar of
    all the runs (:mod:`rnn_lib.training.progress`). Raises :class:`SweepFailed` after all runs ended if any failed,
    naming each with its settings and error.
    """
    with Pool(jobs, progress, desc, expected=[plan], threads=threads, where=where) as workers:
        workers.submit(plan)
        return workers.wait(plan)


class Pool:
    """Worker processes for several plans at once: :meth:`submit` a plan, :meth:`wait` for the one you need
    while the others go on training, in the order they were submitted, longest run first within a plan.

    The bar counts from the start the missing runs of the ``expected`` plans, and every run of the
    ``reserved`` ones: plans that stand for runs not yet known (the sizes of whichever optimizer wins), which
    :meth:`submit` ``instead`` of them later. Its total is thus fixed before the first run starts. A run is
    known by its folder, so two plans may use the same names.
    """

    def __init__(self, jobs=None, progress=True, desc="runs", expected=(), reserved=(), threads=1, where=None):
        self.where, self.threads, self.futures, self.failures = (where or Cluster()).validate(), threads, {}, {}
        if self.where.cluster != "local":
            cluster.require(self.where)
        costs = {}  # in the order the runs start: plan after plan, the longest first within each
        for plan in [*expected, *reserved]:
            longest_first = sorted(plan.values(), key=lambda job: -cost(job[0]))
            costs |= {str(d): cost(c) for c, d in longest_first if plan in reserved or not _finished(c, d)}
        # a cluster's workers: as many as runs on Slurm; the bar's estimate of those a scheduler has
        self.jobs = jobs or (cores() if self.where.cluster == "local" else max(1, len(costs)))
        self.bar = Bar(desc, costs, enabled=progress and bool(costs), workers=min(self.jobs, len(costs)))
        self.executor = None

    def __enter__(self):
        return self

    def __exit__(self, error, *_):
        try:
            if self.executor is not None:  # after an error (Ctrl-C included) the runs not started are not started
                self.executor.close(error)
                self.executor = None
        finally:
            self.bar.close()

    def log(self, message):
        """Print a line without breaking the bar."""
        self.bar.write(message)

    def submit(self, plan, instead=None):
        """Start the runs of ``plan`` that are not finished (the finished ones are read by :meth:`wait`);
        ``instead`` is the reserved plan whose place in the bar it takes, run for run."""
        if instead is not None:
            self.bar.rename({str(old[1]): str(new[1]) for old, new in zip(instead.values(), plan.values())})
        missing = [name for name, (c, d) in plan.items() if str(d) not in self.futures and not _finished(c, d)]
        if missing and self.executor is None:
            if self.where.cluster == "local":
                self.executor = Processes(self.jobs, self.threads, self.bar.update)
            else:  # a Dask worker's BLAS threads are the cluster's: one, as Dask starts its workers
                self.executor = cluster.Dask(self.where, self.jobs, self.bar.update)
        for name in sorted(missing, key=lambda name: -cost(plan[name][0])):
            config, run_dir = plan[name]
            future = self.futures[str(run_dir)] = self.executor.submit(str(run_dir), config, run_dir)
            future.add_done_callback(lambda _, key=str(run_dir): self.bar.finished(key))

    def wait(self, plan):
        """``{name: Result}`` of every run of ``plan``, in plan order, once each has ended."""
        keys = {str(run_dir): name for name, (_, run_dir) in plan.items()}
        for key in keys:
            if key in self.futures:
                try:
                    self.futures[key].result()
                except Exception as err:  # in the run, or its process died
                    self.failures[key] = " ".join(f"{type(err).__name__}: {err}".split())
        results = {}
        for key, name in keys.items():
            if key not in self.futures:  # finished before: read here, no process needed
                results[name] = train(*plan[name], progress=False)
                self.bar.finished(key)
            elif key not in self.failures:
                results[name] = self.futures[key].result()
        failed = {name: self.failures[key] for key, name in keys.items() if key in self.failures}
        if failed:
            raise SweepFailed([f"run {name} of {len(plan)} failed ({_settings(plan[name][0])}) in {plan[name][1]}: "
                               f"{why}" for name, why in failed.items()], results)  # fmt: skip
        return results


def _finished(config, run_dir):
    """Whether ``run_dir`` holds this very run, trained to its end."""
    try:
        summary = run_folder.read_summary(run_dir)
    except run_folder.RunFolderError:  # training reads the checkpoint, and sets such a summary aside
        return False
    if not summary or summary.get("interrupted", True) or "config" not in summary:
        return False
    recorded = type(config).recorded(summary["config"])  # settings added since it was written: their defaults
    return recorded is not None and not recorded.differences(config, free=())  # same path resolved, same eta


def _settings(config):
    defaults = type(config)()
    return ", ".join(f"{f.name}={getattr(config, f.name)!r}" for f in dataclasses.fields(config)
                     if getattr(config, f.name) != getattr(defaults, f.name))  # fmt: skip
