"""Short documents as one id array, ``END d1 END d2 ... END``, for the bonus exercise.

Each document sits between two ENDs: the END before it is the first input (the cue the
network starts from when it writes a new text, from h0 = 0), the END after it is the last
target (where the network learns to stop). :mod:`rnn_lib.training.update` cuts chunks at these ENDs
and resets the hidden state there, so no chunk and no hidden state crosses a document.
"""

from pathlib import Path

import numpy as np

from .corpus import CorpusError, corpus_stats, more_held_out, read_text
from .corpus import encode as encode_text
from .documents import END, parse_documents, text_format


def document_vocab(documents):
    """Sorted list of the distinct characters of ``documents``, with :data:`END` among them.

    Raises CorpusError for a document that contains END: it would end there for the model.
    """
    chars = {END}
    for i, doc in enumerate(documents):
        _refuse_end(doc, i)
        chars.update(doc)
    return sorted(chars)


def encode_documents(documents, vocab):
    """The ids of ``END d1 END d2 ... END``: an int64 array of ``sum(len(d) + 1) + 1`` ids.

    ``vocab`` must hold END (build it with :func:`document_vocab`); a document that contains END
    raises CorpusError, and a character that is not in ``vocab`` raises ValueError.
    """
    if END not in vocab:
        raise ValueError("the vocabulary has no END character: build it with rnn_lib.text.short_texts.document_vocab")
    for i, doc in enumerate(documents):
        _refuse_end(doc, i)
    return encode_text(END + "".join(doc + END for doc in documents), vocab)


def _refuse_end(doc, i):
    if END in doc:
        raise CorpusError(f"document {i} contains the end-of-text character {END!r}: remove it from the text")


def load(path, format="auto", limit=140, too_long="cut", encoding="utf-8"):
    """Read a corpus of documents (as :func:`rnn_lib.text.documents.read_documents` does) and encode it.

    Returns ``(ids, vocab, stats)``: ids (N,) as :func:`encode_documents` lays them out, the vocabulary
    (END included), and the corpus figures of :func:`rnn_lib.text.corpus.corpus_stats` for the file,
    with ``K`` the vocabulary's size, ``documents`` the reader's report and ``text_format`` what
    ``"auto"`` reads this text as under any suffix but .json and .csv.
    """
    text = read_text(path, encoding)
    docs, report = parse_documents(text, path, format, limit, too_long)
    vocab = document_vocab(docs)
    stats = {**corpus_stats(text, Path(path)), "K": len(vocab), "documents": report, "text_format": text_format(text)}
    return encode_documents(docs, vocab), vocab, stats


def bounds(ids, end):
    """``(starts, stops)``: the position of each document's leading END and of its closing END (D,)."""
    ends = np.flatnonzero(np.asarray(ids) == end)
    return ends[:-1], ends[1:]


def lengths(ids, end):
    """Characters of every document of ``ids`` (D,), its END not counted."""
    starts, stops = bounds(ids, end)
    return stops - starts - 1


def split_documents(ids, end, validation=0.1, test=0.0):
    """``(train, validation, test)``: three runs of whole documents, in file order, each laid out as
    ``END d ... END`` (neighbouring parts share the END between them). The fractions count characters,
    as :func:`rnn_lib.text.corpus.split`'s do; each cut falls on the END nearest to its fraction."""
    if not (0 <= validation < 1 and 0 <= test < 1 and validation + test < 1):
        raise ValueError(
            f"the held-out fractions must be in [0, 1) and leave text to train on (got {validation}, {test})"
        )
    ends = np.flatnonzero(ids == end)
    n = len(ids) - 1

    def cut(fraction):  # the END nearest to the fraction of the text, from the end
        return ends[np.abs(ends - n * (1 - fraction)).argmin()]

    def parts(validation, test):
        test_start, validation_start = cut(test), cut(test + validation)
        return ids[: validation_start + 1], ids[validation_start : test_start + 1], ids[test_start:]

    documents, (train, held_validation, held_test) = len(ends) - 1, parts(validation, test)
    if len(train) < 2:
        raise ValueError(
            f"holding out {validation + test:g} of {documents:,} documents leaves none to train on: hold out less"
        )
    for name, fraction, part in (("validation", validation, held_validation), ("test", test, held_test)):
        if fraction and len(part) < 2:
            k = 1 if name == "validation" else 2

            def enough(f, name=name, k=k):
                held = parts(*((f, test) if name == "validation" else (validation, f)))
                return len(held[k]) >= 2 and len(held[0]) >= 2

            raise ValueError(
                f"holding out {fraction:g} of {documents:,} documents for {name} leaves none: "
                f"{more_held_out(name, fraction, enough)}"
            )
    return tuple(part if len(part) >= 2 else part[:0] for part in (train, held_validation, held_test))
