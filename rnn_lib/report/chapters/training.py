"""Chapter 2, training (notebooks/02_training): its sentences and tables, made from the runs."""

import numpy as np

from ...evaluation import stats
from ...evaluation.heldout import bits
from ...training import after_update
from ..display import markdown_table


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


SPAN = 1_000  # updates: the smooth loss weighs the latest chunk 0.001 and each older one 0.999 times the next


def best_place(summary):
    """Where a run on one text reaches its best smooth loss: ``(epoch, first, last)``, the epoch (from 1) and
    the characters [first, last) that the chunks of the :data:`SPAN` updates up to it read, in one epoch."""
    per_epoch, seq, step = summary["updates_per_epoch"], summary["seq_length"], summary["best_step"]
    last = (step % per_epoch + 1) * seq  # the best update reads the chunk that ends here
    return step // per_epoch + 1, max(0, last - SPAN * seq), last


def best_place_table(summaries):
    """Markdown table of runs that differ only in their seed: where each reaches its best smooth loss."""
    rows = []
    for s in summaries:
        epoch, _, last = best_place(s)
        rows.append((s["config"]["seed"], f"{s['best_smooth_loss']:.2f}", f"{s['best_step']:,}", epoch,
                     f"{last / s['characters']:.1%}"))  # fmt: skip
    return markdown_table(["seed", "best smooth loss", "at update", "epoch", "where in the text"], rows)


def best_place_paragraph(summaries):
    """Chapter 2: where the runs of several seeds reach their best smooth loss, and whether it is one passage;
    the first of ``summaries`` is the run above."""
    places = [best_place(s) for s in summaries]
    (epoch, first, last), n, seq = places[0], len(places), summaries[0]["seq_length"]
    same = sum(abs(p[2] - last) <= SPAN * seq for p in places)
    text = (
        f"The run above reaches its best smooth loss at update {summaries[0]['best_step']:,} of "
        f"{summaries[0]['steps']:,}, in epoch {epoch}, on the chunk that ends "
        f"{last / summaries[0]['characters']:.1%} of the way through the text. A smooth loss weighs the "
        f"latest {SPAN:,} chunks most (they carry 63 % of it), so what sets it there is the passage those chunks "
        f"read, characters {first:,} to {last:,}, whose end is shown below. "
    )
    if same == n:
        return text + (f"All {n} runs reach their best at that same passage: where the lowest point falls is set "
                       "by the text, not by a run.")  # fmt: skip
    if same > 1:
        return text + (f"{same} of the {n} runs reach their best at that same passage and the others elsewhere: "
                       "where a run peaks depends on the text as much as on the run.")  # fmt: skip
    return text + f"The other {n - 1} runs reach their best elsewhere: no single passage sets the lowest point here."


def after_update_table(windows):
    """Markdown table of ``windows`` = {label: (before, after)}: the mean loss per chunk both ways."""
    rows = [(label, f"{np.mean(b):.2f}", f"{np.mean(a):.2f}", f"{np.mean(b) - np.mean(a):+.2f}")
            for label, (b, a) in windows.items()]  # fmt: skip
    return markdown_table(["updates", "before the update", "after it, same chunk", "difference"], rows)


def after_update_paragraph(windows, best_smooth_loss):
    """Chapter 2: how much lower (or higher) the loss reads when each chunk is measured after its update; the
    first of ``windows`` = {label: (before, after)} is early training, the last the updates after the end."""
    gaps = [float(np.mean(b) - np.mean(a)) for b, a in windows.values()]
    labels = list(windows)

    def reads(gap):
        return f"{abs(gap):.1f} nats {'lower' if gap > 0 else 'higher'}"

    shrinks = "shrinks" if abs(gaps[-1]) < abs(gaps[0]) else "does not shrink"
    return (
        f"*Table: the mean loss per chunk of {len(windows)} stretches of updates, measured before each update "
        f"(as this report and the assignment's code do) and on the same chunk after it (as some reports do).*\n\n"
        f"Measured after its update, a chunk's loss reads {reads(gaps[0])} over {labels[0]}, and {reads(gaps[-1])} "
        f"over {labels[-1]}: the gap {shrinks} as training goes on. A smooth loss measured that way would end near "
        f"{best_smooth_loss - gaps[-1]:.1f} where this chapter reports {best_smooth_loss:.2f}, so two reports can "
        f"differ by that much with the same network; compare numbers measured the same way."
    )


def best_passage(summary, text, length=300):
    """``(label, passage)``: the ``length`` characters of ``text`` up to the end of the best update's chunk."""
    last = best_place(summary)[2]
    first = max(0, last - length)
    return f"The text up to the best update's chunk, characters {first:,} to {last:,}", text[first:last]


def measured_both_ways(result, early=10_000, late=1_000):
    """``{label: (before, after)}`` for :func:`after_update_table`: the first 1,000 and the ``early``-th 1,000
    updates of the run ``result`` replayed from its start, and the ``late`` updates after its end."""
    before, after = after_update.replay(result.config, early)
    return {
        "updates 1 to 1,000": (before[:1_000], after[:1_000]),
        f"updates {early - 999:,} to {early:,}": (before[-1_000:], after[-1_000:]),
        f"the {late:,} updates after the last ({result.state.step:,})": after_update.replay(
            result.config, late, result.run_dir
        ),
    }
