"""Runs per minute of a sweep (``make bench``): short runs with one worker process, with one per core, and,
when Dask is installed, through a Dask LocalCluster's scheduler of one worker per core, as
``train --seeds --cluster tcp://...`` sends them (docs/clusters.md)."""

import dataclasses
import tempfile
import time

from ..training import pool
from ..training.settings import Cluster, Config


def sweep_throughput(runs=4, steps=10_000, m=100, corpus=None, out=print, encoding="utf-8"):
    """Runs per minute of a sweep of ``runs`` short runs of ``steps`` updates, with one worker and with one
    per core, then through a LocalCluster if Dask is installed; the time includes starting the worker
    processes, as a sweep pays it (not the LocalCluster's, which a user starts once). Returns
    ``{workers or "dask": rate}``."""
    config = Config(corpus=corpus and str(corpus), encoding=encoding, steps=steps, m=m, sample_length=0,
                    checkpoint_every=steps)  # fmt: skip
    rates = {}
    for jobs in sorted({1, pool.cores()}):
        rates[jobs] = _rate(config, runs, jobs=jobs)
        workers = f"{jobs} worker{'s' * (jobs > 1)}"
        out(f"sweep of {runs} runs of {steps:,} updates with {workers}: {rates[jobs]:.1f} runs/min")
    if len(rates) > 1:
        out(f"sweep speedup with {max(rates)} workers: {rates[max(rates)] / rates[1]:.2f}x")
    try:
        from distributed import LocalCluster
    except ImportError:
        out("no Dask: pip install -e '.[cluster]' to measure the sweep through a scheduler too")
        return rates
    with LocalCluster(n_workers=pool.cores(), threads_per_worker=1, host="127.0.0.1", dashboard_address=":0") as local:
        rates["dask"] = _rate(config, runs, where=Cluster(cluster=local.scheduler_address))
    out(f"sweep of {runs} runs through a Dask LocalCluster of {pool.cores()} workers: {rates['dask']:.1f} runs/min")
    return rates


def _rate(config, runs, **where):
    with tempfile.TemporaryDirectory() as folder:
        plan = {f"seed-{s}": (dataclasses.replace(config, seed=s), f"{folder}/seed-{s}") for s in range(runs)}
        start = time.perf_counter()
        pool.run(plan, progress=False, **where)
        return runs / (time.perf_counter() - start) * 60
