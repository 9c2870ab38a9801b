"""The compiled engine does the same math as the NumPy one."""

import numpy as np
import pytest

from rnn_lib.nets import optim, rnn
from rnn_lib.text.corpus import load_corpus
from rnn_lib.training import engines, loop
from rnn_lib.training.state import State

numba_engine = pytest.importorskip("rnn_lib.training.compiled", reason="numba is not installed")


def _state(K, m, optimizer, seed=0):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(K, m, rng, sigma=0.1)
    state = State(
        params=params,
        opt=optim.init_state(optimizer, params),
        hprev=np.zeros(m),
        best=rnn.copy(params),
        rng=rng,
        smooth_loss=100.0,
    )
    for memory in (v for k, v in state.opt.items() if k != "t"):  # a history, so every term matters
        for a in memory:
            a[...] = rng.random(a.shape)
    state.opt["t"] = 7
    state.hprev = 0.3 * np.tanh(rng.standard_normal(m))
    return state


@pytest.mark.parametrize("optimizer", ["adagrad", "rmsprop", "adam"])
def test_one_update_agrees_with_numpy(optimizer):
    ids, vocab, _ = load_corpus()
    ids = ids[:5000]
    a, b = _state(len(vocab), 100, optimizer), _state(len(vocab), 100, optimizer)
    a.e = b.e = 250
    hp = optim.DEFAULTS[optimizer]
    loss_np, smooth_np = engines.resolve("numpy").updates(a, ids, 1, 25, 5.0, optimizer, hp)
    loss_nb, smooth_nb = engines.resolve("numba").updates(b, ids, 1, 25, 5.0, optimizer, hp)
    assert loss_nb[0] == pytest.approx(loss_np[0], abs=1e-10)
    assert smooth_nb[0] == pytest.approx(smooth_np[0], abs=1e-10)
    assert (a.e, a.opt["t"], a.best_step) == (b.e, b.opt["t"], b.best_step)
    np.testing.assert_allclose(b.hprev, a.hprev, rtol=0, atol=1e-10)
    for name in rnn.Params._fields:
        np.testing.assert_allclose(getattr(b.params, name), getattr(a.params, name), rtol=0, atol=1e-10)
        np.testing.assert_allclose(getattr(b.best, name), getattr(a.best, name), rtol=0, atol=1e-10)
        for key in optim.MEMORIES[optimizer]:
            np.testing.assert_allclose(getattr(b.opt[key], name), getattr(a.opt[key], name), rtol=0, atol=1e-10)


def test_gradients_agree_with_numpy():
    rng = np.random.default_rng(3)
    K, m, T = 30, 20, 25
    params = rnn.init_params(K, m, rng, 0.2)
    x, y, h0 = rng.integers(0, K, T), rng.integers(0, K, T), 0.2 * rng.standard_normal(m)
    loss, grads, h = rnn.loss_and_grads(params, x, y, h0)
    H = np.zeros((T + 1, m))
    H[0] = h0
    out = [np.empty_like(a) for a in params]
    compiled_loss = numba_engine._loss_and_grads(
        *params, x, y, H, np.empty((T, K)), np.empty((T, m)), np.empty(m), *out
    )
    assert compiled_loss == pytest.approx(loss, abs=1e-10)
    np.testing.assert_allclose(H[T], h, atol=1e-12)
    for g_np, g_nb in zip(grads, out):
        np.testing.assert_allclose(g_nb, g_np, rtol=0, atol=1e-10)


@pytest.mark.parametrize("temperature, top_p", [(1.0, None), (0.6, None), (1.2, 0.9), (1e-6, None)])
def test_sampling_with_the_same_random_numbers_gives_the_same_text(temperature, top_p):
    # NumPy's SIMD tanh and exp and the C library's differ in the last bit for some
    # inputs. A contracting network (like a trained one, or this one: spectral radius
    # about 0.5) forgets such differences; a chaotic one (sigma = 0.3 here) amplifies
    # them until, after hundreds of characters, one lands on the other side of a boundary.
    rng = np.random.default_rng(5)
    params = rnn.init_params(40, 30, rng, sigma=0.1)
    uniforms, h0 = rng.random(2000), 0.1 * rng.standard_normal(30)
    a = engines.resolve("numpy").sample(params, h0, 3, uniforms, temperature, top_p)
    b = engines.resolve("numba").sample(params, h0, 3, uniforms, temperature, top_p)
    np.testing.assert_array_equal(a, b)


def test_whole_runs_agree_statistically(small_corpus, tmp_path):
    # Step for step, two correct float64 implementations drift apart after ~20 AdaGrad
    # updates (sqrt(m + 1e-8) amplifies rounding); their learning curves must not.
    kw = dict(corpus=str(small_corpus), steps=3000, m=32, history_every=100, sample_length=0, progress=False)
    a = loop.train(run_dir=tmp_path / "a", engine="numpy", **kw)
    b = loop.train(run_dir=tmp_path / "b", engine="numba", **kw)
    assert b.summary["final_smooth_loss"] == pytest.approx(a.summary["final_smooth_loss"], rel=0.05)
    assert b.summary["best_smooth_loss"] == pytest.approx(a.summary["best_smooth_loss"], rel=0.05)


def test_auto_picks_the_compiled_engine():
    assert engines.resolve("auto").name == "numba"
    assert engines.resolve("numpy").name == "numpy"
