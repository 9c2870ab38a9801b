"""What a run trains on, and the held-out loss it is scored by.

The training text is one long text or a sequence of documents (:mod:`rnn_lib.text.short_texts`), split
into training, validation and test parts; on minibatches, the training part is cut into streams
(:mod:`rnn_lib.text.streams`). The state before the first update is :func:`rnn_lib.training.state.fresh`.
"""

import math

from ..evaluation import heldout
from ..nets import rnn
from ..text import short_texts, streams
from ..text.corpus import CorpusError, default_corpus, load_corpus, split
from ..text.documents import END
from . import update


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
        rnn.check_size(len(vocab), config.m)
        train_ids, validation, test = short_texts.split_documents(ids, vocab.index(END), config.validation, config.test)
        return train_ids, validation, test, vocab, stats
    ids, vocab, stats = load_corpus(config.corpus, config.encoding)
    rnn.check_size(len(vocab), config.m)
    train_ids, validation, test = split(ids, config.validation, config.test)
    if len(train_ids) < config.seq_length + 1:
        raise CorpusError(
            f"corpus {stats['corpus']} has {len(train_ids)} characters to train on, fewer than "
            f"seq_length + 1 = {config.seq_length + 1}: use a longer text or a shorter --seq-length"
        )
    return train_ids, validation, test, vocab, stats


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
