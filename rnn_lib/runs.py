"""The run folder: where one training run keeps everything, and how to read it back.

A run folder holds::

    history.csv     step, epoch, loss, smooth_loss every ``history_every`` updates
    samples.json    a passage every ``sample_every`` updates, from step 0
    validation.csv  step, epoch, nats per character on the held-out text (if ``validation`` > 0)
    best.npz        parameters with the lowest smooth loss           (see rnn_lib.checkpoint)
    last.npz        everything needed to resume exactly where the run stopped
    summary.json    the figures and the Config of the finished (or interrupted) run

"Step i" means "after i updates". The notebooks add ``figures/`` and the files of later chapters.
"""

import dataclasses
import json
from pathlib import Path

import numpy as np

from . import checkpoint
from .data import default_corpus
from .files import write_atomic

RUNS_DIR = Path(__file__).resolve().parent.parent / "runs"
RUN_FILES = ("last.npz", "best.npz", "history.csv", "samples.json", "validation.csv", "summary.json")


@dataclasses.dataclass
class Log:
    """What a run records besides its state."""

    history: list = dataclasses.field(default_factory=list)  # (step, epoch, loss, smooth_loss)
    samples: list = dataclasses.field(default_factory=list)  # {step, epoch, smooth_loss, text}
    validation: list = dataclasses.field(default_factory=list)  # (step, epoch, nats per character)


def default_run_dir(corpus=None, quick=False):
    """``runs/<corpus name>`` (``-quick`` for a short run), so that each corpus keeps its own run."""
    stem = Path(corpus).stem if corpus else default_corpus().stem
    return RUNS_DIR / (stem + ("-quick" if quick else ""))


def run_folder(run_dir=None, corpus=None):
    """``run_dir`` as a Path, or the default run folder of ``corpus``."""
    return Path(run_dir) if run_dir else default_run_dir(corpus)


def start(run_dir):
    """Make ``run_dir`` ready for a new run: the files of an earlier run are removed."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in RUN_FILES:
        (run_dir / name).unlink(missing_ok=True)


def save(run_dir, config, state, vocab, stats, log):
    """Write the log files and both checkpoints, each atomically."""
    run_dir = Path(run_dir)
    write_atomic(run_dir / "history.csv", _csv(["step", "epoch", "loss", "smooth_loss"], log.history))
    if log.validation:
        write_atomic(run_dir / "validation.csv", _csv(["step", "epoch", "nats_per_char"], log.validation))
    write_atomic(run_dir / "samples.json", json.dumps(log.samples, indent=1, ensure_ascii=False).encode("utf-8"))
    checkpoint.save(run_dir, state, config, vocab, stats)


def load(run_dir, config, vocab, stats):
    """``(state, log)`` of the run in ``run_dir``, to continue it with ``config`` on the text ``stats`` names."""
    state = checkpoint.load_state(Path(run_dir) / "last.npz", config, vocab, stats)
    log = Log(
        history=[row for row in read_history(run_dir).tolist() if row[0] <= state.step],
        samples=[s for s in read_samples(run_dir) if s["step"] <= state.step],
        validation=[row for row in read_validation(run_dir).tolist() if row[0] <= state.step],
    )
    return state, log


def summary(config, state, stats, per_epoch, engine_name, log, held_out_chars, interrupted):
    """The figures of a run, and its Config, for ``summary.json``."""
    figures = {
        **{key: stats[key] for key in ("corpus", "characters", "K", "md5")},
        **{key: getattr(config, key) for key in ("m", "seq_length", "optimizer")},
        "engine": engine_name,
        "steps": state.step,
        "updates_per_epoch": per_epoch,
        "epochs": state.step / per_epoch,
        "best_smooth_loss": state.best_loss,
        "best_step": state.best_step,
        "final_smooth_loss": state.smooth_loss,
        "seconds": round(state.seconds, 3),
        "updates_per_second": round(state.step / state.seconds, 1) if state.seconds else None,
        "interrupted": interrupted,
    }
    if log.validation:
        nats = [row[2] for row in log.validation]
        figures.update(validation_characters=held_out_chars, final_validation_nats=nats[-1])
        figures["best_validation_nats"] = min(nats)
    return {**figures, "config": dataclasses.asdict(config)}


def write_summary(run_dir, summary):
    write_atomic(Path(run_dir) / "summary.json", json.dumps(summary, indent=2).encode())


def _csv(header, rows):
    lines = [",".join(header)] + [",".join([str(int(r[0]))] + [repr(float(v)) for v in r[1:]]) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _read_csv(path, columns):
    rows = path.read_text().splitlines()[1:] if path.exists() else []
    return np.array([[float(v) for v in row.split(",")] for row in rows]).reshape(-1, columns)


def read_history(run_dir):
    """History rows (step, epoch, loss, smooth_loss) of a run folder: array (rows, 4)."""
    return _read_csv(Path(run_dir) / "history.csv", 4)


def read_validation(run_dir):
    """Held-out evaluations (step, epoch, nats per character) of a run folder: array (rows, 3)."""
    return _read_csv(Path(run_dir) / "validation.csv", 3)


def read_samples(run_dir):
    """The samples of a run folder: a list of dicts with step, epoch, smooth_loss, text."""
    path = Path(run_dir) / "samples.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def read_summary(run_dir):
    """The summary of a finished run, or None."""
    path = Path(run_dir) / "summary.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
