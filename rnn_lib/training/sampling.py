"""What ``python -m rnn_lib sample`` writes from a run folder: the checkpoint it reads, the options that fit
that run (one that does not is refused in one line, never silently ignored), and the text, written to the
output as it is made, so that a passage of any length or any number of texts needs no more memory than a
short one and ``| head`` sees its first characters at once."""

from pathlib import Path

import numpy as np

from ..nets.sample import documents, passage
from ..text.documents import END
from . import checkpoint, run_folder
from .options import option
from .settings import Config, Sampling

# options of sample that only one kind of run reads: a model of one long text, or one of documents
PASSAGE_ONLY, DOCUMENTS_ONLY = ("length", "prime"), ("texts", "limit")


def load(s):
    """``(params, info, note)``: the checkpoint that the settings ``s`` (:class:`Sampling`) name, and a line to
    tell the user when the run folder's other checkpoint holds another network (files copied by hand), or None."""
    folder = Path(s.run) if s.run else run_folder.default_run_dir()
    if not folder.is_dir():
        where = "is a file, not a run folder" if folder.exists() else "not found"
        raise ValueError(
            f"run folder {folder} {where}: train first (python -m rnn_lib train --out DIR), or give --run the "
            "folder of a trained run"
        )
    params, info = checkpoint.load(folder / f"{s.checkpoint}.npz")
    _refuse_options_that_do_not_fit(s, info["config"], folder)
    return params, info, _another_network(folder, s.checkpoint, info)


def _refuse_options_that_do_not_fit(s, config, folder):
    on_documents = bool(config.get("documents"))
    unused = DOCUMENTS_ONLY if not on_documents else PASSAGE_ONLY
    given = [name for name in unused if getattr(s, name) != getattr(Sampling, name)]  # a default is no request
    if not given:
        return
    options = " and ".join(option(name) for name in given)
    if on_documents:
        raise ValueError(
            f"{folder} holds a model of documents, which writes whole texts from the end-of-text character: "
            f"{options} {'is' if len(given) == 1 else 'are'} for a model of one long text; leave "
            f"{'it' if len(given) == 1 else 'them'} out (--texts sets how many texts, --limit their length)"
        )
    raise ValueError(
        f"{folder} holds a model of one long text, which writes one passage: {options} "
        f"{'is' if len(given) == 1 else 'are'} for a model of documents (train --documents); give --length instead"
    )


def _another_network(folder, name, info):
    """A line saying that the folder's other checkpoint belongs to another run, or None."""
    other = "last" if name == "best" else "best"
    try:
        _, theirs = checkpoint.load(folder / f"{other}.npz")
    except checkpoint.CheckpointError:  # missing or unusable: it is not what is sampled
        return None
    mine, yours = Config.recorded(info["config"]), Config.recorded(theirs["config"])
    best, last = (info, theirs) if name == "best" else (theirs, info)
    same = mine is not None and yours is not None and not mine.differences(yours)
    if same and info["vocab"] == theirs["vocab"] and best["step"] <= last["step"]:  # the best is of the way so far
        return None
    return (
        f"note: {folder}'s {name}.npz ({_network(info)}) and {other}.npz ({_network(theirs)}) are of different runs: "
        f"this is {name}.npz's text (--checkpoint {other} for the other)"
    )


def _network(info):
    c = info["config"]
    kind = "on documents" if c.get("documents") else f"B = {c.get('batch', 1)}"
    return f"{c['model']}, m = {c['m']}, K = {len(info['vocab'])}, {kind}, step {info['step']:,}"


def write(s, params, info, out):
    """Write what the settings ``s`` ask of the model ``params`` to ``out`` (a text stream), piece by piece,
    each flushed: the same characters as :func:`rnn_lib.nets.sample.generate` (or ``generate_documents``)."""
    rng, config = np.random.default_rng(s.seed), info["config"]
    if not config.get("documents"):
        for piece in passage(params, info["vocab"], s.length, rng, s.prime, None, s.temperature, s.top_p,
                             config["model"]):  # fmt: skip
            out.write(piece)
            out.flush()
        out.write("\n")
        return
    limit, ended = s.limit or config["limit"], 0
    written = documents(params, info["vocab"], s.texts, rng, END, limit, s.temperature, s.top_p)
    for k, (text, stopped) in enumerate(written, start=1):
        how = "ended by itself" if stopped else f"stopped at the limit of {limit}"
        out.write(f"--- text {k} of {s.texts}: {len(text)} characters, {how}\n{text}\n\n")
        out.flush()
        ended += stopped
    out.write(f"{ended} of {s.texts} texts ended by themselves; {s.texts - ended} hit the limit of {limit}\n")
