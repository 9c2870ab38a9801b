"""What a run trains on, and the held-out loss it is scored by.

The training text is one long text or a sequence of documents (:mod:`rnn_lib.text.short_texts`), split
into training, validation and test parts; on minibatches, the training part is cut into streams
(:mod:`rnn_lib.text.streams`). The state before the first update is :func:`rnn_lib.training.state.fresh`.
"""

import math

import numpy as np

from ..evaluation import heldout
from ..nets import memory
from ..text import short_texts, streams
from ..text.corpus import CorpusError, default_corpus, load_corpus, split
from ..text.documents import END
from . import update
from .settings import Config


def end_id(config, vocab):
    """The id of the end-of-text character when the run trains on documents, else -1 (see :mod:`.update`)."""
    return vocab.index(END) if config.documents else -1


def training_text(config):
    """``(train, validation, test, vocab, stats)``: the corpus in three contiguous parts (the held-out
    ones empty unless the config asks for them), with its vocabulary and :func:`rnn_lib.text.corpus.corpus_stats`.
    On documents (``config.documents``), each part is a run of whole documents (:mod:`rnn_lib.text.short_texts`)."""
    if config.documents:
        path = config.corpus if config.corpus is not None else default_corpus()
        ids, vocab, stats = short_texts.load(path, config.documents, config.limit, config.too_long, config.encoding)
        train_ids, validation, test = short_texts.split_documents(ids, vocab.index(END), config.validation, config.test)
        longest = int(np.diff(np.flatnonzero(ids == vocab.index(END))).max(initial=1))  # a document and its END
        check_memory(config, len(vocab), len(ids), len(validation), len(test), longest)
        return train_ids, validation, test, vocab, stats
    ids, vocab, stats = load_corpus(config.corpus, config.encoding)
    train_ids, validation, test = split(ids, config.validation, config.test)
    check_memory(config, len(vocab), len(ids), len(validation), len(test))
    if len(train_ids) < config.seq_length + 1:
        raise CorpusError(
            f"corpus {stats['corpus']} has {len(train_ids)} characters to train on, fewer than "
            f"seq_length + 1 = {config.seq_length + 1}: use a longer text or a shorter --seq-length"
            + (", or hold out less (--validation, --test)" if config.validation else "")
        )
    return train_ids, validation, test, vocab, stats


FIXES = {
    "parameters": "choose a smaller --m",
    "activations": "choose a smaller --batch or --seq-length, or a smaller --m",
    "held_out": "choose a smaller --m, or with --documents a smaller --limit",  # it reads a block at a time
    "text": "train on a shorter text",
}


def check_memory(config, K, characters, n_validation, n_test, longest=None):
    """Refuse (MemoryError) a run that would not fit in this machine's memory (:mod:`rnn_lib.nets.memory`),
    before its network is allocated: one line naming the settings that would take the most."""
    needs = memory_needs(config, K, characters, n_validation, n_test, longest)
    shown = [f"--model {config.model}"] * (config.model != "rnn") + [f"--m {config.m}"]
    shown += [f"--batch {config.batch}"] * (config.batch > 1) + [f"--seq-length {config.seq_length}"] * (
        config.seq_length != Config.seq_length
    )
    memory.check(memory.peak(needs), "training with " + " ".join(shown), "to train", FIXES[memory.culprit(needs)])


def memory_needs(config, K, characters, n_validation, n_test, longest=None):
    """:func:`rnn_lib.nets.memory.parts` of the run ``config`` on a text of ``characters`` (K distinct ones),
    with held-out parts of ``n_validation`` and ``n_test``; documents of at most ``longest`` characters (default:
    the ``--limit``), which sets how many steps their evaluation reads at once."""
    limit = min(config.limit, longest or config.limit) if config.documents else None
    held_out = max(heldout.memory(config.model, K, config.m, n, config.dtype, limit) for n in (n_validation, n_test))
    return memory.parts(config.model, K, config.m, config.batch, config.seq_length, config.dtype, config.optimizer,
                        characters, held_out)  # fmt: skip


def as_read(config, ids, end):
    """``(ids, per_epoch)``: the training text as the engine reads it (on minibatches, B streams side by side,
    each update a chunk of every one: (B, L+1)), and the updates of an epoch."""
    if config.minibatch:
        ids = streams.cut(ids, config.batch, config.seq_length)
        return ids, streams.updates_per_epoch(ids, config.seq_length)
    return ids, update.updates_per_epoch(len(ids), config.seq_length, ids, end)


def held_out(params, ids, end, network):
    """Nats per character on a held-out part (NaN when it is empty)."""
    if not len(ids):
        return math.nan
    if end >= 0:
        return heldout.document_cross_entropy(params, ids, end)
    return heldout.cross_entropy(params, ids, heldout.STREAMS, network=network)
