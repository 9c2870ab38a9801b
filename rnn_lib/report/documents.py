"""The three documents a build writes, in this order: what a student hands in first comes first.

``assignment`` is the course's brief report (chapters 1 to 4: the gradient check, the smooth loss,
the samples as training goes, a passage from the best model); ``bonus`` reports the optional
exercise (chapter 6, short texts); ``beyond`` is the study past the assignment (chapters 5 and 7).
"""

import dataclasses
import datetime
from pathlib import Path

ORDER = ("assignment", "bonus", "beyond")
DEFAULT_AUTHOR = "The rnn_lib authors"


@dataclasses.dataclass(frozen=True)
class Document:
    chapters: tuple  # the notebooks, in order
    title: str
    subtitle: str  # {corpus} and {texts}: the names of the files it trains on


DOCUMENTS = {
    "assignment": Document(
        ("01_gradient_check", "02_training", "03_sample_evolution", "04_synthesis"),
        "Teaching a recurrent network to write",
        "DD2424 Assignment 4: a vanilla character-level RNN, from scratch in NumPy, trained on {corpus}",
    ),
    "bonus": Document(
        ("06_short_texts",),
        "Short texts that end",
        "DD2424 Assignment 4, the bonus exercise: the same RNN on short documents, {texts}",
    ),
    "beyond": Document(
        ("05_beyond", "07_lstm"),
        "Beyond the assignment",
        "Held-out loss, an n-gram baseline, optimizers, sizes and an LSTM, trained on {corpus}",
    ),
}
CHAPTERS = sorted(chapter for document in DOCUMENTS.values() for chapter in document.chapters)


def chosen(only=None):
    """The documents to build, in :data:`ORDER`: all, or those named in ``only`` (names, or one string of
    names separated by spaces or commas). Raises ValueError naming the unknown one."""
    if only is None:
        return ORDER
    names = only.replace(",", " ").split() if isinstance(only, str) else list(only)
    unknown = [name for name in names if name not in DOCUMENTS]
    if unknown or not names:
        raise ValueError(f"--only takes one or more of {', '.join(ORDER)} (got {' '.join(unknown) or 'nothing'})")
    return tuple(name for name in ORDER if name in names)


def title_metadata(name, corpus, texts, author=DEFAULT_AUTHOR, quick=False, today=None):
    """The notebook metadata that the template's title page shows for document ``name``: its title, a
    subtitle naming the files it trains on, the author, the date. Plain text as the user gave it: the
    template escapes it."""
    document, today = DOCUMENTS[name], today or datetime.date.today()
    subtitle = document.subtitle.format(corpus=Path(corpus).name, texts=Path(texts).name)
    return {
        "title": document.title,
        "subtitle": subtitle + (" (quick run)" if quick else ""),
        "authors": [{"name": author}],
        "date": f"{today.day} {today:%B %Y}",
    }
