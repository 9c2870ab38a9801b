"""Worker processes on this machine, the default place of a sweep's runs (:mod:`rnn_lib.training.pool`).

A standard pool of ``concurrent.futures``, started with ``spawn`` (a fork of a process with threads is
unsafe), each worker with single-threaded BLAS unless told otherwise. The runs report their progress
through a queue that a thread here reads; Ctrl-C reaches the workers as it reaches every process of
the terminal, SIGTERM or SIGHUP sent to this process alone is passed on to them as one, and the pool stops
the runs not yet started.
"""

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
from concurrent.futures import ProcessPoolExecutor

from .loop import train

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def cores():
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Processes:
    """``jobs`` worker processes with ``threads`` BLAS threads each; ``report(name, step, total, smooth_loss)``
    is called here with what the runs report. :meth:`submit` gives a ``concurrent.futures`` Future."""

    def __init__(self, jobs, threads, report):
        context = multiprocessing.get_context("spawn")
        self.reports, self.stopping, self.stop, self.threads = (
            context.Queue(),
            context.Event(),
            threading.Event(),
            threads,
        )
        self.executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_listen,
                                            initargs=(self.reports, self.stopping))  # fmt: skip
        self.listener = threading.Thread(target=self._listen, args=(report,), daemon=True)
        self.listener.start()
        self.handlers = {}
        if threading.current_thread() is threading.main_thread():
            self.handlers = {n: signal.signal(n, _passed_on) for n in (signal.SIGTERM, signal.SIGHUP)}

    def submit(self, name, config, run_dir):
        with blas_threads_of_children(self.threads):  # the worker it may start inherits them
            return self.executor.submit(_train, name, config, run_dir)

    def close(self, error=None):
        """Wait for the runs; after an error (Ctrl-C included) the runs not started yet are not started, and
        those running end as they do on a signal, saving what they trained."""
        if error is not None:
            self.stopping.set()  # the runs the pool has already handed to a worker do not start either
        self.executor.shutdown(wait=True, cancel_futures=error is not None)
        self.stop.set()
        self.listener.join()
        for number, handler in self.handlers.items():
            signal.signal(number, handler)
        # their semaphores are released now, not at the interpreter's exit, which os._exit skips
        self.executor = self.reports = self.stopping = None

    def _listen(self, report):
        """In a thread: move the bar with what the runs report, also while the caller does something else."""
        while not self.stop.is_set():
            with contextlib.suppress(queue.Empty):
                report(*self.reports.get(timeout=0.2))


def _passed_on(number, _):
    """SIGTERM or SIGHUP of this process alone (``kill``, a scheduler): the workers get it as a terminal's Ctrl-C,
    on which every run saves what it trained and stops, and this process stops as on one."""
    for child in multiprocessing.active_children():
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGINT)
    raise KeyboardInterrupt


_REPORTS = _STOPPING = None  # in a worker: where its runs report their progress, and whether the pool stops


def _listen(reports, stopping):
    global _REPORTS, _STOPPING
    _REPORTS, _STOPPING = reports, stopping
    # Ctrl-C reaches every process of the terminal. A run stops at its next block and saves (its loop listens
    # then); a worker that trains nothing has nothing to save, and leaves at once, without a traceback.
    signal.signal(signal.SIGINT, _leave)


def _leave(number, _):
    os._exit(128 + number)


def _train(name, config, run_dir):
    def report(step, total, smooth_loss):
        _REPORTS.put((name, step, total, smooth_loss))

    if _STOPPING is not None and _STOPPING.is_set():
        raise RuntimeError("not started: the sweep was stopped")

    return train(config, run_dir, progress=report if _REPORTS is not None else False)


@contextlib.contextmanager
def blas_threads_of_children(threads=1):
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
