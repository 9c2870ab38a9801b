"""A vanilla character-level RNN in NumPy, after DD2424 Assignment 4; its layers: docs/architecture.md."""

import importlib

# Each name is imported when first used, so that ``python -m rnn_lib`` imports NumPy inside its own
# entry point, where a Ctrl-C during the imports ends in one line (rnn_lib/__main__.py).
_HOME = {
    "Config": ".training.settings",
    "Params": ".nets.rnn",
    "generate": ".nets.sample",
    "init_params": ".nets.rnn",
    "loss_and_grads": ".nets.rnn",
    "train": ".training.loop",
}
__all__ = sorted(_HOME)


def __getattr__(name):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name], __name__), name)


def __dir__():
    return sorted({*globals(), *_HOME})
