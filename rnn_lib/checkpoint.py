"""The training state and its two checkpoints, ``.npz`` files of plain arrays.

``best.npz`` holds the parameters with the lowest smooth loss; ``last.npz`` everything a
run needs to continue exactly where it stopped. Both carry the vocabulary and the run's
Config, so that each can be used on its own, and both are read with
``allow_pickle=False`` and written atomically.
"""

import dataclasses
import io
import json
import math
import zipfile
from pathlib import Path

import numpy as np

from . import model, optim
from .config import Config
from .files import write_atomic

READ_ERRORS = (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError)


class CheckpointError(ValueError):
    """A checkpoint cannot be used; the message says what to do."""


@dataclasses.dataclass
class State:
    """Everything that changes during training: what ``last.npz`` stores."""

    params: model.Params
    opt: dict  # optimizer memories (Params) and their step counter "t"
    hprev: np.ndarray  # (m,) hidden state carried into the next chunk
    best: model.Params
    rng: np.random.Generator  # draws the samples
    step: int = 0
    e: int = 0  # position of the next chunk in the corpus
    smooth_loss: float = math.nan
    best_loss: float = math.inf
    best_step: int = 0
    seconds: float = 0.0  # training time so far, over all sessions of the run


def save(run_dir, state, config, vocab, stats):
    """Write ``best.npz``, then ``last.npz`` (the one resume trusts) into ``run_dir``.

    ``stats`` (:func:`rnn_lib.data.corpus_stats`) identifies the text: resume checks it."""
    meta = {
        "vocab": np.array(vocab),
        "config": np.array(json.dumps(dataclasses.asdict(config))),
        "corpus_md5": np.array(stats["md5"]),
        "corpus_characters": np.array(stats["characters"]),
    }
    best = {**_arrays(state.best), **meta, "step": np.array(state.best_step), "smooth_loss": np.array(state.best_loss)}
    last = {
        **_arrays(state.params),
        **meta,
        **_arrays(state.best, "best."),
        "step": np.array(state.step),
        "e": np.array(state.e),
        "hprev": state.hprev,
        "smooth_loss": np.array(state.smooth_loss),
        "best_loss": np.array(state.best_loss),
        "best_step": np.array(state.best_step),
        "seconds": np.array(state.seconds),
        "rng": np.array(json.dumps(state.rng.bit_generator.state)),
        "opt.t": np.array(state.opt["t"]),
    }
    for key, memory in state.opt.items():
        if key != "t":
            last.update(_arrays(memory, f"opt.{key}."))
    write_atomic(Path(run_dir) / "best.npz", _npz_bytes(best))
    write_atomic(Path(run_dir) / "last.npz", _npz_bytes(last))


def load(path, vocab=None):
    """Parameters and metadata of a checkpoint (``best.npz`` or ``last.npz``).

    Returns ``(params, info)`` where info holds ``vocab``, ``step``, ``smooth_loss`` and ``config``.
    Raises :class:`CheckpointError` when the file is corrupt or was trained on another vocabulary.
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint {path} not found: train first (python -m rnn_lib train --out DIR)")
    arrays = _read(path)
    params = _params(arrays, path)
    try:
        info = {
            "vocab": [str(ch) for ch in arrays["vocab"]],
            "step": int(arrays["step"]),
            "smooth_loss": float(arrays["smooth_loss"]),
            "config": json.loads(str(arrays["config"])),
        }
    except (KeyError, ValueError) as err:
        raise CheckpointError(f"checkpoint {path} is incomplete ({err}): train again") from None
    K = len(info["vocab"])
    if not (
        params.U.shape == (params.m, K)
        and params.W.shape == (params.m, params.m)
        and params.V.shape == (K, params.m)
        and params.c.shape == (K,)
    ):
        raise CheckpointError(f"checkpoint {path} has inconsistent parameter shapes: it is corrupt; train again")
    if vocab is not None and list(vocab) != info["vocab"]:
        raise CheckpointError(
            f"checkpoint {path} was trained on another vocabulary ({K} characters, this "
            f"corpus has {len(vocab)}): use the corpus it was trained on, or another run folder"
        )
    return params, info


def load_state(path, config, vocab, stats):
    """The :class:`State` in ``last.npz`` at ``path``, to continue its run with ``config`` on the
    text that ``stats`` (:func:`rnn_lib.data.corpus_stats`) describes."""
    params, info = load(path, vocab)
    folder = Path(path).parent
    differ = Config(**info["config"]).differences(config)
    if differ:
        raise CheckpointError(
            f"run folder {folder} holds a run with other settings ({', '.join(differ)}): choose another "
            f"run folder (--out), or start over with --fresh (resume=False in Python)"
        )
    arrays = _read(path)
    trained_on = (str(arrays.get("corpus_md5", "")), int(arrays.get("corpus_characters", -1)))
    if trained_on != (stats["md5"], stats["characters"]):
        raise CheckpointError(
            f"run folder {folder} was trained on another text than {stats['corpus']} as it is now "
            f"({trained_on[1]:,} characters then, {stats['characters']:,} now, or other characters): train on "
            f"the text it was trained on, choose another run folder (--out), or start over with --fresh"
        )
    try:
        rng = np.random.default_rng()
        rng.bit_generator.state = json.loads(str(arrays["rng"]))
        opt = {key: _params(arrays, path, f"opt.{key}.") for key in optim.MEMORIES[config.optimizer]}
        opt["t"] = int(arrays["opt.t"])
        return State(
            params=params,
            opt=opt,
            hprev=np.array(arrays["hprev"], dtype=float),
            best=_params(arrays, path, "best."),
            rng=rng,
            step=int(arrays["step"]),
            e=int(arrays["e"]),
            smooth_loss=float(arrays["smooth_loss"]),
            best_loss=float(arrays["best_loss"]),
            best_step=int(arrays["best_step"]),
            seconds=float(arrays["seconds"]),
        )
    except (KeyError, ValueError, TypeError) as err:
        raise CheckpointError(f"checkpoint {path} is incomplete ({err}): train again with resume=False") from None


def _arrays(params, prefix=""):
    return {prefix + name: a for name, a in zip(params._fields, params)}


def _npz_bytes(arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _read(path):
    try:
        with np.load(path, allow_pickle=False) as f:
            return {k: f[k] for k in f.files}
    except READ_ERRORS as err:
        raise CheckpointError(
            f"checkpoint {path} is corrupt or unreadable ({type(err).__name__}: {err}): "
            "delete the run folder and train again"
        ) from None


def _params(arrays, path, prefix=""):
    try:
        return model.Params(*(np.array(arrays[prefix + name], dtype=np.float64) for name in model.Params._fields))
    except KeyError as err:
        raise CheckpointError(
            f"checkpoint {path} lacks {err.args[0]!r}: it was not written by this version of rnn_lib; train again"
        ) from None
