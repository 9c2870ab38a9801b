"""Figures of the report, in one consistent style; each is also saved to the run folder."""
from pathlib import Path

import matplotlib.pyplot as plt

INK, ACCENT, MUTED = "#1f3b57", "#c8553d", "#9aa5b1"


def use_report_style():
    """Matplotlib settings shared by every figure; in a notebook, figures are kept as PNG
    for the screen and PDF (vector) for the report."""
    plt.rcParams.update({
        "figure.figsize": (7.5, 3.6), "figure.dpi": 110, "savefig.bbox": "tight",
        "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10,
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
        "grid.color": "#e6e6e6", "grid.linewidth": 0.6, "legend.frameon": False,
        "pdf.fonttype": 42,
    })
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


def smooth_loss(history, updates_per_epoch, best_step=None, best_loss=None, seq_length=25, ax=None):
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
        ax.annotate(f"best {best_loss:.2f} at step {best_step:,}", (best_step, best_loss),
                    xytext=(-20 if best_step > last / 2 else 20, 45), textcoords="offset points", ha="right" if best_step > last / 2 else "left",
                    fontsize=8, color=ACCENT, bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
                    arrowprops={"arrowstyle": "-", "color": ACCENT, "lw": 0.6})
    if len(smooth):
        ax.set_ylim(min(smooth.min(), best_loss if best_loss is not None else smooth.min()) * 0.88,
                    smooth.max() * 1.04)
    ax.set_xlabel("update step")
    ax.set_ylabel(f"loss (nats per {seq_length} characters)")
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v / 1000:,.0f}k" if v else "0"))
    ax.legend(loc="upper right")
    return ax.figure
