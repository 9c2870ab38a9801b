"""Independent runs on every core: several seeds, optimizers or sizes at once.

A plan maps a name to a Config and a run folder. The runs go to a standard pool of worker
processes (``concurrent.futures``), one per core, each process with single-threaded BLAS,
longest runs first. Every run is seeded, so the numbers do not depend on the number of
workers. A finished run is only read, so a second sweep, or one that was interrupted,
trains only what is missing. A run that fails is reported with its settings and does not
stop the others.
"""

import contextlib
import dataclasses
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from . import run_folder
from .loop import train

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class SweepFailed(RuntimeError):
    """Some runs of a sweep failed; the others are finished and kept. ``results`` holds those."""

    def __init__(self, message, results):
        super().__init__(message)
        self.results = results


def cores():
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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


def run(plan, jobs=None, progress=True, desc="runs", threads=1):
    """Train (or read) every run of ``plan`` = {name: (Config, run folder)}; returns {name: Result} in plan order.

    ``jobs`` worker processes (default: one per core), each with ``threads`` BLAS threads (one run
    with minibatches can use every core that way). With ``progress``, a bar counts the updates
    of all runs, with the runs done and the latest smooth loss. Raises :class:`SweepFailed` after all
    runs ended if any failed, naming each with its settings and error.
    """
    results, failures = {}, {}
    missing = {name: job for name, job in plan.items() if not _finished(*job)}
    for name in plan.keys() - missing.keys():  # finished: read here, no process needed
        results[name] = train(plan[name][0], plan[name][1], progress=False)
    if missing:
        context = multiprocessing.get_context("spawn")
        reports = context.Queue()
        bar = _Bar(desc, len(plan), len(results), progress)
        with (
            _blas_threads_of_children(threads),
            ProcessPoolExecutor(
                max_workers=min(jobs or cores(), len(missing)),
                mp_context=context,
                initializer=_listen,
                initargs=(reports,),
            ) as pool,
        ):
            futures = {pool.submit(_train, name, *missing[name]): name for name in sorted(missing, key=_cost(missing))}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                bar.read(reports)
                for future in done:
                    name = futures[future]
                    try:
                        results[name] = future.result()
                    except Exception as err:  # in the run, or its process died
                        failures[name] = f"{type(err).__name__}: {err}"
                    bar.finished()
        bar.close()
    ordered = {name: results[name] for name in plan if name in results}
    if failures:
        lines = [f"{name} ({_settings(plan[name][0])}) in {plan[name][1]}: {error}" for name, error in failures.items()]
        raise SweepFailed(f"{len(failures)} of {len(plan)} runs failed: " + "; ".join(lines), ordered)
    return ordered


_REPORTS = None  # in a worker: where its runs report their progress


def _listen(reports):
    global _REPORTS
    _REPORTS = reports


def _train(name, config, run_dir):
    def report(step, total, smooth_loss):
        _REPORTS.put((name, step, total, smooth_loss))

    return train(config, run_dir, progress=report if _REPORTS is not None else False)


class _Bar:
    """One bar for all the runs of a sweep: their updates, the runs done, the latest smooth loss."""

    def __init__(self, desc, runs, done, enabled):
        from tqdm.auto import tqdm

        self.desc, self.runs, self.done, self.steps, self.totals = desc, runs, done, {}, {}
        self.bar = tqdm(total=0, desc=self._desc(), unit="upd", disable=not enabled, mininterval=0.5)

    def _desc(self):
        return f"{self.desc} ({self.done}/{self.runs} runs)"

    def read(self, reports):
        loss = None
        while not reports.empty():
            name, step, total, loss = reports.get()
            self.steps[name], self.totals[name] = step, total
        if loss is not None:
            self.bar.total = sum(self.totals.values())
            self.bar.update(sum(self.steps.values()) - self.bar.n)
            self.bar.set_postfix(smooth_loss=loss, refresh=False)

    def finished(self):
        self.done += 1
        self.bar.set_description(self._desc(), refresh=True)

    def close(self):
        self.bar.close()


def _finished(config, run_dir):
    """Whether ``run_dir`` holds this very run, trained to its end."""
    summary = run_folder.read_summary(run_dir)
    if not summary or summary["interrupted"] or "config" not in summary:
        return False
    defaults = {f.name: f.default for f in dataclasses.fields(config)}  # of settings added since it was written
    return defaults | summary["config"] == dataclasses.asdict(config)


def _cost(plan):
    """Sort key: the longest runs first (characters read times the m x m products), so that the last wave is short."""

    def key(name):
        config, _ = plan[name]
        corpus = Path(config.corpus) if config.corpus else None
        size = corpus.stat().st_size if corpus and corpus.is_file() else 1_000_000  # a missing one fails in its run
        characters = config.steps * config.seq_length * config.batch if config.steps else config.epochs * size
        work = (
            config.m * (config.m + 60) * (4 if config.model == "lstm" else 1) / (2 if config.dtype == "float32" else 1)
        )
        return -characters * work

    return key


def _settings(config):
    defaults = type(config)()
    return ", ".join(f"{f.name}={getattr(config, f.name)!r}" for f in dataclasses.fields(config)
                     if getattr(config, f.name) != getattr(defaults, f.name))  # fmt: skip


@contextlib.contextmanager
def _blas_threads_of_children(threads=1):
    """Worker processes start with ``threads`` BLAS threads; one by default: two processes on two cores,
    not four threads."""
    saved = {name: os.environ.get(name) for name in BLAS_THREADS}
    os.environ.update({name: str(threads) for name in BLAS_THREADS})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
