"""Analytic gradients against centred finite differences, for the RNN, its batched form and the LSTM."""

import numpy as np

from ..text import streams
from . import dropout, lstm, reference, registry, rnn


def numerical_grad(loss_fn, array, entries, h=1e-4):
    """Centred differences ``(L(θ+h) - L(θ-h)) / 2h`` for the flat ``entries`` of ``array``.

    ``array`` is perturbed in place and restored exactly; returns shape (len(entries),).
    """
    flat = array.reshape(-1)  # a view: perturbing it perturbs the model
    out = np.empty(len(entries))
    for i, k in enumerate(entries):
        old = flat[k]
        flat[k] = old + h
        plus = loss_fn()
        flat[k] = old - h
        minus = loss_fn()
        flat[k] = old
        out[i] = (plus - minus) / (2 * h)
    return out


def relative_error(analytic, numeric, eps=1e-10):
    """Element-wise ``|ga - gn| / max(eps, |ga| + |gn|)``."""
    return np.abs(analytic - numeric) / np.maximum(eps, np.abs(analytic) + np.abs(numeric))


def check_gradients(params, x, y, h0, h=1e-4, max_entries=None, rng=None, eps=1e-10, loss_and_grads=None, loss=None):
    """Compare :func:`rnn_lib.nets.rnn.loss_and_grads` with centred differences, per parameter.

    Another network is checked by passing its functions ``loss_and_grads(params, x, y, h0)`` and
    ``loss(params, x, y, h0)`` (e.g. those of :mod:`rnn_lib.nets.rnn_batched` or :mod:`rnn_lib.nets.lstm`,
    with x, y (B, T) and ``h0`` the state they start from); the defaults are the RNN's.

    Every entry is checked, unless ``max_entries`` is given: then a parameter with more
    entries is checked on that many drawn without replacement by ``rng``.
    Gradients are the raw ones (no clipping). Returns ``{name: stats}`` in the order
    b, c, U, W, V, where stats holds ``checked``, ``size``, ``max_rel`` and ``mean_rel``
    (the element-wise relative error), ``norm_rel`` (the same formula applied to the
    Euclidean norms of the whole checked gradient, which small entries cannot dominate),
    ``max_abs`` and ``max_grad`` (largest analytic magnitude, for scale).
    """
    # Looked up at call time, not bound as defaults, so that a test can replace the model's.
    loss_and_grads = loss_and_grads or rnn.loss_and_grads
    loss = loss or rnn.loss
    _, grads, _ = loss_and_grads(params, x, y, h0)
    rng = rng if rng is not None else np.random.default_rng(0)
    results = {}
    for name, array, grad in zip(params._fields, params, grads):
        size = array.size
        if max_entries is not None and size > max_entries:
            entries = np.sort(rng.choice(size, max_entries, replace=False))
        else:
            entries = np.arange(size)
        numeric = numerical_grad(lambda: loss(params, x, y, h0), array, entries, h)
        analytic = grad.reshape(-1)[entries]
        rel = relative_error(analytic, numeric, eps)
        results[name] = {
            "checked": len(entries),
            "size": size,
            "max_rel": float(rel.max()),
            "mean_rel": float(rel.mean()),
            "norm_rel": float(
                np.linalg.norm(analytic - numeric) / max(eps, np.linalg.norm(analytic) + np.linalg.norm(numeric))
            ),
            "max_abs": float(np.abs(analytic - numeric).max()),
            "max_grad": float(np.abs(analytic).max()),
        }
    return results


def check_network(ids, K, m, sigma, seed=0, seq_length=25, h=1e-4, max_entries=None):
    """Check a fresh network (weights ``sigma * randn`` drawn with ``seed``) on the first
    ``seq_length`` characters of ``ids`` (N,), from h0 = 0.

    Returns ``(results, agreement)``: :func:`check_gradients`'s table, and the largest
    difference between the fast gradients and those of the literal implementation.
    """
    params = rnn.init_params(K, m, np.random.default_rng(seed), sigma)
    x, y, h0 = ids[:seq_length], ids[1 : seq_length + 1], np.zeros(m)
    results = check_gradients(params, x, y, h0, h=h, max_entries=max_entries, rng=np.random.default_rng(seed))
    _, fast, _ = rnn.loss_and_grads(params, x, y, h0)
    _, literal, _ = reference.rnn_loss_and_grads(params, x, y, h0)
    return results, max(float(np.abs(a - b).max()) for a, b in zip(fast, literal))


def sigma_params(K, m, rng, sigma, network="lstm"):
    """Parameters of ``network`` (an LSTM of :mod:`rnn_lib.nets.registry`), biases included, all drawn as
    ``sigma * randn``: no entry is special, so every gradient entry is generic (:func:`rnn_lib.nets.lstm.init_params`
    makes most biases exactly 0 and 1)."""
    net = registry.get(network)
    return net.params(*(sigma * rng.standard_normal(shape) for shape in net.shapes(K, m)))


def check_recipe(ids, K, m, network="lstm2", p=0.0, seed=0, seq_length=25, batch=2, sigma=0.5, h=1e-4,
                 max_entries=None):  # fmt: skip
    """Check ``network`` ("lstm" or "lstm2") with dropout of chance ``p``, its masks drawn once with ``seed`` and held
    fixed, so that the loss is a function of the parameters: the backward pass of chapter 7's recipe. On the first
    minibatch of ``batch`` streams of ``ids`` (N,), ``seq_length`` characters each, from a state that is not zero
    (drawn with ``seed``); every parameter ``sigma * randn``. Returns :func:`check_gradients`'s table."""
    rng = np.random.default_rng(seed)
    net = registry.get(network)
    params = sigma_params(K, m, rng, sigma, network)
    X, Y = streams.chunk(streams.cut(ids, batch, seq_length), 0, seq_length)
    state = 0.5 * np.tanh(rng.standard_normal(net.zero(batch, m).shape))
    masks = dropout.masks(rng, net.dropouts, (seq_length, batch, m), p)
    extra = [] if masks is None else [masks]
    return check_gradients(
        params, X, Y, state, h, max_entries, rng,
        loss_and_grads=lambda *a: net.loss_and_grads(*a, *extra), loss=lambda *a: net.loss_and_grads(*a, *extra)[0],
    )  # fmt: skip


def check_lstm(ids, K, m, seed=0, seq_length=25, batch=1, sigma=None, h=1e-4, max_entries=None):
    """Check an LSTM on the first minibatch of ``batch`` streams of ``ids`` (N,) (:mod:`rnn_lib.text.streams`),
    ``seq_length`` characters each, from the zero state.

    The network is :func:`rnn_lib.nets.lstm.init_params`'s drawn with ``seed``, or with ``sigma`` every
    parameter ``sigma * randn`` (:func:`sigma_params`). Returns ``(results, agreement)`` as
    :func:`check_network`: the table of :func:`check_gradients`, and the largest difference between
    :func:`rnn_lib.nets.lstm.loss_and_grads` and the mean over streams of the literal implementation's.
    """
    rng = np.random.default_rng(seed)
    params = lstm.init_params(K, m, rng) if sigma is None else sigma_params(K, m, rng, sigma)
    X, Y = streams.chunk(streams.cut(ids, batch, seq_length), 0, seq_length)
    state = lstm.zero_state(batch, m)
    pick = np.random.default_rng(seed)  # the entries checked, as check_network draws them
    results = check_gradients(
        params, X, Y, state, h, max_entries, pick, loss_and_grads=lstm.loss_and_grads, loss=lstm.loss
    )
    _, fast, _ = lstm.loss_and_grads(params, X, Y, state)
    literal = [reference.lstm_loss_and_grads(params, X[j], Y[j], (state.h[j], state.cell[j]))[1] for j in range(batch)]
    mean = (np.mean(arrays, axis=0) for arrays in zip(*literal))
    return results, max(float(np.abs(a - b).max()) for a, b in zip(fast, mean))
