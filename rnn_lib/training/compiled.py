"""The compiled copy of the readable update (:mod:`rnn_lib.training.update`): the same float64 math as
:mod:`rnn_lib.nets.rnn`, :mod:`rnn_lib.nets.optim` and :mod:`rnn_lib.nets.sample`, compiled with numba so
that a whole block of updates runs without returning to Python. It exists only for speed (docs/speed.md);
the tests hold it to the readable update.

A NumPy update makes a few hundred small calls, each with microseconds of overhead;
here the matrix products still go to BLAS (``np.dot(..., out)``, through scipy), and
everything else is a plain loop. See :mod:`rnn_lib.training.engines` for the contract.
"""

import math

import numba
import numpy as np

from ..nets import optim, rnn
from ..nets.optim import MEMORIES
from ..nets.sample import check_sampling
from . import update
from .state import initial

OPTIMIZERS = {"adagrad": 0, "rmsprop": 1, "adam": 2}
jit = numba.njit(cache=True, error_model="numpy")
# the assignment's rules, compiled from the very functions the NumPy engine calls
smooth_rule, improves_rule, next_position_rule = jit(update.smooth), jit(update.improves), jit(update.next_position)
chunk_length_rule, resets_rule, diverged_rule = jit(update.chunk_length), jit(update.resets), jit(update.diverged)


@jit
def _loss_and_grads(b, c, U, W, V, x, y, H, P, dA, tmp, gb, gc, gU, gW, gV):
    """Forward and backward pass over one chunk; H[0] holds h0 on entry.

    Writes H (T+1, m), the gradients g*, and uses P (T, K), dA (T, m), tmp (m,) as scratch.
    Returns the summed cross-entropy.
    """
    T, m, K = x.shape[0], b.shape[0], c.shape[0]
    for t in range(T):
        np.dot(W, H[t], tmp)
        for i in range(m):
            H[t + 1, i] = math.tanh(tmp[i] + U[i, x[t]] + b[i])
    Hs = H[1:]
    np.dot(Hs, V.T, P)
    loss = 0.0
    for t in range(T):  # P becomes dL/do_t = p_t - onehot(y_t)
        top = -np.inf
        for k in range(K):
            P[t, k] += c[k]
            top = max(top, P[t, k])
        total = 0.0
        target = P[t, y[t]] - top
        for k in range(K):
            P[t, k] = math.exp(P[t, k] - top)
            total += P[t, k]
        loss += math.log(total) - target
        for k in range(K):
            P[t, k] /= total
        P[t, y[t]] -= 1.0
    np.dot(P.T, Hs, gV)
    gc[:] = 0.0
    for t in range(T):
        for k in range(K):
            gc[k] += P[t, k]
    np.dot(P, V, dA)
    for t in range(T - 1, -1, -1):  # dA becomes dL/da_t
        if t < T - 1:
            np.dot(dA[t + 1], W, tmp)
            for i in range(m):
                dA[t, i] += tmp[i]
        for i in range(m):
            dA[t, i] *= 1.0 - H[t + 1, i] * H[t + 1, i]
    np.dot(dA.T, H[:T], gW)
    gU[:, :] = 0.0
    gb[:] = 0.0
    for t in range(T):
        for i in range(m):
            gb[i] += dA[t, i]
            gU[i, x[t]] += dA[t, i]
    return loss


@jit
def _step(theta, g, m1, m2, kind, clip, eta, eps, beta1, beta2, t):
    """Clip ``g`` and apply one optimizer step to ``theta``, element by element (flat views)."""
    correction1, correction2 = 1 - beta1**t, 1 - beta2**t  # Adam's, once per array
    for i in range(theta.shape[0]):
        gi = min(max(g[i], -clip), clip)
        if kind == 0:  # AdaGrad
            m1[i] += gi * gi
            theta[i] -= eta * gi / math.sqrt(m1[i] + eps)
        elif kind == 1:  # RMSProp, beta1 = gamma
            m1[i] = beta1 * m1[i] + (1 - beta1) * gi * gi
            theta[i] -= eta * gi / math.sqrt(m1[i] + eps)
        else:  # Adam
            m1[i] = beta1 * m1[i] + (1 - beta1) * gi
            m2[i] = beta2 * m2[i] + (1 - beta2) * gi * gi
            theta[i] -= eta * (m1[i] / correction1) / (math.sqrt(m2[i] / correction2) + eps)


# A compiled kernel's long argument list reads best a few to a line.
# fmt: off
@jit
def _updates(b, c, U, W, V, gb, gc, gU, gW, gV, flat, flat_grads, flat_best, flat_m1, flat_m2, hprev, ids,
             e, smooth, best_loss, best_step, step, t_opt, n, seq_length, clip, kind, eta, eps, beta1, beta2,
             losses, smooths, end):
    """``n`` updates; ``flat*`` are tuples of 1-D views of the five parameters, gradients, best
    parameters and optimizer memories (the same memory as b, c, U, W, V and gb ... gV)."""
    m, K = b.shape[0], c.shape[0]
    H = np.empty((seq_length + 1, m))
    P = np.empty((seq_length, K))
    dA = np.empty((seq_length, m))
    tmp = np.empty(m)
    for k in range(n):
        length = chunk_length_rule(ids, e, seq_length, end)
        if length != H.shape[0] - 1:  # a document ends within seq_length characters: scratch of its size
            H, P, dA = np.empty((length + 1, m)), np.empty((length, K)), np.empty((length, m))
        H[0] = hprev
        x, y = ids[e : e + length], ids[e + 1 : e + length + 1]
        loss = _loss_and_grads(b, c, U, W, V, x, y, H, P, dA, tmp, gb, gc, gU, gW, gV)
        losses[k] = loss
        if diverged_rule(loss, length, K):
            smooths[k] = np.nan
            return k + 1, e, smooth, best_loss, best_step, t_opt
        smooth = smooth_rule(smooth, loss)
        smooths[k] = smooth
        if improves_rule(smooth, best_loss):
            best_loss, best_step = smooth, step + k
            for j in range(5):
                flat_best[j][:] = flat[j]
        t_opt += 1
        for j in range(5):
            _step(flat[j], flat_grads[j], flat_m1[j], flat_m2[j], kind, clip, eta, eps, beta1, beta2, t_opt)
        e = next_position_rule(e, length, ids.shape[0], seq_length, end)
        if resets_rule(ids, e, end):  # a new epoch, or a new document
            hprev[:] = 0.0
        else:
            hprev[:] = H[length]
    return n, e, smooth, best_loss, best_step, t_opt


# fmt: on


def _flat(params):
    return tuple(a.reshape(-1) for a in params)


def updates(state, ids, n, seq_length, clip, optimizer, hp, end=-1):
    """The engine contract of :mod:`rnn_lib.training.engines`, compiled."""
    memories = [state.opt[key] for key in MEMORIES[optimizer]]
    grads = tuple(np.empty_like(a) for a in state.params)
    losses, smooth = np.empty(n), np.empty(n)
    beta1 = hp.get("gamma", hp.get("beta1", 0.0))
    # fmt: off
    done, state.e, state.smooth_loss, state.best_loss, state.best_step, state.opt["t"] = _updates(
        *state.params, *grads, _flat(state.params), _flat(grads), _flat(state.best), _flat(memories[0]),
        _flat(memories[-1]), state.hprev, ids, int(state.e), float(state.smooth_loss), float(state.best_loss),
        int(state.best_step), int(state.step), int(state.opt["t"]), int(n), int(seq_length), float(clip),
        OPTIMIZERS[optimizer], float(hp["eta"]), float(hp["eps"]), float(beta1), float(hp.get("beta2", 0.0)),
        losses, smooth, int(end))
    # fmt: on
    return losses[:done], smooth[:done]


def compile_all():
    """Compile (or load from numba's cache) both loops, on a network of two units."""
    params = rnn.init_params(3, 2, np.random.default_rng(0))
    for optimizer in OPTIMIZERS:
        state = initial(params, optimizer, np.zeros(2), smooth_loss=1.0)
        for end in (-1, 0):  # one long text, and documents
            updates(
                state, np.array([0, 1, 0, 2, 0], dtype=np.int64), 2, 2, 5.0, optimizer, optim.DEFAULTS[optimizer], end
            )
    sample(params, np.zeros(2), 0, np.zeros(1))
    sample(params, np.zeros(2), 0, np.zeros(1), top_p=0.9)


@jit
def _sample(b, c, U, W, V, h0, x0, uniforms, temperature, top_p, out):
    m, K = b.shape[0], c.shape[0]
    h, tmp, o, p = h0.copy(), np.empty(m), np.empty(K), np.empty(K)
    x = x0
    for t in range(uniforms.shape[0]):
        np.dot(W, h, tmp)
        for i in range(m):
            h[i] = math.tanh(tmp[i] + U[i, x] + b[i])
        np.dot(V, h, o)
        o += c
        top = o.max()
        for k in range(K):
            p[k] = math.exp((o[k] - top) / temperature)
        p /= p.sum()
        if top_p < 1.0:
            order = np.argsort(-p, kind="mergesort")
            kept, mass = np.zeros(K), 0.0
            for r in range(K):
                kept[order[r]] = p[order[r]]
                mass += p[order[r]]
                if mass >= top_p:
                    break
            p[:] = kept / kept.sum()
        cdf = np.cumsum(p)
        x = min(np.searchsorted(cdf, uniforms[t] * cdf[K - 1], side="right"), K - 1)
        out[t] = x
    return out


def sample(params, h0, x0, uniforms, temperature=1.0, top_p=None):
    """As :func:`rnn_lib.nets.sample.sample_ids`, compiled."""
    check_sampling(temperature, top_p)
    out = np.empty(len(uniforms), dtype=np.int64)
    h0, uniforms = np.ascontiguousarray(h0, dtype=np.float64), np.asarray(uniforms, dtype=np.float64)
    top_p = 1.0 if top_p is None else float(top_p)
    return _sample(*params, h0, int(x0), uniforms, float(temperature), top_p, out)
