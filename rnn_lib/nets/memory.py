"""How much memory training takes, estimated before anything is allocated, and the refusal of what would not fit.

A run holds its state all along: the parameters, the best ones and the optimizer's memories. On top of it
come, one at a time, the gradients and the optimizer's temporaries (a few arrays of the largest parameter)
with the activations of a chunk (B streams of T characters: hidden states, the LSTM's gates, the output
layer's probabilities), a save (``last.npz`` is built in memory, then written), and a held-out evaluation
(:func:`rnn_lib.evaluation.heldout.memory`). The peak is the state, the text's ids, and the largest of the
three. Measured against NumPy's allocations (tracemalloc) for both networks, both dtypes, B = 1 and B = 32,
the estimate lies within [0.7, 1.6] of the peak (tests/training/test_memory.py, docs/cli.md).
"""

import os

import numpy as np

from . import optim, registry

SAVED_AT_ONCE = 16 * 2**20  # numpy writes an array into an .npz through a buffer of at most this many bytes
# bytes per character of a chunk, in units of the itemsize: per hidden unit and per character of the vocabulary
ACTIVATIONS = {"rnn": (4, 3), "lstm": (13, 3), "lstm2": (28, 3)}


def parts(network, K, m, batch=1, seq_length=25, dtype="float64", optimizer="adagrad", characters=0, held_out=0):
    """The bytes training takes, by what they grow with: ``{"state", "update", "activations", "save",
    "held_out", "text"}``; :func:`peak` adds them up. ``characters``: of the text, as int64 ids (twice on
    minibatches, which copy them into streams); ``held_out``: what evaluating it adds (0 for none)."""
    item = np.dtype(dtype).itemsize
    shapes = registry.get(network).shapes(K, m)
    size = sum(int(np.prod(shape)) for shape in shapes) * item
    largest = max(int(np.prod(shape)) for shape in shapes) * item
    memories = len(optim.MEMORIES[optimizer]) if optimizer else 0
    per_unit, per_character = ACTIVATIONS[network]
    rows = m if network == "rnn" else 4 * m  # the pre-activations a character's input reaches: dU's rows
    minibatch = network != "rnn" or batch > 1
    # on minibatches, dU gathers the rows of dA that read each character in turn: at most all of them
    indices = item * rows if minibatch else 0
    return {
        "state": (2 + memories) * size,  # parameters, best parameters, optimizer memories
        "update": size + (4 if optimizer == "adam" else 3) * largest,  # gradients, the optimizer's temporaries
        "activations": batch * seq_length * (item * (per_unit * m + per_character * K) + indices),
        "save": (2 + memories) * size + min(largest, SAVED_AT_ONCE),  # last.npz in memory, then one array's buffer
        "held_out": held_out,
        "text": 8 * characters * (2 if minibatch else 1),
    }


def peak(needs):
    """The most memory at once of :func:`parts`' ``needs``: the state and the text, and the largest of an update
    with its activations, a save and an evaluation."""
    passing = max(needs["update"] + needs["activations"], needs["save"], needs["held_out"])
    return needs["state"] + needs["text"] + passing


def culprit(needs):
    """What ``needs`` grows with most: "parameters" (m and K), "activations" (B, T and m) or "held_out"."""
    grows = {"parameters": needs["state"] + needs["save"], "activations": needs["activations"],
             "held_out": needs["held_out"], "text": needs["text"]}  # fmt: skip
    return max(grows, key=grows.get)


def machine():
    """This machine's memory in bytes."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def gradcheck(K, m, seq_length, characters):
    """Bytes of :mod:`rnn_lib.nets.gradcheck` on the RNN: parameters and gradients, one chunk, the text's ids."""
    needs = parts("rnn", K, m, 1, seq_length, optimizer=None, characters=characters)
    return needs["state"] + needs["activations"] + needs["text"]  # the state without memories: params, grads


def check(needed, what, doing, fix, total=None):
    """Refuse (MemoryError) ``needed`` bytes when this machine (or ``total`` bytes) has fewer: one line that says
    that ``what`` (e.g. "--m 4000") needs about so many GiB ``doing`` (e.g. "to train"), and ``fix``."""
    total = machine() if total is None else total
    if needed > total:
        raise MemoryError(
            f"{what} needs about {needed / 2**30:,.1f} GiB of memory {doing}, and this machine has "
            f"{total / 2**30:,.1f} GiB: {fix}"
        )
