"""A corpus as a list of short documents, each ended by a dedicated character.

The rest of the library reads one long text. To write tweets that *end*, the network must see
where each document stops, so here a corpus is a list of strings; :mod:`rnn_lib.text.short_texts`
appends :data:`END` to every one of them: the model learns to write END, and sampling stops there.
"""

import csv
import html
import io
import json
import numbers
import re
from pathlib import Path

from .corpus import CorpusError, read_text

END = "\x03"  # ASCII end-of-text: a control character no tweet or play contains
FORMATS = ("auto", "lines", "blocks", "json", "csv")
TOO_LONG = ("cut", "skip")

# One or more lines holding nothing but whitespace (a line of spaces is blank to a reader too).
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")


def detect_format(path, text):
    """The format ``"auto"`` picks: by suffix for JSON and CSV, else by the presence of a blank line."""
    suffix = Path(path).suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix[1:]
    return text_format(text)


def text_format(text):
    """What ``"auto"`` reads a file as when its suffix is neither .json nor .csv: "blocks" or "lines"."""
    # Blank lines at the very start or end separate nothing, so they do not make a file "blocks".
    return "blocks" if _BLANK_LINES.search(text.strip()) else "lines"


def _lines(text):
    # The newline that ends the last line opens no further (empty) document.
    return text.removesuffix("\n").split("\n") if text else []


def _blocks(text):
    text = text.strip()
    return _BLANK_LINES.split(text) if text else []


def _json_texts(text, path):
    try:
        records = json.loads(text)
    except json.JSONDecodeError as err:
        raise CorpusError(
            f"{path} is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno}): "
            "repair the file or export the archive again"
        ) from None
    except (RecursionError, ValueError) as err:  # nested too deeply, or an integer of too many digits
        what = "nested too deeply" if isinstance(err, RecursionError) else " ".join(str(err).split(";")[0].split())
        raise CorpusError(
            f"{path} is not JSON of documents ({what}): repair the file or export the archive again"
        ) from None
    if not isinstance(records, list):
        raise CorpusError(
            f"{path} holds a JSON {type(records).__name__}, not a list: "
            'pass a list of objects with a "text" field, like a tweet archive export'
        )
    for i, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise CorpusError(
                f'record {i} of {path} is not an object with a "text" string: '
                'give every record of the list a "text" field'
            )
    return [record["text"] for record in records]


def _csv_texts(text, path):
    # newline="" lets the csv module see the newlines inside quoted fields as part of the field.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if "text" not in (reader.fieldnames or []):
            raise CorpusError(
                f"{path} has no 'text' column (its header is {reader.fieldnames!s:.200}): "
                "name the column of the documents 'text' in the first row"
            )
        # A short row leaves its text None: an empty document, counted as such.
        return [row["text"] or "" for row in reader]
    except csv.Error as err:
        raise CorpusError(f"{path} is not readable CSV (line {reader.line_num}: {err}): repair the file") from None


def read_documents(path, format="auto", limit=140, too_long="cut", encoding="utf-8"):
    """Read a corpus of short documents (tweets, speeches, lines of verse).

    Parameters
    ----------
    path : str or Path
        A text file in ``encoding`` (UTF-8 unless told); a byte-order mark at its start is dropped.
    format : {"auto", "lines", "blocks", "json", "csv"}
        ``"lines"``: one document per line. ``"blocks"``: documents separated by one or more blank
        (or whitespace-only) lines. ``"json"``: a list of objects with a ``"text"`` string, as in
        the export of a tweet archive. ``"csv"``: a CSV file with a header row and a ``text``
        column (quoted fields may hold commas and newlines). ``"auto"`` guesses only where it is
        safe: a ``.json`` suffix means json, ``.csv`` means csv, and any other file is read as
        ``"blocks"`` if it contains a blank line between its documents, else as ``"lines"``.
    limit : int
        Most characters (code points) a document may have, at least 1.
    too_long : {"cut", "skip"}
        What to do with a longer document: cut it to ``limit`` characters (then drop the
        whitespace the cut leaves at its end) or leave it out.

    Returns
    -------
    documents : list of str
        The documents in file order, each stripped of surrounding whitespace, with ``\\r\\n``
        as ``\\n`` and, for json and csv, HTML entities decoded (``&amp;`` is ``&``): tweet
        exports carry them escaped. Empty documents are dropped.
    report : dict
        ``read`` (documents found), ``kept``, ``empty`` (dropped), ``cut``, ``skipped``, and the
        ``format`` used; ``read == kept + empty + skipped``.

    Raises
    ------
    CorpusError
        For a missing, empty or non-UTF-8 file, bad JSON or CSV, an unknown ``format`` or
        ``too_long``, a ``limit`` below 1, and a file with no document left.
    """
    return parse_documents(read_text(path, encoding), path, format, limit, too_long)  # missing, not text, empty


def parse_documents(text, path, format="auto", limit=140, too_long="cut"):
    """:func:`read_documents` of the ``text`` already read from ``path`` (which names it in errors, and
    whose suffix ``"auto"`` reads)."""
    if format not in FORMATS:
        raise CorpusError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    if too_long not in TOO_LONG:
        raise CorpusError(f"unknown too_long {too_long!r}: use 'cut' or 'skip'")
    if isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 1:
        raise CorpusError(f"limit {limit!r} is no length: pass a whole number of characters, at least 1")
    if format == "auto":
        format = detect_format(path, text)
    if format == "lines":
        raw = _lines(text)
    elif format == "blocks":
        raw = _blocks(text)
    else:
        raw = _json_texts(text, path) if format == "json" else _csv_texts(text, path)
        raw = [html.unescape(doc) for doc in raw]

    documents = []
    report = {"read": len(raw), "kept": 0, "empty": 0, "cut": 0, "skipped": 0, "format": format}
    for doc in raw:
        # Strings inside JSON and CSV may keep Windows newlines even after the file was read.
        doc = doc.replace("\r\n", "\n").strip()
        if not doc:
            report["empty"] += 1
            continue
        if len(doc) > limit:
            if too_long == "skip":
                report["skipped"] += 1
                continue
            # A document starts with a non-space, so the cut one is never empty.
            doc = doc[:limit].rstrip()
            report["cut"] += 1
        documents.append(doc)
    report["kept"] = len(documents)
    if not documents:
        raise CorpusError(
            f"no document left in {path} (read {report['read']}, empty {report['empty']}, "
            f"skipped {report['skipped']} longer than {limit}): check the format or raise the limit"
        )
    return documents, report
