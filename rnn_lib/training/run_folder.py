"""The run folder: where one training run keeps everything, and how to read it back.

A run folder holds::

    history.csv     step, epoch, loss, smooth_loss every ``history_every`` updates
    samples.json    a passage every ``sample_every`` updates, from step 0
    validation.csv  step, epoch, nats per character on the validation and the test text (if held out)
    best.npz        parameters with the lowest smooth loss           (see rnn_lib.training.checkpoint)
    last.npz        everything needed to resume exactly where the run stopped
    chosen.npz      parameters of the held-out evaluation with the lowest validation loss (if held out)
    summary.json    the figures and the Config of the finished (or interrupted) run

"Step i" means "after i updates". The notebooks add ``figures/`` and the files of later chapters.
"""

import contextlib
import dataclasses
import json
import sys
import time
from pathlib import Path

from ..text.corpus import ROOT, default_corpus
from . import atomic, checkpoint, run_logs
from .run_logs import RunFolderError, read_history, read_samples, read_summary, read_validation  # noqa: F401

RUNS_DIR = ROOT / "runs"
RUN_FILES = ("last.npz", "best.npz", "chosen.npz", "history.csv", "samples.json", "validation.csv", "summary.json")


@dataclasses.dataclass
class Log:
    """What a run records besides its state."""

    history: list = dataclasses.field(default_factory=list)  # (step, epoch, loss, smooth_loss)
    samples: list = dataclasses.field(default_factory=list)  # {step, epoch, smooth_loss, text}
    validation: list = dataclasses.field(default_factory=list)  # (step, epoch, validation nats, test nats)
    unreadable: dict = dataclasses.field(default_factory=dict)  # name of a log that cannot be read: what is wrong


def default_run_dir(corpus=None, quick=False):
    """``runs/<corpus name>`` (``-quick`` for a short run), so that each corpus keeps its own run."""
    stem = Path(corpus).stem if corpus else default_corpus().stem
    return RUNS_DIR / (stem + ("-quick" if quick else ""))


def run_folder(run_dir=None, corpus=None):
    """``run_dir`` as a Path, or the default run folder of ``corpus``."""
    return Path(run_dir) if run_dir else default_run_dir(corpus)


@contextlib.contextmanager
def writing(run_dir):
    """Hold ``run_dir`` for this process while the block trains in it: created if need be,
    locked against a second writer, cleared of what a killed save left behind."""
    run_dir, held = Path(run_dir), contextlib.ExitStack()
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        held.enter_context(atomic.locked(run_dir))
    except (FileExistsError, NotADirectoryError):
        raise RunFolderError(f"{run_dir} is a file, not a folder: choose a folder for --out") from None
    except atomic.FolderBusy as err:
        raise RunFolderError(f"run folder {err}: wait for that training to end, or choose another --out") from None
    except OSError as err:
        raise RunFolderError(f"cannot write in run folder {run_dir} ({err.strerror}): choose another --out") from None
    with held:
        atomic.remove_partials(run_dir, RUN_FILES)
        yield run_dir


def start(run_dir, fresh=False):
    """Make ``run_dir`` ready for a new run. The files of an earlier run are never deleted: they move
    to ``run_dir/earlier-<date>-<time>/`` (returned). Without ``fresh`` a best.npz with no last.npz
    to continue it stops us; logs alone (of a run that saved no checkpoint) move with a line on stderr."""
    run_dir = Path(run_dir)
    present = [name for name in RUN_FILES if (run_dir / name).exists() or (run_dir / name).is_symlink()]
    if not present:
        return None
    if not fresh and "best.npz" in present:
        raise RunFolderError(
            f"run folder {run_dir} holds files of an earlier run ({', '.join(present)}) but no last.npz to "
            f"continue from: start over with --fresh (resume=False in Python), which keeps them in "
            f"{run_dir}/earlier-<date>-<time>/, or choose another --out"
        )
    aside = run_logs.new_name(run_dir, time.strftime("earlier-%Y%m%d-%H%M%S"))
    try:
        aside.mkdir()
        for name in present:
            (run_dir / name).rename(aside / name)
    except OSError as err:
        with contextlib.suppress(OSError):
            aside.rmdir()  # made here, and left empty
        raise RunFolderError(
            f"run folder {run_dir}: the earlier run's files cannot be moved to {aside.name}/ ({err.strerror}): "
            "fix the folder's permissions or free some space, or choose another --out"
        ) from None
    if not fresh:
        print(
            f"run folder {run_dir} held the logs of a run that saved no checkpoint ({', '.join(present)}): "
            f"they are kept in {aside}/, and training starts over",
            file=sys.stderr,
        )
    return aside


def save(run_dir, config, state, vocab, stats, log):
    """Write the log files and both checkpoints, each atomically; a failure leaves the files before it intact."""
    try:
        _save(Path(run_dir), config, state, vocab, stats, log)
    except OSError as err:
        raise RunFolderError(_unsaved(Path(run_dir), err)) from None


def _unsaved(run_dir, err):
    """What a failed save means, and what to do: true of what the folder holds after it."""
    head = f"could not save the run in {run_dir} ({err.strerror or err})"
    fix = "free some space or fix the folder's permissions"
    if (run_dir / "last.npz").is_file():
        return f"{head}: what was saved before is intact; {fix}, then train again to continue from it"
    where = f"{run_dir}/earlier-<date>-<time>/"
    if (run_dir / "best.npz").is_file():
        return (
            f"{head}: nothing to continue from was saved (no last.npz), but the best model so far is in best.npz; "
            f"{fix}, then train again with --fresh, which keeps the files written so far in {where}"
        )
    return (
        f"{head}: nothing to continue from was saved (no last.npz); {fix}, then train again: it starts over, "
        f"and keeps any files written so far in {where}"
    )


def _save(run_dir, config, state, vocab, stats, log):
    atomic.write_atomic(run_dir / "history.csv", _csv(["step", "epoch", "loss", "smooth_loss"], log.history))
    if log.validation:
        atomic.write_atomic(
            run_dir / "validation.csv", _csv(["step", "epoch", "validation_nats", "test_nats"], log.validation)
        )
    atomic.write_atomic(run_dir / "samples.json", json.dumps(log.samples, indent=1, ensure_ascii=False).encode("utf-8"))
    checkpoint.save(run_dir, state, config, vocab, stats)


LOGS = (("history.csv", "history", read_history), ("samples.json", "samples", read_samples),
        ("validation.csv", "validation", read_validation), ("summary.json", None, read_summary))  # fmt: skip


def save_chosen(run_dir, config, state, vocab, stats):
    """Keep the parameters as they are now in ``chosen.npz``: the held-out evaluation just made is the best on
    validation so far. A failure is told as :func:`save`'s."""
    try:
        checkpoint.save_model(Path(run_dir) / "chosen.npz", state.params, config, vocab, stats, state.step,
                              state.smooth_loss)  # fmt: skip
    except OSError as err:
        raise RunFolderError(_unsaved(Path(run_dir), err)) from None


def load(run_dir, config, vocab, stats, n_train, set_aside=False):
    """``(state, log)`` of the run in ``run_dir``, to continue it with ``config`` on the text ``stats``
    names, of which it trains on the first ``n_train`` characters. The checkpoint is the truth: a log
    that cannot be read is left out (``log.unreadable``), and with ``set_aside`` renamed, with a line on stderr."""
    run_dir = Path(run_dir)
    state = checkpoint.load_state(run_dir / "last.npz", config, vocab, stats, n_train)
    log = Log()
    for name, field, read in LOGS:
        try:
            rows = read(run_dir)
        except run_logs.Unreadable as err:
            log.unreadable[name] = err.why
            continue
        if field == "samples":
            log.samples = [s for s in rows if s["step"] <= state.step]
        elif field:
            setattr(log, field, [row for row in rows.tolist() if row[0] <= state.step])
    if set_aside:
        run_logs.set_aside(run_dir, log.unreadable)
    return state, log


def _csv(header, rows):
    lines = [",".join(header)] + [",".join([str(int(r[0]))] + [repr(float(v)) for v in r[1:]]) for r in rows]
    return ("\n".join(lines) + "\n").encode()
