"""What training on minibatches may add to the assignment's update: a schedule of the step size, clipping by the
gradient's norm, and dropout (chapter 7's recipe). The assignment's run has none of them.

- **Schedule.** Update k (0, 1, ...) of a run of ``total`` updates steps with ``eta * rate(k)``. A warm-up of
  ``warmup`` updates grows the rate linearly to 1 (nanoGPT's); after it, ``constant`` stays at 1, ``cosine``
  falls along half a cosine to ``final`` at the last update (nanoGPT's), and ``step`` is multiplied by the
  same factor at the start of every epoch, down to ``final`` in the last one (char-rnn's ``learning_rate_decay``).
- **Dropout.** Update k draws its masks from a generator seeded with (seed, k), so a run resumed from
  ``last.npz`` drops the very units that one session would have: the masks need no state of their own.
"""

import math
from dataclasses import dataclass

import numpy as np

from ..nets import dropout

SCHEDULES = ("constant", "cosine", "step")


def rate(k, total, schedule="constant", warmup=0, final=0.1, per_epoch=None):
    """The factor of eta at update ``k`` (0-based) of ``total``; ``per_epoch`` updates for ``step``."""
    if k < warmup:
        return (k + 1) / warmup
    if schedule == "constant":
        return 1.0
    if schedule == "cosine":
        progress = (k - warmup) / max(1, total - 1 - warmup)  # 0 after the warm-up, 1 at the last update
        return final + (1 - final) * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
    if schedule == "step":
        epochs = max(1, math.ceil(total / per_epoch))
        return final ** (min(k // per_epoch, epochs - 1) / max(1, epochs - 1))
    raise ValueError(f"unknown schedule {schedule!r}: choose one of {', '.join(SCHEDULES)}")


def masks(seed, k, layers, shape, p, dtype=np.float64):
    """Update ``k``'s dropout masks (:func:`rnn_lib.nets.dropout.masks`) for ``shape`` = (T, B, m), from a generator
    seeded with (``seed``, k); None for p = 0."""
    return dropout.masks(np.random.default_rng([seed, k]), layers, shape, p, dtype) if p and layers else None


@dataclass(frozen=True)
class Recipe:
    """How a run's updates differ from the assignment's: :func:`rate`'s settings, how ``clip`` acts ("entries",
    the assignment's, or "norm"), and dropout's chance ``dropout`` with the run's ``seed``."""

    total: int = 1
    schedule: str = "constant"
    warmup: int = 0
    final: float = 0.1
    per_epoch: int = 1
    clipping: str = "entries"
    dropout: float = 0.0
    seed: int = 0

    @classmethod
    def of(cls, config, total, per_epoch):
        """The recipe of ``config`` (:class:`rnn_lib.training.settings.Config`) over a run of ``total`` updates."""
        return cls(total, config.schedule, config.warmup, config.final_eta, per_epoch, config.clipping,
                   config.dropout, config.seed)  # fmt: skip

    def eta(self, hp, k):
        """The optimizer's hyperparameters ``hp`` for update ``k``: its eta scaled by :func:`rate`."""
        if self.schedule == "constant" and k >= self.warmup:
            return hp
        return {**hp, "eta": hp["eta"] * rate(k, self.total, self.schedule, self.warmup, self.final, self.per_epoch)}
