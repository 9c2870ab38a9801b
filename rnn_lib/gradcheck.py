"""Analytic gradients against centred finite differences."""

import numpy as np

from . import model, reference


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


def check_gradients(params, x, y, h0, h=1e-4, max_entries=None, rng=None, eps=1e-10):
    """Compare :func:`rnn_lib.model.loss_and_grads` with centred differences, per parameter.

    Every entry is checked, unless ``max_entries`` is given: then a parameter with more
    entries is checked on that many drawn without replacement by ``rng``.
    Gradients are the raw ones (no clipping). Returns ``{name: stats}`` in the order
    b, c, U, W, V, where stats holds ``checked``, ``size``, ``max_rel`` and ``mean_rel``
    (the element-wise relative error), ``norm_rel`` (the same formula applied to the
    Euclidean norms of the whole checked gradient, which small entries cannot dominate),
    ``max_abs`` and ``max_grad`` (largest analytic magnitude, for scale).
    """
    _, grads, _ = model.loss_and_grads(params, x, y, h0)
    rng = rng if rng is not None else np.random.default_rng(0)
    results = {}
    for name, array, grad in zip(params._fields, params, grads):
        size = array.size
        if max_entries is not None and size > max_entries:
            entries = np.sort(rng.choice(size, max_entries, replace=False))
        else:
            entries = np.arange(size)
        numeric = numerical_grad(lambda: model.loss(params, x, y, h0), array, entries, h)
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
    params = model.init_params(K, m, np.random.default_rng(seed), sigma)
    x, y, h0 = ids[:seq_length], ids[1 : seq_length + 1], np.zeros(m)
    results = check_gradients(params, x, y, h0, h=h, max_entries=max_entries, rng=np.random.default_rng(seed))
    _, fast, _ = model.loss_and_grads(params, x, y, h0)
    _, literal, _ = reference.loss_and_grads(params, x, y, h0)
    return results, max(float(np.abs(a - b).max()) for a, b in zip(fast, literal))
