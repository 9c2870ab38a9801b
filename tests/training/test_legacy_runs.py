"""Run folders trained before the library was cut into layers (commit 4ce174d) still load, and resume as
they would have gone on.

tests/data/runs-4ce174d was made at that commit, in that folder, with
    python -m rnn_lib train --corpus small.txt --steps 100 --m 8 --checkpoint-every 50 --sample-every 50
        --sample-length 40 --out rnn
    python -m rnn_lib train --corpus small.txt --steps 30 --m 8 --model lstm --batch 2 --validation 0.1
        --eval-every 10 --checkpoint-every 10 --sample-every 10 --sample-length 40 --out lstm
"""

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest

from rnn_lib.training import checkpoint
from rnn_lib.training.loop import train
from rnn_lib.training.settings import Config

LEGACY = Path(__file__).resolve().parent.parent / "data" / "runs-4ce174d"
RUNS = {
    "rnn": dict(m=8, checkpoint_every=50, sample_every=50, sample_length=40),
    "lstm": dict(
        m=8,
        model="lstm",
        batch=2,
        validation=0.1,
        eval_every=10,
        checkpoint_every=10,
        sample_every=10,
        sample_length=40,
    ),  # fmt: skip
}


@pytest.mark.parametrize("name", RUNS)
def test_a_run_trained_before_the_layers_resumes_as_it_would_have_gone_on(name, tmp_path, monkeypatch):
    shutil.copytree(LEGACY, tmp_path / "old")
    shutil.copytree(LEGACY, tmp_path / "twice")
    monkeypatch.chdir(tmp_path / "old")  # the checkpoints name their corpus as it was typed: small.txt
    params, info = checkpoint.load(Path(name) / "last.npz")
    assert info["config"]["m"] == 8 and params.W.shape[1] == 8
    steps = 2 * info["step"]  # as many updates again as it had trained
    config = Config(corpus="small.txt", steps=steps, **RUNS[name])
    resumed = train(config, name, progress=False)
    fresh = train(config, tmp_path / "fresh", progress=False)
    assert resumed.state.step == fresh.state.step == steps
    # The same run as one trained here from the start, but for rounding: the folder was written on another
    # CPU, whose BLAS kernels round differently in the last bit.
    for a, b in zip((*resumed.state.params, *resumed.state.best), (*fresh.state.params, *fresh.state.best)):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(resumed.history, fresh.history, rtol=1e-9)
    assert [s["step"] for s in resumed.samples] == [s["step"] for s in fresh.samples]
    # Resumed here in two sessions instead of one: to the bit.
    monkeypatch.chdir(tmp_path / "twice")
    train(dataclasses.replace(config, steps=info["step"] + info["step"] // 2), name, progress=False)
    again = train(config, name, progress=False)
    for a, b in zip((*again.state.params, *again.state.best), (*resumed.state.params, *resumed.state.best)):
        np.testing.assert_array_equal(a, b)
    assert again.samples == resumed.samples
    np.testing.assert_array_equal(again.history, resumed.history)


@pytest.mark.parametrize("name", RUNS)
def test_a_run_trained_before_the_vocabulary_was_kept_as_code_points_loads_and_resumes(
    name, tmp_path, capsys, monkeypatch
):
    # they keep `vocab` as a string array; resumed, they are saved with vocab_codes and load again
    shutil.copytree(LEGACY, tmp_path / "old")
    monkeypatch.chdir(tmp_path / "old")
    folder = Path(name)
    with np.load(folder / "last.npz") as f:
        assert "vocab" in f.files and "vocab_codes" not in f.files
    config = Config(corpus="small.txt", **RUNS[name])
    steps = 2 * checkpoint.load(folder / "last.npz")[1]["step"]
    resumed = train(config, folder, progress=False, steps=steps)
    assert resumed.state.step == steps and "cannot be read" not in capsys.readouterr().err
    with np.load(folder / "last.npz") as f:
        assert "vocab_codes" in f.files
    assert checkpoint.load(folder / "best.npz")[1]["vocab"] == resumed.vocab
