"""The two ways to measure a chunk's loss: the replay's "before" is the run's own loss, to the bit, and
"after" is the same chunk, from the same hidden state, with the parameters the update left."""

import numpy as np
import pytest

from rnn_lib.nets import rnn
from rnn_lib.text.corpus import load_corpus
from rnn_lib.training import after_update
from rnn_lib.training.loop import train
from rnn_lib.training.settings import Config
from rnn_lib.training.state import fresh


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_the_replay_measures_the_runs_own_losses_before_and_after(small_corpus, tmp_path, engine):
    if engine == "numba":
        pytest.importorskip("numba", reason="numba is not installed")
    config = Config(corpus=str(small_corpus), steps=300, m=16, history_every=1, sample_length=0, engine=engine)
    run = train(config, tmp_path / "run", progress=False)
    before, after = after_update.replay(config, 300)
    np.testing.assert_array_equal(before, run.history[:, 2])  # the very losses training recorded
    assert after[:50].mean() < before[:50].mean() - 1  # early on the update fits its own chunk by nats
    longer = train(Config(**{**config.__dict__, "steps": 400}), tmp_path / "longer", progress=False)
    then_before, then_after = after_update.replay(config, 100, run_dir=tmp_path / "run")  # the updates after its end
    np.testing.assert_array_equal(then_before, longer.history[300:, 2])
    assert then_after.shape == (100,) and (tmp_path / "run" / "last.npz").stat().st_size > 0


def test_after_is_the_loss_of_the_same_chunk_with_the_new_parameters(small_corpus):
    config = Config(corpus=str(small_corpus), m=8, engine="numpy", sample_length=0)
    before, after = after_update.replay(config, 1)
    ids, vocab, _ = load_corpus(small_corpus)
    state = fresh(config, ids, vocab)
    assert before[0] == pytest.approx(rnn.loss(state.params, ids[:25], ids[1:26], np.zeros(8)), rel=1e-12)
    assert after[0] < before[0]


def test_minibatches_are_refused(small_corpus):
    with pytest.raises(ValueError, match="one text"):
        after_update.replay(Config(corpus=str(small_corpus), batch=4), 1)
