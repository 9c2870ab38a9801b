"""``summary.json``: the figures of a finished (or interrupted) run, and its Config, as the run folder keeps them
(:mod:`rnn_lib.training.run_folder`)."""

import dataclasses
import json
import math
from pathlib import Path

from . import atomic
from .run_folder import RunFolderError


def summary(config, state, stats, per_epoch, engine_name, log, interrupted):
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
        # each update reads seq_length characters of each of the batch's streams (fewer on documents)
        "characters_per_second": round(state.step * config.batch * config.seq_length / state.seconds)
        if state.seconds
        else None,
        "interrupted": interrupted,
    }
    if "documents" in stats:  # what the reader of short documents kept, dropped and cut
        figures["documents"] = stats["documents"]
    if log.validation:  # the checkpoint is chosen on validation; its test loss is the result
        step, _, nats, test_nats = min(log.validation, key=lambda row: row[2])
        test_nats = None if math.isnan(test_nats) else test_nats
        figures.update(best_validation_step=int(step), best_validation_nats=nats, test_nats=test_nats)
        figures["final_validation_nats"] = log.validation[-1][2]
    return {**figures, "config": dataclasses.asdict(config)}


def write_summary(run_dir, summary):
    """Write ``summary.json``; a figure that is not finite (no update yet) is written as null."""
    plain = {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in summary.items()}
    try:
        atomic.write_atomic(Path(run_dir) / "summary.json", json.dumps(plain, indent=2, allow_nan=False).encode())
    except OSError as err:
        raise RunFolderError(
            f"could not write summary.json in {run_dir} ({err.strerror or err}): the run is saved in last.npz and "
            "best.npz, which sample and resume as they are; free some space or fix the folder's permissions"
        ) from None
