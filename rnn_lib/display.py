"""Tables and text passages for the notebooks: Markdown for the prose, plain text for samples.

A passage is printed as plain text, so that the notebook shows it in monospace and the
PDF report sets it in a wrapped box, character for character.
"""

from IPython.display import Markdown, display


def markdown_table(headers, rows, align=None):
    """A Markdown table; ``align`` is a string of 'l'/'r' per column (default: all right but the first)."""
    align = align or "l" + "r" * (len(headers) - 1)
    rule = ["---:" if a == "r" else ":---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def show_markdown(text):
    display(Markdown(text))


def gradcheck_table(results):
    """Markdown table of :func:`rnn_lib.gradcheck.check_gradients` results."""

    def checked(r):
        return f"all {r['size']:,}" if r["checked"] == r["size"] else f"{r['checked']:,} of {r['size']:,}"

    rows = [
        (
            f"${name}$",
            checked(r),
            f"{r['max_rel']:.1e}",
            f"{r['mean_rel']:.1e}",
            f"{r['norm_rel']:.1e}",
            f"{r['max_grad']:.1e}",
        )
        for name, r in results.items()
    ]
    # headers short enough (a row under 72 characters) for pandoc to size columns to their content
    return markdown_table(["param", "checked", "max rel.", "mean rel.", "norm rel.", "max grad"], rows)


class Label:
    """A bold line; in the PDF it never ends a page, so it stays with the passage below it."""

    def __init__(self, text):
        self.text = text

    def _repr_markdown_(self):
        return f"**{self.text}**"

    def _repr_latex_(self):
        escaped = "".join("\\" + ch if ch in "&%$#_{}" else ch for ch in self.text)
        return f"\\Needspace{{6\\baselineskip}}\\noindent\\textbf{{{escaped}}}\\nopagebreak"


def show_passage(label, text):
    """A bold label, then the passage verbatim."""
    display(Label(label))
    print(text)


def show_samples(samples, until=None):
    """Samples of a run (dicts with step, smooth_loss, text) up to step ``until``."""
    for s in samples:
        if until is None or s["step"] <= until:
            show_passage(f"Step {s['step']:,} · smooth loss {s['smooth_loss']:.2f}", s["text"])


def show_vocabulary(vocab):
    """The vocabulary on one line, in index order; escapes such as \\n for invisible characters."""
    print(" ".join(repr(ch)[1:-1] for ch in vocab))


def run_table(s):
    """Markdown table of a run's summary (``summary.json``)."""
    return markdown_table(
        ["", ""],
        [
            ("corpus", f"{s['corpus']} ({s['characters']:,} characters, $K$ = {s['K']})"),
            ("updates", f"{s['steps']:,} ({s['epochs']:.2f} epochs of {s['updates_per_epoch']:,} updates)"),
            ("training time", f"{s['seconds']:.0f} s, {s['updates_per_second']:,.0f} updates/s ({s['engine']} engine)"),
            ("best smooth loss", f"**{s['best_smooth_loss']:.2f}** at step {s['best_step']:,}"),
            ("final smooth loss", f"{s['final_smooth_loss']:.2f}"),
        ],
        align="ll",
    )


def comparison_table(entries, limit):
    """Markdown table of held-out runs, ``entries`` = [(optimizer, m, Result)], within ``limit`` updates."""
    from .compare import best_nats, size, within
    from .evaluate import bits

    return markdown_table(
        ["optimizer", "$m$", "parameters", "best bits/char", "final", "updates/s"],
        [
            (
                name,
                m,
                f"{size(r.state.params):,}",
                f"{bits(best_nats(r, limit)):.3f}",
                f"{bits(within(r, limit)[-1, 2]):.3f}",
                f"{r.summary['updates_per_second']:,.0f}",
            )
            for name, m, r in entries
        ],
    )
