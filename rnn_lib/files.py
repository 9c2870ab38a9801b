"""Files that are never half-written."""

import contextlib
import os
import tempfile


def write_atomic(path, data):
    """Write bytes to ``path`` through a temporary file and a rename: never half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
