"""Corpus, vocabulary, encoding, and the split into training, validation and test parts.

Inside the library a text is a 1-D integer array of character ids; the
vocabulary is the sorted list of distinct characters, so the same text gives
the same ids in every process.
"""

import hashlib
from pathlib import Path

import numpy as np

from . import files

ROOT = Path(__file__).resolve().parents[2]  # the repository: data/, notebooks/, runs/
DATA_DIR = ROOT / "data"
COURSE_CORPUS = "goblet_book.txt"  # copyrighted: the user brings it, we never commit it
BUNDLED_CORPUS = "tinyshakespeare.txt"


class CorpusError(ValueError):
    """A corpus the user pointed us to cannot be used; the message says why."""


def default_corpus(data_dir=DATA_DIR):
    """The course's ``goblet_book.txt`` when the user put it in ``data/``, else Tiny Shakespeare."""
    data_dir = Path(data_dir)
    course = data_dir / COURSE_CORPUS
    return course if course.is_file() else data_dir / BUNDLED_CORPUS


def read_text(path, encoding="utf-8"):
    """Read a whole corpus as text in ``encoding`` (UTF-8 unless told), with a clear error for every way it
    can fail: a path that is no text file (:func:`rnn_lib.text.files.read_bytes`), bytes that do not decode
    (the error names the encoding they do decode as), an empty file. A leading byte-order mark is dropped."""
    path = Path(path)
    try:
        name = files.codec(encoding)  # an unknown encoding is refused before the file is read
    except ValueError as err:
        raise CorpusError(str(err)) from None
    try:
        text = files.decode(files.read_bytes(path), name)
    except files.Unreadable as err:
        fix = f"pass the path of a text file (the bundled one is {DATA_DIR / BUNDLED_CORPUS})"
        raise CorpusError(f"corpus {path} {err}" + ("" if "--encoding" in str(err) else f": {fix}")) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark is no character of the text
    if not text:
        raise CorpusError(f"corpus {path} is empty: fill it with the text to learn")
    return text


def build_vocab(text):
    """Sorted list of the distinct characters of ``text``."""
    return sorted(set(text))


def encode(text, vocab):
    """Character ids of ``text``: int64 array of shape (len(text),).

    Raises ``KeyError``-free ``ValueError`` naming the first character that is not in ``vocab``.
    """
    index = {ch: i for i, ch in enumerate(vocab)}
    try:
        return np.fromiter((index[ch] for ch in text), dtype=np.int64, count=len(text))
    except KeyError as err:
        raise ValueError(
            f"character {err.args[0]!r} is not in the vocabulary of this model "
            f"(it knows {len(vocab)} characters): leave it out"
        ) from None


def decode(ids, vocab):
    """The text spelled by a sequence of character ids."""
    return "".join(vocab[i] for i in ids)


def corpus_stats(text, path):
    """Figures that identify a corpus: name, characters, vocabulary size K, and the md5 of its characters
    (of the text as read, written in UTF-8): the same text read from any encoding has the same md5."""
    return {
        "corpus": Path(path).name,
        "characters": len(text),
        "K": len(set(text)),
        "md5": hashlib.md5(text.encode("utf-8")).hexdigest(),
    }


def load_corpus(path=None, encoding="utf-8"):
    """Read a corpus (default: :func:`default_corpus`) in ``encoding`` and encode it.

    Returns ``(ids, vocab, stats)``: ids of shape (N,), the vocabulary, and :func:`corpus_stats`.
    """
    path = Path(path) if path is not None else default_corpus()
    text = read_text(path, encoding)
    vocab = build_vocab(text)
    return encode(text, vocab), vocab, corpus_stats(text, path)


def split(ids, validation=0.1, test=0.0):
    """``(train, validation, test)``: three contiguous parts of ``ids``, in that order.

    ``validation`` and ``test`` are fractions of the whole; the test part is the very end,
    the validation part just before it. A fraction of 0 gives an empty part.
    """
    n = len(ids)
    if not (0 <= validation < 1 and 0 <= test < 1 and validation + test < 1):
        raise ValueError(
            f"the held-out fractions must be in [0, 1) and leave text to train on (got {validation}, {test})"
        )

    def sizes(validation, test):
        test_start, validation_start = int(round(n * (1 - test))), int(round(n * (1 - test - validation)))
        return {"validation": test_start - validation_start, "test": n - test_start}, validation_start, test_start

    held, validation_start, test_start = sizes(validation, test)
    for name, fraction in (("validation", validation), ("test", test)):
        if fraction and held[name] < 2:

            def enough(f, name=name):
                return sizes(*((f, test) if name == "validation" else (validation, f)))[0][name] >= 2

            raise ValueError(
                f"holding out {fraction:g} of {n:,} characters for {name} leaves {held[name]} to evaluate on, and "
                f"at least 2 are needed: {more_held_out(name, fraction, enough)}"
            )
    return ids[:validation_start], ids[validation_start:test_start], ids[test_start:]


def more_held_out(name, given, enough, largest=0.5):
    """What to do when holding out ``given`` of the text for ``name`` ("validation" or "test") leaves too little:
    the smallest round fraction above it, up to ``largest`` (the setting's maximum), for which ``enough(f)``."""
    for f in sorted({k * 10.0**e for e in range(-9, 0) for k in (1, 2, 5)} | {largest}):
        if given < f <= largest and enough(f):
            return f"hold out more (--{name} {f:g})"
    return f"the text is too short to hold out {name} text: use a longer one, or leave --{name} out"
