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
from . import checkpoint_layout, checkpoint_records, checkpoint_vocab
from .checkpoint_layout import MEMORY_NAMES  # noqa: F401 (the tests name them)

# memories that accumulate squared gradients, so never negative: AdaGrad's, RMSProp's, Adam's second moment
SQUARES = {"m", "ms", "m2"}
KINDS = {"U": "text", "S": "bytes", "O": "Python objects", "b": "booleans", "i": "integers", "u": "integers"}


class Invalid(ValueError):
    """A checkpoint breaks a rule; ``diverged`` when its numbers say that training diverged, ``fix`` what to
    do when it is not to start over."""

    def __init__(self, problem, diverged=False, fix=None):
        super().__init__(problem)
        self.diverged, self.fix = diverged, fix


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
    hprev = _floats(arrays, "hprev", *checkpoint_layout.hprev(config, m))
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


def declared(arrays, forms):
    """Before the large arrays of a checkpoint are read: refuse any whose declared ``forms`` (key: (shape,
    dtype), from the .npy headers) are not what the settings and the vocabulary in ``arrays`` (its small
    arrays, read) make them. Returns the keys of the arrays a checkpoint holds, which may be large."""
    vocab, config = _vocab(arrays), _config(arrays)
    expected = checkpoint_layout.layout(config, len(vocab))
    for key, (shape, dtype) in forms.items():
        if key in expected:
            _form(np.dtype(dtype), shape, *expected[key])
    return set(expected)


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


def _form(found_dtype, found_shape, label, shape, symbols, dtype):
    """Refuse an array of ``found_dtype`` and ``found_shape`` where ``label`` of ``shape`` and ``dtype`` belongs."""
    if found_dtype != np.dtype(dtype):  # no silent cast: integers or text here mean the file is not what it claims
        raise Invalid(f"{label} holds {KINDS.get(found_dtype.kind, str(found_dtype))}, where {dtype} numbers belong")
    if tuple(found_shape) != tuple(shape):
        raise Invalid(f"{label} has shape {tuple(found_shape)}, expected {symbols} = {tuple(shape)}")


def _floats(arrays, key, label, shape, symbols, dtype="float64", diverged=False):
    """The ``dtype`` array ``key`` of ``shape``, all finite, C-contiguous (the compiled engine's flat views need it)."""
    a = _array(arrays, key)
    _form(a.dtype, a.shape, label, shape, symbols, dtype)
    if not np.isfinite(a).all():
        what = "NaN" if np.isnan(a).any() else "inf"
        raise Invalid(f"{label} holds {what}" + (", so the run diverged" if diverged else ""), diverged)
    return np.ascontiguousarray(a)


def _params(arrays, prefix, m, K, network="rnn", dtype="float64"):
    """The network's Params read from ``prefix + name``, with the shapes of m hidden units and K characters."""
    memory = prefix[len("opt.") : -1] if prefix.startswith("opt.") else None  # "opt.m1." -> "m1"
    out = []
    for key, spec in checkpoint_layout.specs(prefix, m, K, network, dtype).items():
        a = _floats(arrays, key, *spec, diverged=prefix in ("", "best."))
        if memory in SQUARES and (a < 0).any():
            raise Invalid(f"{spec[0]} holds negative values, but it sums squared gradients")
        out.append(a)
    return registry.get(network).params(*out)


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
    if checkpoint_vocab.LEGACY not in arrays:
        _array(arrays, checkpoint_vocab.CODES)
    try:
        return checkpoint_vocab.read(arrays, _kind)
    except ValueError as err:
        raise Invalid(str(err)) from None


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
