"""Engines: who performs the updates and the sampling loop.

An engine offers the same two operations, with the same float64 math:

``updates(state, ids, n, seq_length, clip, optimizer, hp, end=-1) -> (losses, smooth)``
    performs ``n`` consecutive training updates on ``state`` (a :class:`rnn_lib.training.state.State`) in place:
    chunk at position ``state.e``, loss and gradients, smooth loss, best-model tracking,
    clipping, optimizer step, hidden state carried over, and ``e`` and ``hprev`` reset
    to zero at the end of an epoch; with ``end`` (the end-of-text id) the text is a sequence of
    documents, and chunks stop at, and ``hprev`` resets after, every END (the rules of
    :mod:`rnn_lib.training.update`). Returns the loss and smooth loss of every update (n,). If a loss
    says that the run diverged (:func:`rnn_lib.training.update.diverged`: not finite, or far above the
    uniform guess) the block stops there, without applying that update: the arrays then end with it, its
    smooth loss NaN.
``sample(params, h0, x0, uniforms, temperature=1.0, top_p=None) -> ids``
    as :func:`rnn_lib.nets.sample.sample_ids`.
``prepare() -> seconds``
    whatever must happen once before the first update (compilation); returns its duration.

``numpy`` is :mod:`rnn_lib.training.update`, the readable update driven from Python;
``numba`` is :mod:`rnn_lib.training.compiled`, the same math compiled, about twice as fast. On minibatches
(:func:`minibatch_engine`) NumPy does the work, and numba compiles only the LSTM's backward pass through its gates.
"""

import time
from types import SimpleNamespace

from ..nets import registry
from ..nets.sample import sample_ids, stream_ids
from .update import minibatch_updates, numpy_updates

ENGINES = ("auto", "numpy", "numba")


def minibatch_engine(network, B, recipe=None, engine="auto"):
    """The engine of ``network`` (:mod:`rnn_lib.nets.registry`) on minibatches of B streams
    (:mod:`rnn_lib.text.streams`): its ``updates`` take the streams (B, L+1) where the others take the text,
    and ``state.hprev`` is the network's state of all B streams. Its ``sample`` writes from one stream's
    state: ``h0`` a network state of one stream (the RNN's (1, m), the LSTM's (2, 1, m)). ``recipe``: the
    schedule, clipping and dropout of :mod:`rnn_lib.training.recipe` (default: none of them). ``engine``
    as :func:`resolve` reads it: numba compiles an LSTM's backward pass (:mod:`rnn_lib.nets.lstm_compiled`)."""
    compiled = network != "rnn" and resolve(engine).name == "numba"
    net = registry.get(network, compiled)

    def updates(state, S, n, seq_length, clip, optimizer, hp, end=-1):
        return minibatch_updates(net, state, S, n, seq_length, clip, optimizer, hp, recipe)

    def sample(params, h0, x0, uniforms, temperature=1.0, top_p=None):
        return stream_ids(network, params, h0, x0, uniforms, temperature, top_p)

    prepare = _timed(_compile_lstm) if compiled else lambda: 0.0
    name = f"{'numba' if compiled else 'numpy'}, {network}, {B} streams"
    return SimpleNamespace(name=name, updates=updates, sample=sample, prepare=prepare)


def _compile_lstm():
    from ..nets import lstm_compiled

    lstm_compiled.compile_all()


NUMPY = SimpleNamespace(name="numpy", updates=numpy_updates, sample=sample_ids, prepare=lambda: 0.0)
_compiled = {}


def _numba_engine():
    if not _compiled:
        import scipy.linalg  # noqa: F401  numba's np.dot calls the BLAS that scipy ships

        from . import compiled

        _compiled["engine"] = SimpleNamespace(
            name="numba", updates=compiled.updates, sample=compiled.sample, prepare=_timed(compiled.compile_all)
        )
    return _compiled["engine"]


def _timed(function):
    def run():
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    return run


def resolve(name):
    """The engine called ``name``; "auto" is numba when it (and scipy) import, else numpy.

    Raises ValueError for an unknown name and ImportError when "numba" is asked for but missing.
    """
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    if name == "numpy":
        return NUMPY
    try:
        return _numba_engine()
    except ImportError as err:
        if name == "numba":
            raise ImportError(
                f"the numba engine needs numba and scipy ({err}): pip install numba scipy, or use engine='numpy'"
            ) from None
        return NUMPY
