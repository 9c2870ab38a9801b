"""Requests to stop that the training loop honours between two blocks of updates:
Ctrl-C (SIGINT), a closed terminal (SIGHUP) and ``kill``, ``docker stop`` or a job
scheduler's time limit (SIGTERM)."""

import contextlib
import signal

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_UNHEEDED = []  # Ctrl-Cs raised as KeyboardInterrupt outside deferred(), which code in C may have swallowed


def remembered(number, frame):
    """The command line's Ctrl-C: Python's KeyboardInterrupt, remembered. An import in C (numba's, at about
    0.3 s) can clear the exception; training, when it starts, then stops at once instead of running on."""
    _UNHEEDED.append(number)
    raise KeyboardInterrupt


def ctrl_c_seen():
    """Whether a Ctrl-C came that nothing acted on (NumPy's import turns one into an ImportError)."""
    return bool(_UNHEEDED)


def remember_ctrl_c():
    """Install :func:`remembered` for SIGINT, unless the shell has us ignore it (a job started with &)."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, remembered)


@contextlib.contextmanager
def deferred():
    """While the block runs, a stop signal is recorded instead of acting at once, so that
    an interrupt never leaves half-updated parameters behind.

    Yields a function that returns the number of the first signal received, or 0."""
    received = _UNHEEDED[:1]  # a Ctrl-C before this block that nothing acted on
    _UNHEEDED.clear()
    previous = {}
    try:
        for number in SIGNALS:
            previous[number] = signal.signal(number, lambda number, _: received.append(number))
    except ValueError:  # not the main thread: signals cannot reach us anyway
        pass
    try:
        yield lambda: received[0] if received else 0
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def exit_status(number):
    """The shell's convention for a process stopped by signal ``number``: 128 + number (Ctrl-C: 130)."""
    return 128 + number
