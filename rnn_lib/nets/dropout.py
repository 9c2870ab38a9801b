"""Dropout on the connections upward (Zaremba et al. 2014): a hidden state on its way to the layer above or to the
output is multiplied by a mask, 0 for a dropped unit (chance p) and 1 / (1 - p) for a kept one (inverted dropout),
so that the input the connection above expects is unchanged and evaluation needs no mask. The recurrent
connections, h_{t-1} to step t, are never dropped: that keeps what a layer carries through time."""

import numpy as np


def masks(rng, layers, shape, p, dtype=np.float64):
    """``layers`` masks (layers, T, B, m) for ``shape`` = (T, B, m), drawn from ``rng``; None for p = 0."""
    if not p or not layers:
        return None
    mask = (rng.random((layers, *shape), dtype=np.float32) >= p).astype(dtype)
    mask *= np.dtype(dtype).type(1 / (1 - p))  # in the mask's dtype: no float64 array on the way
    return mask


def dropped(H, mask):
    """The hidden states H (T+1, B, m) as the connection above reads them: h_t ⊙ mask_t for t >= 1, with ``mask``
    (T, B, m) from :func:`masks`; H itself for None. ``H[0]``, the state before the minibatch, is never read above."""
    if mask is None:
        return H
    out = H.copy()
    out[1:] *= mask
    return out
