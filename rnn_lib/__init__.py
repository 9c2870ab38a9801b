"""A vanilla character-level RNN in NumPy, after DD2424 Assignment 4; its layers: docs/architecture.md."""

from .nets.rnn import Params, init_params, loss_and_grads
from .nets.sample import generate
from .training.loop import train
from .training.settings import Config

__all__ = ["Config", "Params", "generate", "init_params", "loss_and_grads", "train"]
