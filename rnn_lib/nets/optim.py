"""Gradient clipping (each entry, or the norm of all) and the optimizers: AdaGrad (the assignment's), RMSProp and Adam.

Every optimizer updates the parameters in place. Its state is a dict of Params
(memories with the parameters' shapes) plus a step counter ``t``, so that a
checkpoint can store it as plain arrays.
"""

import math

import numpy as np

from .rnn import zeros_like

DEFAULTS = {
    "adagrad": {"eta": 0.1, "eps": 1e-8},
    "rmsprop": {"eta": 0.001, "gamma": 0.9, "eps": 1e-8},
    "adam": {"eta": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}
MEMORIES = {"adagrad": ("m",), "rmsprop": ("ms",), "adam": ("m1", "m2")}


def clip(grads, limit=5.0):
    """Clip every gradient entry to [-limit, limit], in place; returns ``grads``."""
    for g in grads:
        np.clip(g, -limit, limit, out=g)
    return grads


def clip_norm(grads, limit=5.0):
    """Scale all gradients by one factor, in place, so that their norm together is at most ``limit``: the direction
    of the step is kept (Pascanu et al. 2013; nanoGPT's and PyTorch's ``clip_grad_norm_``). Returns ``grads``."""
    norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    if norm > limit:
        for g in grads:
            g *= limit / norm
    return grads


CLIPPING = {"entries": clip, "norm": clip_norm}


def init_state(name, params):
    """Zero memories for optimizer ``name`` ('adagrad', 'rmsprop' or 'adam')."""
    if name not in DEFAULTS:
        raise ValueError(f"unknown optimizer {name!r}: choose one of {', '.join(DEFAULTS)}")
    state = {key: zeros_like(params) for key in MEMORIES[name]}
    state["t"] = 0
    return state


def hyperparameters(name, **given):
    """The defaults of optimizer ``name`` overridden by the non-None values in ``given``."""
    hp = dict(DEFAULTS[name])
    hp.update({k: v for k, v in given.items() if k in hp and v is not None})
    if hp["eta"] <= 0:
        raise ValueError(f"the learning rate eta must be positive (got {hp['eta']})")
    return hp


def adagrad(params, grads, state, eta=0.1, eps=1e-8):
    """m += g*g;  theta -= eta * g / sqrt(m + eps)   (eps inside the root, as the assignment writes it)."""
    for theta, g, m in zip(params, grads, state["m"]):
        m += g * g
        theta -= eta * g / np.sqrt(m + eps)
    state["t"] += 1


def rmsprop(params, grads, state, eta=0.001, gamma=0.9, eps=1e-8):
    """ms = gamma*ms + (1-gamma)*g*g;  theta -= eta * g / sqrt(ms + eps)."""
    for theta, g, ms in zip(params, grads, state["ms"]):
        ms *= gamma
        ms += (1 - gamma) * g * g
        theta -= eta * g / np.sqrt(ms + eps)
    state["t"] += 1


def adam(params, grads, state, eta=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam (Kingma & Ba 2015): theta -= eta * m1_hat / (sqrt(m2_hat) + eps)."""
    state["t"] += 1
    t = state["t"]
    for theta, g, m1, m2 in zip(params, grads, state["m1"], state["m2"]):
        m1 *= beta1
        m1 += (1 - beta1) * g
        m2 *= beta2
        m2 += (1 - beta2) * g * g
        theta -= eta * (m1 / (1 - beta1**t)) / (np.sqrt(m2 / (1 - beta2**t)) + eps)


STEPS = {"adagrad": adagrad, "rmsprop": rmsprop, "adam": adam}
