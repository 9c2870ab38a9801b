"""What the command line tells of a finished run: its figures in a few lines, and a note when its best model
is the untrained one."""

from ..evaluation import heldout

NEVER_LEARNED = 1_000  # updates after which a run that learns has always scored below its first chunk


def lines(result):
    """The lines that tell ``result`` (a :class:`rnn_lib.training.loop.Result`), for stdout."""
    s, told = result.summary, []
    if "documents" in s:
        d, limit = s["documents"], result.config.limit
        told.append(f"{s['corpus']} read as {d['format']}: {d['kept']:,} documents kept of {d['read']:,} "
                    f"({d['empty']:,} empty dropped, {d['skipped']:,} longer than {limit} skipped, {d['cut']:,} cut "
                    f"to {limit})")  # fmt: skip
    told.append(f"{s['corpus']}: {s['steps']:,} updates ({s['epochs']:.2f} epochs) in {s['seconds']:.1f} s, "
                f"{s['updates_per_second']} updates/s with the {s['engine']} engine")  # fmt: skip
    told.append(f"best smooth loss {s['best_smooth_loss']:.3f} at step {s['best_step']:,}; "
                f"final {s['final_smooth_loss']:.3f}; run folder {result.run_dir}")  # fmt: skip
    if "best_validation_nats" in s:
        test = "" if s["test_nats"] is None else f"; test {heldout.bits(s['test_nats']):.3f} bits there"
        told.append(f"validation loss: best {heldout.bits(s['best_validation_nats']):.3f} bits per character at "
                    f"step {s['best_validation_step']:,}{test}")  # fmt: skip
    return told


def note(result):
    """A line for stderr when the run never scored below its first chunk, though it did not diverge; or None."""
    s = result.summary
    if s["best_step"] == 0 and s["steps"] >= NEVER_LEARNED:
        return (f"note: in {s['steps']:,} updates the smooth loss never fell below its first value, so best.npz is "
                "the untrained model: a learning rate far too high or too low does this (--eta)")  # fmt: skip
    return None
