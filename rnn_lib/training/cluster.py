"""Runs on a Dask cluster: a running scheduler given by its address, or a Slurm queue through dask-jobqueue.

The pool (:mod:`rnn_lib.training.pool`) hands the runs to Dask's own ``concurrent.futures`` executor
(``Client.get_executor``), so its logic is the same as on local worker processes. A run is the same
call of :func:`rnn_lib.training.loop.train` in its own folder, locked and resumed there: a run whose
worker dies is sent again by the scheduler and continues from its last checkpoint. The workers report
their progress as Dask events (``Worker.log_event``), which the client's bar receives. The workers must
see the run folders, on a file system they share: each run first reads a mark the client wrote in its
folder, and refuses to train where nobody would read it.

Dask and dask-jobqueue are an optional extra (``pip install -e '.[cluster]'``), imported here only.
"""

import contextlib
import importlib
import secrets
import socket
import time
from pathlib import Path

from .loop import train

INSTALL = "pip install -e '.[cluster]'"
MARK = ".rnn-lib-cluster-"  # <run folder>/.rnn-lib-cluster-<token>: written by the client, read by the worker
TIMEOUT = "10s"  # to reach a scheduler: Dask's own 30 s is long to learn of a mistyped address
EVERY = 0.5  # seconds between two progress reports of a run: a scheduler hears a hundred runs at ease


class FolderUnseen(RuntimeError):
    """A worker does not see the run folder that the client sees."""


def needed(module, where):
    """Import ``module`` of the cluster extra, or say in one line how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"--cluster {where} needs Dask ({module}): install it with {INSTALL}") from None


def require(where):
    """Import now what ``where`` needs of the cluster extra, so that a missing package is one line before any bar."""
    needed("distributed", where.cluster)
    if where.cluster == "slurm":
        needed("dask_jobqueue", "slurm")


def slurm(where):
    """A dask-jobqueue ``SLURMCluster`` that submits Slurm jobs of ``where.slurm_cores`` worker processes, each
    with one thread: one run to a core. It submits none until it is scaled."""
    jobqueue = needed("dask_jobqueue", "slurm")
    return jobqueue.SLURMCluster(cores=where.slurm_cores, processes=where.slurm_cores, memory=where.slurm_memory,
                                 walltime=where.slurm_walltime, account=where.slurm_account,
                                 job_name="rnn-lib")  # fmt: skip


class Dask:
    """The runs on the Dask cluster ``where`` says (:class:`rnn_lib.training.settings.Cluster`): on Slurm, ``jobs``
    worker processes; ``report(name, step, total, smooth_loss)`` is called here with what the runs report."""

    def __init__(self, where, jobs, report):
        distributed = needed("distributed", where.cluster)
        self.cluster = slurm(where) if where.cluster == "slurm" else None
        if self.cluster is not None:
            self.cluster.scale(jobs)
        try:
            self.client = distributed.Client(self.cluster or where.cluster, timeout=TIMEOUT)
        except OSError:
            if self.cluster is not None:
                self.cluster.close()
            raise OSError(f"no Dask scheduler answers at {where.cluster}: start one (dask scheduler), or give "
                          "--cluster its address") from None  # fmt: skip
        self.token, self.marks = secrets.token_hex(8), []
        self.topic = f"rnn-lib-progress-{self.token}"  # this sweep's, if others share the scheduler
        self.client.subscribe_topic(self.topic, lambda event: report(*event[1]))
        self.executor = self.client.get_executor(pure=False)  # a run is a task to do, not a value to reuse

    def submit(self, name, config, run_dir):
        run_dir = Path(run_dir).resolve()  # the worker's working folder is not ours
        return self.executor.submit(_train, name, config, str(run_dir), self._mark(run_dir), self.topic)

    def _mark(self, run_dir):
        """Write in ``run_dir`` the mark its worker must read; returns its token, or None when the folder cannot
        hold it (the run then tells why it cannot write there)."""
        try:
            run_dir.mkdir(parents=True, exist_ok=True)
            (run_dir / f"{MARK}{self.token}").write_text(self.token)
        except OSError:
            return None
        self.marks.append(run_dir / f"{MARK}{self.token}")
        return self.token

    def close(self, error=None):
        """Wait for the runs; after an error (Ctrl-C included), the runs not started are cancelled. Dask cannot
        stop a running task: those go on to their end on their workers."""
        try:
            self.executor.shutdown(wait=error is None)
            self.client.unsubscribe_topic(self.topic)
            self.client.close()
        finally:
            if self.cluster is not None:  # its Slurm jobs end with it
                self.cluster.close()
            for mark in self.marks:
                with contextlib.suppress(OSError):
                    mark.unlink()


def _train(name, config, run_dir, token, topic):
    """On a worker: train the run in ``run_dir``, once this worker is known to see the client's folder."""
    from distributed import get_worker

    worker = get_worker()
    if token is not None and not _sees(Path(run_dir) / f"{MARK}{token}", token):
        raise FolderUnseen(f"worker {worker.address} on {socket.gethostname()} cannot see run folder {run_dir}: "
                           "put the run folders on a file system that every worker shares (--out)")  # fmt: skip
    last = [0.0]

    def report(step, total, smooth_loss):
        if time.monotonic() - last[0] >= EVERY or step == total:
            last[0] = time.monotonic()
            loss = None if smooth_loss is None else float(smooth_loss)
            worker.log_event(topic, [name, int(step), int(total), loss])  # msgpack: plain numbers only

    return train(config, run_dir, progress=report)


def _sees(mark, token):
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return mark.read_text() == token
    return False
