"""A corpus file's bytes, and the characters they are: refused in one line when the path is no text file
(a folder, a named pipe, a device, ...), and, when they do not decode, advice that names the encoding
they do decode as (a student's copy of the novel is often Windows' cp1252, its curly quotes the bytes
0x93 and 0x94)."""

import codecs
import os
import stat
from pathlib import Path

KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a block device",
         stat.S_IFSOCK: "a socket"}  # fmt: skip
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class Unreadable(ValueError):
    """The path cannot be read as a text file; the message says why, to follow "corpus <path> "."""


def read_bytes(path):
    """The bytes of the regular file at ``path``. Anything else is refused before it is opened for long: a
    named pipe or a device would block the read or never end it."""
    path = Path(path)
    try:
        kind = stat.S_IFMT(path.stat().st_mode)  # follows links, opens nothing
    except (FileNotFoundError, NotADirectoryError):
        raise Unreadable("not found" + (" (a link to nothing)" if path.is_symlink() else "")) from None
    except OSError as err:
        raise Unreadable(f"cannot be read ({err.strerror})") from None
    if kind == stat.S_IFDIR:
        raise Unreadable("is a folder, not a text file")
    if kind != stat.S_IFREG:
        raise Unreadable(f"is {KINDS.get(kind, 'no regular file')}, not a text file")
    try:  # O_NONBLOCK: a file swapped for a pipe since stat() does not block the open, and fstat() sees it
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise Unreadable(f"cannot be read ({err.strerror})") from None
    with open(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Unreadable("is no regular file, not a text file")
        return f.read()


def codec(encoding):
    """Python's name of ``encoding`` ("UTF8" and "utf_8" are "utf-8"); ValueError for one it does not know."""
    try:
        return codecs.lookup(encoding).name
    except (LookupError, TypeError, ValueError):
        raise ValueError(
            f"--encoding {encoding!r} is no encoding Python knows: give one such as utf-8, cp1252 or latin-1"
        ) from None


def decode(data, encoding):
    """The text of ``data`` in ``encoding`` (a name :func:`codec` knows); :class:`Unreadable` with advice
    for bytes that do not decode."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        shown = "UTF-8" if encoding == "utf-8" else encoding
        problem = f"is not {shown} text (byte {err.start:,} cannot be decoded)"
        raise Unreadable(problem + _advice(data, encoding)) from None


def _advice(data, asked):
    """What to do with bytes that do not decode as ``asked``: the encoding they do decode as, if one is likely."""
    if b"\0" in data[:4096] and not data.startswith(UTF16_BOMS):
        return ": it holds NUL bytes, so it is no text file (a binary file, or UTF-16 without its byte-order mark)"
    for candidate in ("utf-16", "utf-8", "cp1252"):
        if candidate == asked or (candidate == "utf-16" and not data.startswith(UTF16_BOMS)):
            continue  # UTF-16 is guessed by its byte-order mark alone: most even-length bytes decode as UTF-16
        try:
            data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if candidate == "utf-8":
            return "; it reads as UTF-8: leave --encoding out"
        example = ""
        if candidate == "cp1252":  # show one character that UTF-8 could not read
            first = next(i for i, byte in enumerate(data) if byte >= 0x80)
            example = f" (byte {first:,}, 0x{data[first]:02X}, is {data[first : first + 1].decode(candidate)!r} there)"
        return (f"; it reads as {candidate}{example}: pass --encoding {candidate}, "
                f"or convert it: iconv -f {candidate} -t utf-8 FILE > NEW")  # fmt: skip
    return ": pass the encoding it was written in with --encoding (cp1252, latin-1, utf-16, ...) or convert it to UTF-8"
