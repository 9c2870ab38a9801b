"""What a checkpoint must hold, checked before anything computes with it.

A checkpoint is input like a corpus: the compiled engine indexes its arrays without
bounds checks, so an optimizer memory of the wrong shape would make it write past their
end, and a NaN would be trained on and saved again. These functions take the arrays of
an ``.npz`` file (a dict), check every one (presence, dtype, shape, finiteness, range)
and return plain values; they raise :class:`Invalid` with a phrase saying what is wrong,
to which :mod:`rnn_lib.training.checkpoint` adds the file and what to do.
"""

import math

import numpy as np

from ..nets import optim, registry
from . import checkpoint_records
from .settings import Config

# memories that accumulate squared gradients, so never negative: AdaGrad's, RMSProp's, Adam's second moment
SQUARES = {"m", "ms", "m2"}
MEMORY_NAMES = {"m": "AdaGrad memory", "ms": "RMSProp memory", "m1": "Adam first moment", "m2": "Adam second moment"}
KINDS = {"U": "text", "S": "bytes", "O": "Python objects", "b": "booleans", "i": "integers", "u": "integers"}


class Invalid(ValueError):
    """A checkpoint breaks a rule; ``diverged`` when its numbers say that training diverged."""

    def __init__(self, problem, diverged=False):
        super().__init__(problem)
        self.diverged = diverged


def checkpoint(arrays):
    """``(params, info)`` of what ``best.npz`` and ``last.npz`` both hold.

    info: ``vocab`` (list of K characters), ``config`` (dict of :class:`Config`'s settings),
    ``step`` and ``smooth_loss`` (for best.npz, those of the best model).
    """
    vocab = _vocab(arrays)
    config = _config(arrays)
    params = _params(arrays, "", config["m"], len(vocab), config["model"], config["dtype"])
    step = _integer(arrays, "step")
    info = {"vocab": vocab, "step": step, "smooth_loss": _number(arrays, "smooth_loss", step), "config": config}
    return params, info


def training_state(arrays, params, info):
    """The rest of ``last.npz``: ``(fields, trained_on)``, the keyword arguments of a
    :class:`rnn_lib.training.checkpoint.State` but ``params``, and the corpus's ``(md5, characters)`` (None when
    the file does not record it)."""
    config, m, K, step = info["config"], params.m, params.K, info["step"]
    net = registry.get(config["model"])
    network, dtype = config["model"], config["dtype"]
    opt = {key: _params(arrays, f"opt.{key}.", m, K, network, dtype) for key in optim.MEMORIES[config["optimizer"]]}
    opt["t"] = _integer(arrays, "opt.t")
    if not Config(**config).minibatch:  # the assignment's
        hprev = _floats(arrays, "hprev", (m,), "(m,)")
    else:
        shape = net.zero(config["batch"], m).shape
        hprev = _floats(arrays, "hprev", shape, "(2, B, m)" if len(shape) == 3 else "(B, m)", dtype=dtype)
    if np.abs(net.output(hprev)).max(initial=0.0) > 1:
        raise Invalid("hprev holds hidden states outside [-1, 1], which tanh never gives")
    fields = {
        "opt": opt,
        "hprev": hprev,
        "best": _params(arrays, "best.", m, K, network, dtype),
        "rng": _rng(arrays),
        "step": step,
        "e": _integer(arrays, "e"),
        "smooth_loss": info["smooth_loss"],
        "best_loss": _number(arrays, "best_loss", step),
        "best_step": _integer(arrays, "best_step", step, f"an integer between 0 and step = {step}"),
        "seconds": _number(arrays, "seconds"),
    }
    if fields["seconds"] < 0:
        raise Invalid(f"seconds is {fields['seconds']}, a negative training time")
    if "corpus_md5" not in arrays and "corpus_characters" not in arrays:
        return fields, None  # written by an older version, which did not record its corpus
    trained_on = _scalar(arrays, "corpus_md5", "U", "text"), _integer(arrays, "corpus_characters")
    return fields, trained_on


def position(e, last, n_train):
    """Refuse a chunk position ``e`` outside 0 .. ``last``, where the chunks of the ``n_train`` training
    characters start (:func:`rnn_lib.training.update.next_position`)."""
    if not 0 <= e <= last:
        raise Invalid(f"e is {e}, but chunks start at 0 .. {last} in the {n_train:,} training characters")


def _array(arrays, key):
    if key not in arrays:
        raise Invalid(f"it lacks {key!r}, so it was not written by this version of rnn_lib")
    return arrays[key]


def _kind(a):
    return KINDS.get(a.dtype.kind, str(a.dtype))


def _floats(arrays, key, shape, symbols, label=None, diverged=False, dtype="float64"):
    """The ``dtype`` array ``key`` of ``shape``, all finite, C-contiguous (the compiled engine's flat views need it)."""
    a, label = _array(arrays, key), label or key
    if a.dtype != np.dtype(dtype):  # no silent cast: integers or text here mean the file is not what it claims
        raise Invalid(f"{label} holds {_kind(a)}, where {dtype} numbers belong")
    if a.shape != shape:
        raise Invalid(f"{label} has shape {a.shape}, expected {symbols} = {shape}")
    if not np.isfinite(a).all():
        what = "NaN" if np.isnan(a).any() else "inf"
        raise Invalid(f"{label} holds {what}" + (", so the run diverged" if diverged else ""), diverged)
    return np.ascontiguousarray(a)


def _params(arrays, prefix, m, K, network="rnn", dtype="float64"):
    """The network's Params read from ``prefix + name``, with the shapes of m hidden units and K characters."""
    net = registry.get(network)
    shapes = dict(zip(net.params._fields, net.shapes(K, m)))
    symbols = {"b": "(m,)", "c": "(K,)", "U": "(m, K)", "W": "(m, m)", "V": "(K, m)"}  # as the docs write them
    if network == "lstm":
        symbols.update(b="(4m,)", U="(4m, K)", W="(4m, m)")
    memory = prefix[len("opt.") : -1] if prefix.startswith("opt.") else None  # "opt.m1." -> "m1"
    out = []
    for name in net.params._fields:
        label = prefix + name + (f" ({MEMORY_NAMES[memory]})" if memory else "") if prefix else f"parameter {name}"
        a = _floats(arrays, prefix + name, shapes[name], symbols[name], label, prefix in ("", "best."), dtype)
        if memory in SQUARES and (a < 0).any():
            raise Invalid(f"{label} holds negative values, but it sums squared gradients")
        out.append(a)
    return net.params(*out)


def _scalar(arrays, key, kinds, expected):
    """The single value ``key``, of a dtype kind in ``kinds`` (numpy's letters), as a Python value."""
    a = _array(arrays, key)
    if a.shape != () or a.dtype.kind not in kinds:
        shown = f"{a.item()!r:.40}" if a.shape == () else f"an array of shape {a.shape}"
        raise Invalid(f"{key} is {shown} ({_kind(a)}), expected {expected}")
    return a.item()


def _integer(arrays, key, high=math.inf, expected="an integer >= 0"):
    value = _scalar(arrays, key, "iu", expected)
    if not 0 <= value <= high:
        raise Invalid(f"{key} is {value}, expected {expected}")
    return value


def _number(arrays, key, step=None):
    """A finite float. A smooth loss (``step`` given) may be inf before the first update, when no
    model has scored yet; NaN in one means that the run diverged."""
    value = _scalar(arrays, key, "f", "a float number")
    if step is not None and math.isnan(value):
        raise Invalid(f"{key} is NaN, so the run diverged", diverged=True)
    if not (math.isfinite(value) or (step == 0 and value == math.inf)):
        raise Invalid(f"{key} is {value}, expected a finite number")
    return value


def _vocab(arrays):
    a = _array(arrays, "vocab")
    if a.dtype.kind != "U" or a.ndim != 1 or a.size == 0:
        raise Invalid(f"vocab holds {_kind(a)} of shape {a.shape}, where a list of characters belongs")
    vocab = a.tolist()
    for i, ch in enumerate(vocab):
        if len(ch) != 1:  # numpy drops trailing NULs, so a "\0" character comes back as ""
            raise Invalid(f"vocab entry {i} is {ch!r}, not a single character")
    if len(set(vocab)) < len(vocab):
        raise Invalid(f"vocab lists {next(ch for i, ch in enumerate(vocab) if ch in vocab[:i])!r} twice")
    return vocab


def _config(arrays):
    return _record(checkpoint_records.settings, arrays, "config")


def _rng(arrays):
    return _record(checkpoint_records.generator, arrays, "rng")


def _record(read, arrays, key):
    """A record stored as JSON text, read and checked by ``read`` (:mod:`rnn_lib.training.checkpoint_records`)."""
    try:
        return read(_scalar(arrays, key, "U", "JSON text"))
    except ValueError as err:
        raise Invalid(str(err)) from None
