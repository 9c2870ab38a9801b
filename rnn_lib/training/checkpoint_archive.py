"""Reading a checkpoint's ``.npz`` archive: what each member declares first, then only the arrays that fit.

An ``.npz`` is a zip of ``.npy`` files, each a header (dtype, shape) and the data. A few megabytes of
compressed zeros, or a header alone, can declare an array of gigabytes, and numpy allocates what a
header declares before it reads a byte. So nothing large is read before it is known to belong: first
the zip's directory and every member's header, without their data; then the records and scalars
(the settings and the vocabulary among them, each a few megabytes at most); then
:func:`.checkpoint_checks.declared` says, from those, which arrays the checkpoint holds and refuses
any whose declared dtype or shape is not theirs; only then are they read. Every failure is an
:class:`.checkpoint_checks.Invalid`, never a traceback.
"""

import math
import os
import resource
import zipfile

import numpy as np

from .checkpoint_checks import Invalid, declared
from .checkpoint_layout import RECORDS

SMALL = 8 * 2**20  # bytes of a record or scalar, read before the settings are known (the vocabulary: 4.4 MB at most)
SMALL_TOTAL = 16 * 2**20  # and of all of them
MEMBERS = 1_000  # a checkpoint has a few dozen
DIRECTORY = 2**20  # bytes of the zip's directory, which zipfile reads whole
HEADER = 10_000  # numpy's own limit on a .npy header
UNREADABLE = "make it readable (chmod u+r), or train with --fresh to start over"
LARGER = "load it where more memory is free, or train with --fresh to start over"


def read(path, check=declared):
    """The arrays of the ``.npz`` file at ``path`` that a checkpoint holds, as a dict (any other member is left
    unread). First its records and scalars (:data:`.checkpoint_layout.RECORDS`); then ``check(those, {key:
    (shape, dtype)} of every member)`` refuses what they say cannot belong and returns the keys of the arrays
    that do, which are read last."""
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below: its errors are told from those of the archive)
    except IsADirectoryError:
        raise Invalid("it is a folder, not a file") from None
    except OSError as err:
        raise Invalid(f"it cannot be opened ({err.strerror})", fix=UNREADABLE) from None
    with f:
        archive = _archive(f)
        with archive:
            forms = _forms(archive)
            records = {key: form for key, form in forms.items() if key in RECORDS}
            for key, form in records.items():
                if form[3] > SMALL:
                    raise Invalid(_too_large(key, form))
            if sum(form[3] for form in records.values()) > SMALL_TOTAL:
                raise Invalid(f"its records and scalars declare more than {SMALL_TOTAL // 2**20} MiB in all")
            arrays = {key: _array(archive, key, form) for key, form in records.items()}
            belong = check(arrays, {key: form[1:3] for key, form in forms.items()})
            large = {key: form for key, form in forms.items() if key in belong}
            _fits(sum(form[3] for form in large.values()))
            arrays.update({key: _array(archive, key, form) for key, form in large.items()})
    return arrays


def _archive(f):
    """The zip archive in the open file ``f``, its directory read only when it is of a checkpoint's size."""
    try:
        end = zipfile._EndRecData(f)  # the directory's size and length, before zipfile reads it whole
        if end is None:  # else numpy takes it for a pickle and suggests loading it unsafely
            raise Invalid("it is corrupt: not an .npz archive (cut short, or another kind of file)")
        if end[zipfile._ECD_ENTRIES_TOTAL] > MEMBERS or end[zipfile._ECD_SIZE] > DIRECTORY:
            raise Invalid(f"it is no checkpoint: its zip directory lists {end[zipfile._ECD_ENTRIES_TOTAL]:,} files")
        return zipfile.ZipFile(f)
    except Invalid:
        raise
    except Exception as err:  # a zip's directory is the file's bytes: any failure to parse it is corruption
        raise Invalid(f"it is corrupt: not an .npz archive ({_what(err)})") from None


def _forms(archive):
    """key: (zip member, shape, dtype, bytes of data) of every member, from the .npy headers alone."""
    forms = {}
    for info in archive.infolist():
        key = info.filename.removesuffix(".npy")
        if key == info.filename or key in forms:
            raise Invalid(f"it is no checkpoint: it holds {info.filename!r}, which is not one array of its own")
        try:
            with archive.open(info) as fp:
                version = np.lib.format.read_magic(fp)
                if version not in ((1, 0), (2, 0)):
                    raise ValueError(f".npy format version {version} is not one that numpy writes for an array")
                reader = (
                    np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                )
                shape, _, dtype = reader(fp, max_header_size=HEADER)
                offset = fp.tell()
        except Exception as err:  # the header is the file's bytes: whatever fails, it is not an array
            raise Invalid(f"its array {key!r} cannot be read ({_what(err)})") from None
        if dtype.hasobject:
            raise Invalid(f"its array {key!r} cannot be read: it holds Python objects, which are never unpickled")
        if any(n < 0 for n in shape):
            raise Invalid(f"its array {key!r} cannot be read: its header declares the shape {shape}")
        size = math.prod(shape) * dtype.itemsize
        if info.file_size != offset + size:
            raise Invalid(
                f"its array {key!r} declares {_bytes(size)} of data (shape {shape}, {dtype}) but the archive "
                f"holds {_bytes(max(0, info.file_size - offset))}: it is corrupt"
            )
        forms[key] = (info, shape, dtype, size)
    return forms


def _array(archive, key, form):
    try:
        with archive.open(form[0]) as fp:
            return np.lib.format.read_array(fp, allow_pickle=False, max_header_size=HEADER)
    except MemoryError:
        raise Invalid(f"its array {key!r} ({_bytes(form[3])}) does not fit in memory", fix=LARGER) from None
    except Exception as err:  # a bad checksum, data cut short, a codec's error: the file is corrupt
        raise Invalid(f"its array {key!r} cannot be read ({_what(err)})") from None


def _too_large(key, form):
    return f"its array {key!r} declares {_bytes(form[3])} (shape {form[1]}, {form[2]}), more than a checkpoint holds"


def _fits(size):
    """Refuse arrays of ``size`` bytes that this machine, or this process's limit, cannot hold."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit != resource.RLIM_INFINITY:
        memory = min(memory, limit)
    if size > memory:
        raise Invalid(
            f"its arrays take {_bytes(size)}, more than the {_bytes(memory)} of memory this process can have",
            fix=LARGER,
        )


def _bytes(n):
    return f"{n / 2**30:,.1f} GiB" if n >= 2**30 else f"{n:,} bytes"


def _what(err):
    """An exception as a short phrase: its type and the start of its message (which may quote the file)."""
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text[:160]}" + ("..." if len(text) > 160 else "")
