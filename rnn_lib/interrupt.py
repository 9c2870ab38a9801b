"""Requests to stop that the training loop honours between two blocks of updates."""

import contextlib
import signal


@contextlib.contextmanager
def deferred():
    """Turn Ctrl-C into a request that the loop honours between blocks of updates,
    so that an interrupt never leaves half-updated parameters behind.

    Yields a function that tells whether a stop was requested."""
    requested = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: requested.append(True))
    except ValueError:  # not the main thread: Ctrl-C cannot reach us anyway
        previous = None
    try:
        yield lambda: bool(requested)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
