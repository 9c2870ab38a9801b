"""What a run trains on, and where it starts.

The training text is one long text or a sequence of documents (:mod:`rnn_lib.short_texts`), split
into training, validation and test parts; on minibatches, the training part is cut into streams
(:mod:`rnn_lib.streams`). The state before the first update is the assignment's initialisation,
or the network's (:mod:`rnn_lib.networks`).
"""

import math

import numpy as np

from . import evaluate, model, networks, optim, rules, short_texts, streams
from .checkpoint import State
from .data import CorpusError, default_corpus, load_corpus
from .documents import END


def end_id(config, vocab):
    """The id of the end-of-text character when the run trains on documents, else -1 (see :mod:`rnn_lib.rules`)."""
    return vocab.index(END) if config.documents else -1


def training_text(config):
    """``(train, validation, test, vocab, stats)``: the corpus in three contiguous parts (the held-out
    ones empty unless the config asks for them), with its vocabulary and :func:`rnn_lib.data.corpus_stats`.
    On documents (``config.documents``), each part is a run of whole documents (:mod:`rnn_lib.short_texts`)."""
    if config.documents:
        path = config.corpus if config.corpus is not None else default_corpus()
        ids, vocab, stats = short_texts.load(path, config.documents, config.limit, config.too_long)
        model.check_size(len(vocab), config.m)
        train_ids, validation, test = short_texts.split(ids, vocab.index(END), config.validation, config.test)
        return train_ids, validation, test, vocab, stats
    ids, vocab, stats = load_corpus(config.corpus)
    model.check_size(len(vocab), config.m)
    train_ids, validation, test = evaluate.split(ids, config.validation, config.test)
    if len(train_ids) < config.seq_length + 1:
        raise CorpusError(
            f"corpus {stats['corpus']} has {len(train_ids)} characters to train on, fewer than "
            f"seq_length + 1 = {config.seq_length + 1}: use a longer text or a shorter --seq-length"
        )
    return train_ids, validation, test, vocab, stats


def fresh_state(config, ids, vocab, end=-1):
    """The state before the first update: the assignment's initialisation, h0 = 0 (or the network's, on
    minibatches: ``ids`` are then the streams, (B, L+1))."""
    rng = np.random.default_rng(config.seed)
    # The course's reference output starts the smooth loss at the first chunk's loss.
    if config.minibatch:
        net = networks.get(config.model)
        params = net.init(len(vocab), config.m, rng, config.sigma, config.dtype)
        hprev = net.zero(config.batch, config.m, config.dtype)
        first = net.loss_and_grads(params, *streams.chunk(ids, 0, config.seq_length), hprev)[0]
    else:
        params, hprev = model.init_params(len(vocab), config.m, rng, config.sigma), np.zeros(config.m)
        length = rules.chunk_length(ids, 0, config.seq_length, end)
        first = model.loss(params, ids[:length], ids[1 : length + 1], hprev)
    return State(
        params=params,
        opt=optim.init_state(config.optimizer, params),
        hprev=hprev,
        best=model.copy(params),
        rng=rng,
        smooth_loss=first,
    )


def as_read(config, ids, end):
    """``(ids, per_epoch)``: the training text as the engine reads it (on minibatches, B streams side by side,
    each update a chunk of every one: (B, L+1)), and the updates of an epoch."""
    if config.minibatch:
        ids = streams.cut(ids, config.batch, config.seq_length)
        return ids, streams.updates_per_epoch(ids, config.seq_length)
    return ids, rules.updates_per_epoch(len(ids), config.seq_length, ids, end)


def held_out(params, ids, end, network):
    """Nats per character on a held-out part (NaN when it is empty)."""
    if not len(ids):
        return math.nan
    if end >= 0:
        return evaluate.document_cross_entropy(params, ids, end)
    return evaluate.cross_entropy(params, ids, evaluate.STREAMS, network=network)
