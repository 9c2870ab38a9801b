"""What each float array of a checkpoint is, from its settings and its vocabulary alone: its key, the
label a message gives it, its shape (and how the docs write it) and its dtype.

:mod:`rnn_lib.training.checkpoint_checks` checks the arrays against it, and first their .npy headers,
so that an array of the wrong shape is refused before the memory it declares is spent on it.
"""

from ..nets import optim, registry
from .settings import Config

# the records and scalars of a checkpoint, each small: what says which arrays belong, and with what shape
RECORDS = {"vocab", "vocab_codes", "config", "rng", "corpus_md5", "corpus_characters", "step", "smooth_loss", "e",
           "best_loss", "best_step", "seconds", "opt.t"}  # fmt: skip
MEMORY_NAMES = {"m": "AdaGrad memory", "ms": "RMSProp memory", "m1": "Adam first moment", "m2": "Adam second moment"}


def layout(config, K):
    """key: (label, shape, symbols, dtype) of every float array that a ``last.npz`` of ``config`` (a dict of
    checked settings) and K characters holds; ``best.npz`` holds those without a prefix."""
    m, network, dtype = config["m"], config["model"], config["dtype"]
    prefixes = ["", "best.", *(f"opt.{key}." for key in optim.MEMORIES[config["optimizer"]])]
    arrays = {key: spec for prefix in prefixes for key, spec in specs(prefix, m, K, network, dtype).items()}
    arrays["hprev"] = hprev(config, m)
    return arrays


def specs(prefix, m, K, network, dtype):
    """key: (label, shape, symbols, dtype) of the arrays of one set of Params, stored under ``prefix``."""
    net = registry.get(network)
    symbols = {"b": "(m,)", "c": "(K,)", "U": "(m, K)", "W": "(m, m)", "V": "(K, m)"}  # as the docs write them
    if network != "rnn":
        symbols.update(b="(4m,)", U="(4m, K)", W="(4m, m)", b2="(4m,)", U2="(4m, m)", W2="(4m, m)")
    memory = prefix[len("opt.") : -1] if prefix.startswith("opt.") else None  # "opt.m1." -> "m1"
    out = {}
    for name, shape in zip(net.params._fields, net.shapes(K, m)):
        label = prefix + name + (f" ({MEMORY_NAMES[memory]})" if memory else "") if prefix else f"parameter {name}"
        out[prefix + name] = (label, shape, symbols[name], dtype)
    return out


def hprev(config, m):
    """(label, shape, symbols, dtype) of the hidden state that ``last.npz`` carries into the next chunk."""
    if not Config(**config).minibatch:  # the assignment's
        return "hprev", (m,), "(m,)", "float64"
    # the network's state, without allocating one: the settings' ranges are not checked yet
    shape = registry.get(config["model"]).zero(1, 1).shape[:-2] + (config["batch"], m)
    return "hprev", shape, f"({shape[0]}, B, m)" if len(shape) == 3 else "(B, m)", config["dtype"]
