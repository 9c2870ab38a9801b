"""Files that are never half-written, and a run folder that one process writes at a time."""

import contextlib
import fcntl
import os
import re
import secrets
from pathlib import Path

# What a partial file's name carries, so that it is told from any file a user would name:
# .<name>.rnn-lib-partial-<pid>-<8 hex digits>
MARK = ".rnn-lib-partial-"


class FolderBusy(RuntimeError):
    """Another process holds the lock on a folder."""


def write_atomic(path, data):
    """Write bytes to ``path`` through a partial file of this process's own and a rename: never half a file.

    The file gets the permissions of any new file (0666 less the umask). The partial file is removed
    when the write fails; a killed process leaves it, and :func:`remove_partials` knows it."""
    path = Path(path)
    tmp = partial_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def partial_name(path, pid=None):
    """A new name for a partial ``path``: hidden, marked, with the writer's pid and a random part."""
    path = Path(path)
    return path.with_name(f".{path.name}{MARK}{os.getpid() if pid is None else pid}-{secrets.token_hex(4)}")


def remove_partials(folder, names):
    """Remove the partial files of ``names`` (:func:`write_atomic`'s) in ``folder`` whose writer is no longer
    running: what a killed process left. Nothing else, whatever its name; returns the names removed."""
    pattern = re.compile(rf"\.({'|'.join(map(re.escape, names))}){re.escape(MARK)}(\d+)-[0-9a-f]{{8}}")
    removed = []
    for path in Path(folder).iterdir():
        match = pattern.fullmatch(path.name)
        if match and not _running(int(match.group(2))) and path.is_file() and not path.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path.name)
    return removed


def _running(pid):
    """Whether process ``pid`` exists (it may be another process that got the number: then its file stays)."""
    if pid <= 0:
        return True  # not a writer's pid: never ours to remove
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


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
