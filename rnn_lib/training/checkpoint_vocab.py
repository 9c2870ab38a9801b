"""How a checkpoint keeps its vocabulary: the characters' code points, so that every character comes back.

A NumPy string array drops trailing NULs (``np.array(["\\0"])`` reads back as ``""``), so a corpus
holding one trained a model that no checkpoint could give back. The vocabulary is stored as
``vocab_codes``, int32 code points, which hold every character a UTF-8 text can hold. Checkpoints
written before keep ``vocab``, a string array, and still load: an empty entry there is the NUL it
was, the one character that such an array turns into nothing.
"""

import numpy as np

CODES, LEGACY = "vocab_codes", "vocab"
LARGEST = 0x10FFFF  # the last code point of Unicode
SURROGATES = range(0xD800, 0xE000)  # code points that no UTF-8 text holds


def arrays(vocab):
    """The arrays that keep ``vocab`` (a list of characters) in a checkpoint."""
    return {CODES: np.array([ord(ch) for ch in vocab], dtype=np.int32)}


def read(arrays, kind):
    """The vocabulary (a list of characters) that ``arrays`` keep; ``kind(a)`` names what an array holds.

    Raises ValueError with a phrase saying what is wrong (KeyError when neither array is there)."""
    if CODES in arrays:
        vocab = _codes(arrays[CODES], kind)
    else:
        vocab = _legacy(arrays[LEGACY], kind)
    if not vocab:
        raise ValueError("the vocabulary is empty")
    if len(set(vocab)) < len(vocab):
        raise ValueError(f"vocab lists {next(ch for i, ch in enumerate(vocab) if ch in vocab[:i])!r} twice")
    return vocab


def _codes(a, kind):
    if a.dtype.kind not in "iu" or a.ndim != 1:
        raise ValueError(f"{CODES} holds {kind(a)} of shape {a.shape}, where a list of code points belongs")
    for i, code in enumerate(a.tolist()):
        if not 0 <= code <= LARGEST or code in SURROGATES:
            raise ValueError(f"{CODES} entry {i} is {code}, which is no character of a UTF-8 text")
    return [chr(code) for code in a.tolist()]


def _legacy(a, kind):
    if a.dtype.kind != "U" or a.ndim != 1:
        raise ValueError(f"vocab holds {kind(a)} of shape {a.shape}, where a list of characters belongs")
    vocab = [ch or "\0" for ch in a.tolist()]
    for i, ch in enumerate(vocab):
        if len(ch) != 1:
            raise ValueError(f"vocab entry {i} is {ch!r}, not a single character")
    return vocab
