"""The logs of a run folder read back, and checked: history.csv, validation.csv, samples.json, summary.json.

The checkpoint is the truth of a run; the logs are its record, and any of them may have been edited,
cut short or replaced. Each reader returns what the log holds in the shape it was written, or raises
:class:`RunFolderError` with one line naming the file and what is wrong in it: never a traceback. A run
that goes on sets such a log aside (:func:`set_aside`: renamed, never deleted) and continues from
``last.npz`` (:func:`rnn_lib.training.run_folder.load`).
"""

import itertools
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

HEADERS = {
    "history.csv": ("step", "epoch", "loss", "smooth_loss"),
    "validation.csv": ("step", "epoch", "validation_nats", "test_nats"),
}
NUMBER = (int, float)


class RunFolderError(ValueError):
    """A run folder cannot be used as asked; the message says what to do."""


class Unreadable(RunFolderError):
    """A log of a run folder cannot be read; ``name`` is the file, ``why`` what is wrong with it."""

    def __init__(self, path, why):
        self.name, self.why = path.name, why
        super().__init__(f"run folder {path.parent}: {path.name} cannot be read ({why}): move it away or repair it")


def read_history(run_dir):
    """History rows (step, epoch, loss, smooth_loss) of a run folder: array (rows, 4)."""
    return _rows(Path(run_dir) / "history.csv", nan_in=())


def read_validation(run_dir):
    """Held-out evaluations (step, epoch, validation nats, test nats) of a run folder: array (rows, 4); the
    test nats are NaN when no test text was held out."""
    return _rows(Path(run_dir) / "validation.csv", nan_in=(3,))


def read_samples(run_dir):
    """The samples of a run folder: a list of dicts with step, epoch, smooth_loss, and text (or, on
    documents, texts and ended)."""
    path = Path(run_dir) / "samples.json"
    samples = read_json(path, [])
    if not isinstance(samples, list):
        raise Unreadable(path, f"it holds a JSON {_kind(samples)}, not a list of samples")
    for i, sample in enumerate(samples):
        problem = _sample_problem(sample)
        if problem:
            raise Unreadable(path, f"sample {i} {problem}")
        if i and sample["step"] <= samples[i - 1]["step"]:
            raise Unreadable(path, f"sample {i} is of step {sample['step']}, not after sample {i - 1}'s")
    return samples


def read_summary(run_dir):
    """The summary of a finished (or interrupted) run, or None when there is none."""
    path = Path(run_dir) / "summary.json"
    summary = read_json(path, None)
    if summary is None and not path.exists():
        return None
    if not isinstance(summary, dict):
        raise Unreadable(path, f"it holds a JSON {_kind(summary)}, not an object of figures")
    if not isinstance(summary.get("interrupted", False), bool) or not isinstance(summary.get("config", {}), dict):
        raise Unreadable(path, "its interrupted is no true or false, or its config no object of settings")
    return summary


def set_aside(run_dir, unreadable):
    """Rename each log of ``run_dir`` that ``unreadable`` names (name: what is wrong) to a name of its own,
    ``<name>.unreadable-<date>-<time>``, never overwriting anything, with one line on stderr each."""
    for name, why in unreadable.items():
        aside = new_name(run_dir, f"{name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            (Path(run_dir) / name).rename(aside)
        except OSError as err:
            raise RunFolderError(
                f"run folder {run_dir}: {name} cannot be read ({why}) nor set aside ({err.strerror}): "
                "move it away or repair it, then train again"
            ) from None
        print(f"run folder {run_dir}: {name} cannot be read ({why}); it is kept as {aside.name} and the run goes "
              "on from last.npz", file=sys.stderr)  # fmt: skip


def ignore(run_dir, unreadable):
    """One line on stderr for each log of ``run_dir`` that ``unreadable`` names, left as it is."""
    for name, why in unreadable.items():
        print(f"run folder {run_dir}: {name} cannot be read ({why}); it is left as it is and ignored: move it "
              "away or repair it", file=sys.stderr)  # fmt: skip


def new_name(folder, stem):
    """``folder/stem``, or ``stem-2``, ``stem-3``, ...: the first that names nothing yet."""
    for k in itertools.count(1):
        path = Path(folder) / (stem if k == 1 else f"{stem}-{k}")
        if not path.exists() and not path.is_symlink():
            return path


def _text(path):
    """The UTF-8 text of ``path``, or None when there is no such file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise Unreadable(path, "it is a folder, not a file") from None
    except OSError as err:
        raise Unreadable(path, err.strerror or type(err).__name__) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise Unreadable(path, f"it is not UTF-8 text: byte {err.start} cannot be decoded") from None


def read_json(path, missing):
    """The JSON in the file ``path`` (``missing`` when there is none); raises :class:`Unreadable`."""
    text = _text(path)
    if text is None:
        return missing
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise Unreadable(path, f"it is not JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    except RecursionError:
        raise Unreadable(path, "it is not JSON that was written here: it nests too deeply") from None
    except (ValueError, MemoryError) as err:  # an integer of more digits than Python converts, say
        raise Unreadable(path, f"it is not JSON that was written here: {' '.join(str(err).split())[:100]}") from None


def _rows(path, nan_in):
    """The rows of a CSV log as written by :func:`rnn_lib.training.run_folder.save`: its header, then rows of
    a whole step (increasing) and finite numbers (or NaN in the columns ``nan_in``)."""
    text, header = _text(path), HEADERS[path.name]
    if text is None:
        return np.zeros((0, len(header)))
    lines = text.splitlines()
    if not lines or lines[0].strip() != ",".join(header):
        raise Unreadable(path, f"its first line is not the header {','.join(header)}")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        values = line.split(",")
        if len(values) != len(header):
            raise Unreadable(path, f"line {n} holds {len(values)} values, not {len(header)}")
        try:
            row = [float(v) for v in values]
        except ValueError:
            raise Unreadable(path, f"line {n} holds {line[:40]!r}, not {len(header)} numbers") from None
        if not all(math.isfinite(v) or (math.isnan(v) and k in nan_in) for k, v in enumerate(row)):
            raise Unreadable(path, f"line {n} holds a value that is not a finite number")
        if not row[0].is_integer() or row[0] < 0 or (rows and row[0] <= rows[-1][0]):
            raise Unreadable(path, f"line {n}'s step {values[0].strip()} is not a whole number after the last")
        rows.append(row)
    return np.array(rows, dtype=float).reshape(-1, len(header))


def _sample_problem(sample):
    """What keeps ``sample`` from being one that the training loop records, or None."""
    if not isinstance(sample, dict):
        return f"is a JSON {_kind(sample)}, not an object"
    step = sample.get("step")
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        return "has no step (a whole number >= 0)"
    numbers = [sample.get(key) for key in ("epoch", "smooth_loss")]
    if not all(isinstance(v, NUMBER) and not isinstance(v, bool) for v in numbers):
        return "has no epoch and smooth_loss numbers"
    if "text" in sample:
        return None if isinstance(sample["text"], str) else "has a text that is not a string"
    texts, ended = sample.get("texts"), sample.get("ended")
    if not (isinstance(texts, list) and isinstance(ended, list) and len(texts) == len(ended)):
        return "has neither a text nor texts and ended of one length"
    if not all(isinstance(t, str) for t in texts) or not all(isinstance(e, bool) for e in ended):
        return "has texts that are not strings, or ended that are not true or false"
    return None


def _kind(value):
    """What JSON calls the type of ``value``."""
    kinds = {dict: "object", list: "list", str: "string", bool: "true or false", type(None): "null"}
    return kinds.get(type(value), "number")
