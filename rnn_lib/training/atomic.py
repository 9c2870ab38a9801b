"""Files that are never half-written, and a run folder that one process writes at a time."""

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path

TEMPORARY = ".tmp"  # the suffix of a file that write_atomic has not renamed yet


class FolderBusy(RuntimeError):
    """Another process holds the lock on a folder."""


def write_atomic(path, data):
    """Write bytes to ``path`` through a temporary file and a rename: never half a file.

    The file gets the permissions of any new file (0666 less the umask), not mkstemp's 0600."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=TEMPORARY)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask():
    mask = os.umask(0)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def remove_temporaries(folder, names):
    """Remove what a killed :func:`write_atomic` of one of ``names`` left in ``folder``; returns their names."""
    left = [p for p in Path(folder).glob(f"*{TEMPORARY}") if any(p.name.startswith(name) for name in names)]
    for path in left:
        path.unlink(missing_ok=True)
    return [p.name for p in left]


@contextlib.contextmanager
def locked(folder, name=".lock"):
    """Hold an exclusive advisory lock on ``folder`` (the file ``folder/name``) while the block runs.

    The operating system releases it when the process ends, however it ends, so a lock
    left by a killed process is never in the way. Raises :class:`FolderBusy` when another
    process holds it."""
    path = Path(folder) / name
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise FolderBusy(f"{folder} is in use by another process (pid {holder})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # releases the lock
