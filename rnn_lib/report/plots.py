"""Figures of the report, in one consistent style; each is also saved to the run folder."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

INK, ACCENT, MUTED = "#1f3b57", "#c8553d", "#9aa5b1"


def _thousands(value, _):
    return f"{value / 1000:,.{0 if value % 1000 == 0 else 1}f}k" if value else "0"


def use_report_style():
    """Matplotlib settings shared by every figure; in a notebook, figures are kept as PNG
    for the screen and PDF (vector) for the report."""
    plt.rcParams.update(
        {
            "figure.figsize": (7.5, 3.6),
            "figure.dpi": 110,
            "savefig.bbox": "tight",
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#e6e6e6",
            "grid.linewidth": 0.6,
            "legend.frameon": False,
            "pdf.fonttype": 42,
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", "pdf")
    except ImportError:  # outside Jupyter
        pass


def save(fig, run_dir, name):
    """Save ``fig`` as ``<run_dir>/figures/<name>.pdf`` and ``.png``."""
    folder = Path(run_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    for ext in ("pdf", "png"):
        fig.savefig(folder / f"{name}.{ext}", dpi=160)


def smooth_loss(history, updates_per_epoch, best_step=None, best_loss=None, seq_length=25, ax=None, ylabel=None):
    """Smooth loss against update step, epoch boundaries dashed, the best point marked.

    history : (rows, 4) array of step, epoch, loss, smooth_loss.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 3.9))
    steps, loss, smooth = history[:, 0], history[:, 2], history[:, 3]
    ax.plot(steps, loss, color=MUTED, lw=0.3, alpha=0.3, label="loss of single chunks")
    ax.plot(steps, smooth, color=INK, lw=1.3, label="smooth loss")
    last = steps[-1] if len(steps) else 0
    for k in range(1, int(last // updates_per_epoch) + 1):
        ax.axvline(k * updates_per_epoch, color=MUTED, lw=0.7, ls="--", zorder=0)
    if last >= updates_per_epoch:
        top = ax.secondary_xaxis("top", functions=(lambda s: s / updates_per_epoch, lambda e: e * updates_per_epoch))
        top.set_xlabel("epoch", fontsize=9)
        top.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    if best_step is not None:
        ax.plot([best_step], [best_loss], "o", color=ACCENT, ms=5, zorder=5)
        late = best_step > last / 2  # the label goes where there is room
        ax.annotate(
            f"best {best_loss:.2f} at step {best_step:,}",
            (best_step, best_loss),
            xytext=(-20 if late else 20, 45),
            textcoords="offset points",
            ha="right" if late else "left",
            fontsize=8,
            color=ACCENT,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
            arrowprops={"arrowstyle": "-", "color": ACCENT, "lw": 0.6},
        )
    if len(smooth):
        ax.set_ylim(min(smooth.min(), best_loss if best_loss is not None else smooth.min()) * 0.88, smooth.max() * 1.04)
    ax.set_xlabel("update step")
    ax.set_ylabel(ylabel or f"loss (nats per {seq_length} characters)")
    ax.xaxis.set_major_formatter(plt.FuncFormatter(_thousands))
    ax.legend(loc="upper right")
    return ax.figure


PALETTE = [INK, ACCENT, "#3d9970", "#8e6bb0", "#d4a017"]


def curves(series, ylabel="validation bits per character", xlabel="update step", ax=None, hline=None, ylim=None):
    """Several learning curves in one figure: ``series`` maps a label to (x, y) arrays.

    ``hline`` = (value, label) draws a reference level, e.g. the best n-gram model.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 3.4))
    for (label, (x, y)), color in zip(series.items(), PALETTE * 3):
        ax.plot(x, y, color=color, lw=1.4, marker="o", ms=2.5, label=label)
    if hline is not None:
        ax.axhline(hline[0], color=MUTED, lw=1.0, ls="--")
        ax.text(ax.get_xlim()[1], hline[0], hline[1] + " ", ha="right", va="bottom", fontsize=8, color="#6b7785")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if xlabel == "update step":  # thousands of them
        ax.xaxis.set_major_formatter(plt.FuncFormatter(_thousands))
    ax.legend(loc="upper right")
    return ax.figure


def bands(series, ylabel="validation bits per character", xlabel="update step", hline=None, ylim=None):
    """Mean learning curves over seeds, each in a band of one standard deviation: ``series`` maps a
    label to (x, mean, sd) arrays. ``hline`` = (value, label) draws a reference level."""
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    for (label, (x, mean, sd)), color in zip(series.items(), PALETTE * 3):
        ax.fill_between(x, mean - sd, mean + sd, color=color, alpha=0.18, lw=0)
        ax.plot(x, mean, color=color, lw=1.4, label=label)
    return curves({}, ylabel, xlabel, ax=ax, hline=hline, ylim=ylim)


def bare(ax, title):
    """An axis that only holds a grid of characters: its title, no ticks, grid or frame."""
    ax.set_title(title, fontsize=9, loc="left")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


def activations(text, values, units, width=64, rows=6):
    """The characters of ``text`` on a grid, each on the colour of a hidden unit's activation.

    values : (len(text), m) activations in [-1, 1]; units : {title: unit index}. Red is +1, blue -1;
    a line break shows as ↵ and starts a new row.
    """
    cells, row, col = [], 0, 0  # (row, column, character index)
    for i, ch in enumerate(text):
        if row >= rows:
            break
        cells.append((row, col, i))
        col += 1
        if ch == "\n" or col == width:
            row, col = row + 1, 0
    fig, axes = plt.subplots(len(units), 1, figsize=(7.5, 0.26 * rows * len(units) + 0.35 * len(units)))
    axes = np.atleast_1d(axes)
    for ax, (title, unit) in zip(axes, units.items()):
        grid = np.full((rows, width), np.nan)
        for r, c, i in cells:
            grid[r, c] = values[i, unit]
        # a wider colour range than [-1, 1] keeps saturated units light enough to read the text on
        ax.imshow(grid, cmap="RdBu_r", vmin=-1.6, vmax=1.6, aspect="auto", interpolation="nearest")
        for r, c, i in cells:
            ch = "↵" if text[i] == "\n" else text[i]
            ax.text(c, r, ch, ha="center", va="center", fontsize=6.5, family="DejaVu Sans Mono")
        bare(ax, title)
    fig.tight_layout(h_pad=0.6)
    return fig


def lengths(real, generated, limit, labels=("real documents", "generated texts")):
    """Histograms of the lengths of real and generated texts (characters each), on the same bins up to ``limit``."""
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    edges = np.linspace(0, limit + 1, min(limit + 1, 36) + 1)
    for values, label, color in zip((real, generated), labels, (INK, ACCENT)):
        ax.hist(values, bins=edges, density=True, histtype="step", lw=1.4, color=color, label=label)
    ax.set_xlabel("characters")
    ax.set_ylabel("share of texts per character")
    ax.legend(loc="upper right")
    return fig
