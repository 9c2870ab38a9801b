"""The two checkpoints of a run, ``.npz`` files of plain arrays.

``best.npz`` holds the parameters with the lowest smooth loss; ``last.npz`` everything a
run needs to continue exactly where it stopped. Both carry the vocabulary and the run's
Config, so that each can be used on its own. Both are written atomically and read with
``allow_pickle=False``, and every array is checked (:mod:`rnn_lib.training.checkpoint_checks`) before anything
computes with it: a file that fails is refused in one line that says what to do.
"""

import contextlib
import dataclasses
import io
import json
from pathlib import Path

import numpy as np

from ..text.corpus import split
from . import checkpoint_archive, checkpoint_checks, checkpoint_vocab
from .atomic import write_atomic
from .settings import Config
from .state import State


class CheckpointError(ValueError):
    """A checkpoint cannot be used; the message says what to do."""


def save(run_dir, state, config, vocab, stats):
    """Write ``best.npz``, then ``last.npz`` (the one resume trusts) into ``run_dir``.

    ``stats`` (:func:`rnn_lib.text.corpus.corpus_stats`) identifies the text: resume checks it."""
    meta = _meta(config, vocab, stats)
    best = _model(state.best, meta, state.best_step, state.best_loss)
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


def save_model(path, params, config, vocab, stats, step, smooth_loss):
    """Write the model ``params`` alone to ``path``, as ``best.npz`` keeps one (:func:`load` reads it): the
    parameters chosen on validation, ``chosen.npz``."""
    write_atomic(Path(path), _npz_bytes(_model(params, _meta(config, vocab, stats), step, smooth_loss)))


def _meta(config, vocab, stats):
    return {
        **checkpoint_vocab.arrays(vocab),
        "config": np.array(json.dumps(dataclasses.asdict(config))),
        "corpus_md5": np.array(stats["md5"]),
        "corpus_characters": np.array(stats["characters"]),
    }


def _model(params, meta, step, smooth_loss):
    return {**_arrays(params), **meta, "step": np.array(step), "smooth_loss": np.array(smooth_loss)}


def load(path, vocab=None):
    """Parameters and metadata of a checkpoint (``best.npz`` or ``last.npz``), every array checked.

    Returns ``(params, info)`` where info holds ``vocab``, ``step``, ``smooth_loss`` and ``config``.
    Raises :class:`CheckpointError` when the file is missing, breaks a rule of :mod:`rnn_lib.training.checkpoint_checks`
    (corrupt, or from a run that diverged) or was trained on another vocabulary than ``vocab``.
    """
    _, params, info = _load(Path(path), vocab)
    return params, info


def load_state(path, config, vocab, stats, n_train=None):
    """The :class:`State` in ``last.npz`` at ``path``, to continue its run with ``config`` on the
    text that ``stats`` (:func:`rnn_lib.text.corpus.corpus_stats`) describes, of which ``n_train``
    characters are trained on (default, for one long text: what :func:`rnn_lib.text.corpus.split` leaves of them)."""
    path = Path(path)
    arrays, params, info = _load(path, vocab)
    with _refusing(path):
        fields, trained_on = checkpoint_checks.training_state(arrays, params, info)
    folder = path.parent
    if trained_on is not None and trained_on != (stats["md5"], stats["characters"]):
        then = trained_on[1]
        how = (
            "other characters"
            if then == stats["characters"]
            else f"{then:,} characters then, {stats['characters']:,} now"
        )
        raise CheckpointError(
            f"run folder {folder} was trained on another text than {stats['corpus']} as it is now ({how}): train "
            f"on the text it was trained on, choose another run folder (--out), or start over with --fresh"
        )
    # the text checked by its md5 above, its path and encoding may change; an older file's counts by its path
    differ = Config(**info["config"]).differences(config, stats if trained_on is not None else None)
    if differ:
        why = " (its step follows a schedule over the run's length)" if {"epochs", "steps"} & set(differ) else ""
        raise CheckpointError(
            f"run folder {folder} holds a run with other settings ({', '.join(differ)}){why}: choose another "
            f"run folder (--out), or start over with --fresh (resume=False in Python)"
        )
    if n_train is None:
        n = stats["characters"]
        n_train = len(split(range(n), config.validation, config.test)[0])
    # chunks of documents stop at every END, so they may start anywhere but on the final one
    last = n_train - 2 if config.documents else n_train - config.seq_length - 1
    with _refusing(path):
        checkpoint_checks.position(fields["e"], last, n_train)
    return State(params=params, **fields)


def _load(path, vocab):
    """``(arrays, params, info)`` of the checkpoint at ``path``; see :func:`load`."""
    if not path.exists():
        raise CheckpointError(f"checkpoint {path} not found: train first (python -m rnn_lib train --out DIR)")
    with _refusing(path):
        arrays = checkpoint_archive.read(path)
        params, info = checkpoint_checks.checkpoint(arrays)
    if vocab is not None and list(vocab) != info["vocab"]:
        how = f"{len(info['vocab'])} characters, this corpus has {len(vocab)}"
        if len(vocab) == len(info["vocab"]):  # as many, not the same ones: a text read in another encoding, say
            there, here = min(set(info["vocab"]) - set(vocab)), min(set(vocab) - set(info["vocab"]))
            how = f"{there!r} where this corpus has {here!r}"
        raise CheckpointError(
            f"checkpoint {path} was trained on another vocabulary ({how}): use the corpus it was trained on, "
            "read as it was then (--encoding), or another run folder"
        )
    return arrays, params, info


@contextlib.contextmanager
def _refusing(path):
    """Turn a broken rule (:class:`.checkpoint_checks.Invalid`) into a CheckpointError that says what to do."""
    try:
        yield
    except checkpoint_checks.Invalid as err:
        raise CheckpointError(_refusal(path, err)) from None


def _refusal(path, problem):
    """One line: the file, what is wrong, and what to do, pointing to the other checkpoint if it is intact
    (a broken last.npz must not cost the user a good best.npz)."""
    head = f"checkpoint {path} cannot be used: {' '.join(str(problem).split())}"
    if problem.fix:
        fix = problem.fix
    elif problem.diverged:
        fix = "train again with --fresh and a lower --eta (or --sigma, for the RNN)"
    else:
        fix = "train with --fresh to start over"
    if path.name == "last.npz" and _intact(path.with_name("best.npz")):
        return (
            f"{head}; best.npz beside it is intact, so the model can still be sampled (python -m rnn_lib sample "
            f"--run {path.parent}): {fix} (your best.npz is kept; resume=False in Python)"
        )
    if path.name == "best.npz" and _intact(path.with_name("last.npz")):
        return (
            f"{head}; last.npz beside it is intact: sample it with --checkpoint last, or {fix} (resume=False in Python)"
        )
    return f"{head}; {fix} (resume=False in Python)"


def _intact(path):
    """Whether the checkpoint at ``path`` passes every check that needs no corpus."""
    try:
        arrays = checkpoint_archive.read(path)
        params, info = checkpoint_checks.checkpoint(arrays)
        if path.name == "last.npz":
            checkpoint_checks.training_state(arrays, params, info)
    except checkpoint_checks.Invalid:
        return False
    return True


def _arrays(params, prefix=""):
    return {prefix + name: a for name, a in zip(params._fields, params)}


def _npz_bytes(arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()
