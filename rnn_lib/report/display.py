"""Tables and text passages for the notebooks: Markdown for the prose, plain text for samples.

A passage is printed as plain text, so that the notebook shows it in monospace and the
PDF report sets it in a wrapped box, character for character. A string from the user (a
corpus name, say) goes into Markdown through :func:`markdown_escape` and into LaTeX through
:func:`tex_escape`, so that it is shown as it is, whatever characters it holds.
"""

import re
import unicodedata

from IPython.display import Markdown, display

from ..evaluation.stats import mean_sd
from .compare import figures, size

# Every ASCII punctuation character. Nearly each one means something somewhere in Markdown
# (emphasis, code, math, links, tables, lists, headings, citations, smart quotes, dashes),
# and both CommonMark (Jupyter) and pandoc (the PDF) read a backslash before any of them
# as the character itself: escaping them all is simpler than knowing where each one matters.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")

# What TeX would not print as itself: its special characters, and ASCII that XeLaTeX's TeX
# ligatures (fontspec's default for text fonts) turn into curly quotes, dashes and guillemets
# (' " ` -- ,, << >>). A command ends with {} so that it keeps the space after it; a {}
# after - and , keeps them from joining the next one.
_TEX_LITERAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "%": r"\%",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "'": r"\textquotesingle{}",
    '"': r"\textquotedbl{}",
    "`": r"\textasciigrave{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "-": "-{}",
    ",": ",{}",
}


def _one_line(text):
    """``text`` with control characters (newlines, tabs) as spaces: a title, a table cell or a
    bold phrase cannot hold them, and in TeX a blank line would end the paragraph."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(text))


def markdown_escape(text):
    """``text`` as Markdown that shows it literally, in a sentence, in bold or in a table cell."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(text))


def tex_escape(text):
    """``text`` as LaTeX that XeLaTeX prints character for character, in any font of the report."""
    return "".join(_TEX_LITERAL.get(ch, ch) for ch in _one_line(text))


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
    """Markdown table of :func:`rnn_lib.nets.gradcheck.check_gradients` results."""

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
    """A bold line; in the PDF it never ends a page, and it starts a new one unless ``keep`` lines fit below it,
    so that it stays with the passage below it (a passage that fits on a page then stays whole)."""

    def __init__(self, text, keep=6):
        self.text, self.keep = text, keep

    def _repr_markdown_(self):
        return f"**{markdown_escape(self.text)}**"

    def _repr_latex_(self):
        # needspace is our template's; with nbconvert's own, \\Needspace does nothing and the label still prints
        need = f"\\providecommand{{\\Needspace}}[1]{{}}\\Needspace{{{self.keep}\\baselineskip}}"
        return f"{need}\\noindent\\textbf{{{tex_escape(self.text)}}}\\nopagebreak"


def box_lines(text, width=85, most=40):
    """About how many lines ``text`` takes in the PDF's box, where a line wraps after ``width`` characters;
    at most ``most``, as a longer passage cannot stay on one page anyway."""
    return min(most, 2 + sum(1 + len(line) // width for line in text.split("\n")))


def show_passage(label, text):
    """A bold label, then the passage verbatim."""
    display(Label(label, box_lines(text)))
    print(text)


def show_samples(samples, until=None):
    """Samples of a run (dicts with step, smooth_loss, text) up to step ``until``."""
    for s in samples:
        if until is None or s["step"] <= until:
            show_passage(f"Step {s['step']:,} · smooth loss {s['smooth_loss']:.2f}", s["text"])


def show_texts(label, texts, ended, limit):
    """A bold label, then short texts, numbered, their later lines indented; one stopped at ``limit`` says so."""
    lines = []
    for k, (text, by_itself) in enumerate(zip(texts, ended), start=1):
        parts = text.split("\n")
        parts[-1] += "" if by_itself else f"  [stopped at {limit} characters]"
        lines.append(f"{k:>2}. " + "\n    ".join(parts))
    display(Label(label, box_lines("\n".join(lines))))
    print("\n".join(lines))


def show_vocabulary(vocab):
    """The vocabulary on one line, in index order; escapes such as \\n for invisible characters."""
    print(" ".join(repr(ch)[1:-1] for ch in vocab))


def run_table(s):
    """Markdown table of a run's summary (``summary.json``)."""
    return markdown_table(
        ["", ""],
        [
            ("corpus", f"{markdown_escape(s['corpus'])} ({s['characters']:,} characters, $K$ = {s['K']})"),
            ("updates", f"{s['steps']:,} ({s['epochs']:.2f} epochs of {s['updates_per_epoch']:,} updates)"),
            ("training time", f"{s['seconds']:.0f} s, {s['updates_per_second']:,.0f} updates/s ({s['engine']} engine)"),
            ("best smooth loss", f"**{s['best_smooth_loss']:.2f}** at step {s['best_step']:,}"),
            ("final smooth loss", f"{s['final_smooth_loss']:.2f}"),
        ],
        align="ll",
    )


def seeds_table(results):
    """Markdown table of runs that differ only in their seed: best and final smooth loss."""
    rows = [(r.config.seed, f"{r.summary['best_smooth_loss']:.2f}", f"{r.summary['best_step']:,}",
             f"{r.summary['final_smooth_loss']:.2f}") for r in results]  # fmt: skip
    return markdown_table(["seed", "best smooth loss", "at step", "final smooth loss"], rows)


def settings_table(groups, limit):
    """Markdown table of settings compared over seeds, ``groups`` = {(name, m): [Result]}: parameters,
    validation and test bits per character at the checkpoints chosen on validation (mean ± sd), speed."""
    rows = []
    for (name, m), results in groups.items():
        f = figures(results, limit)
        speed = sum(r.summary["updates_per_second"] for r in results) / len(results)
        rows.append((name, m, f"{size(results[0].state.params):,}", mean_sd(f["validation"]), mean_sd(f["test"]),
                     f"{speed:,.0f}"))  # fmt: skip
    # short headers keep a row under 72 characters: pandoc then sizes the columns to their content
    return markdown_table(["setting", "$m$", "parameters", "validation", "test", "updates/s"], rows)


def units_table(found, on_test):
    """Markdown table of the units chosen on validation (``found`` = {property: (unit, r)}) and their
    correlation on the test text (``on_test`` = {property: r}; a property the test text lacks shows a dash)."""
    rows = [(name, unit, f"{r:+.2f}", f"{on_test[name]:+.2f}" if name in on_test else "–")
            for name, (unit, r) in found.items()]  # fmt: skip
    return markdown_table(["property of the text", "unit", "$r$ (validation)", "$r$ (test)"], rows)
