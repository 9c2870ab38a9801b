"""Chapter 2, training (notebooks/02_training): its sentences, made from the runs."""

from ...evaluation import stats
from ...evaluation.heldout import bits


def training_paragraph(summary, history, first_smooth_loss):
    """Chapter 2: how the smooth loss went. ``history`` (rows, 4): step, epoch, loss, smooth loss."""
    s, per_epoch, seq = summary, summary["updates_per_epoch"], summary["seq_length"]
    text = (
        f"*Figure: smooth loss of the run; dashed lines separate epochs; the dot marks the best model.*\n\n"
        f"The smooth loss starts at {first_smooth_loss:.1f}, the loss of guessing uniformly among "
        f"{s['K']} characters (${seq} \\ln {s['K']}$), and falls fastest in the first few thousand updates. "
    )
    if s["epochs"] >= 2:
        ends = [history[history[:, 0] <= k * per_epoch][-1, 3] for k in range(1, int(s["epochs"]) + 1)]
        text += (
            f"It is {ends[0]:.1f} at the end of the first epoch and {ends[-1]:.1f} after "
            f"{len(ends)}; the gain per epoch shrinks, and a ripple repeats every epoch: the same "
            f"passages of the text are hard, or easy, each time they come round. "
        )
    nats = s["best_smooth_loss"] / seq
    return text + (
        f"The lowest smooth loss, {s['best_smooth_loss']:.2f} ({nats:.3f} nats, or {bits(nats):.2f} bits, "
        f"per character), was reached at step {s['best_step']:,}."
    )


def spread_paragraph(main, best_losses, seeds):
    """Chapter 2: the best smooth loss of the main run among runs that differ only in their seed."""
    s = stats.spread(best_losses)
    return (
        f"*Figure: smooth loss of {s['n']} runs with the assignment's settings and seeds {seeds[0]} to "
        f"{seeds[-1]}: their mean, and a band of one standard deviation.*\n\n"
        f"Runs that differ only in their seed reach a best smooth loss of **{s['mean']:.2f} ± {s['sd']:.2f}** "
        f"(mean ± standard deviation of {s['n']} runs; range {s['min']:.2f} to {s['max']:.2f}); the run above, "
        f"seed {seeds[0]}, reached {main:.2f}. Two correct programs on the same text can thus differ by "
        f"{s['max'] - s['min']:.2f} by chance alone: a classmate's number that differs from yours by less than "
        f"that says nothing about either program."
    )
