"""Every character a UTF-8 text can hold comes back from a checkpoint as it was, NUL and the other control
characters among them; checkpoints written before the vocabulary was kept as code points still load."""

import numpy as np
import pytest

from rnn_lib.__main__ import main
from rnn_lib.nets import rnn
from rnn_lib.text.corpus import load_corpus
from rnn_lib.training import checkpoint, loop
from rnn_lib.training.settings import Config
from rnn_lib.training.state import initial

CONTROLS = [chr(c) for c in range(32)] + ["\x7f"]
ODD = ["\x85", "\xa0", "\u0301", "\u200b", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff", "😀", "\U0001f469",
       "\U000e0001", "\U0010ffff"]  # fmt: skip


def _saved(tmp_path, vocab):
    """Write both checkpoints of a model over ``vocab`` and load them back: ``(best's info, last's state)``."""
    rng = np.random.default_rng(0)
    params = rnn.init_params(len(vocab), 4, rng, 0.1)
    state = initial(params, "adagrad", np.zeros(4), rng, smooth_loss=10.0)
    stats = {"md5": "0" * 32, "characters": 100}
    config = Config(m=4, seq_length=5)
    checkpoint.save(tmp_path, state, config, vocab, stats)
    _, info = checkpoint.load(tmp_path / "best.npz", vocab)
    stats["corpus"] = "text.txt"
    return info, checkpoint.load_state(tmp_path / "last.npz", config, vocab, stats)


def test_every_control_character_comes_back(tmp_path):
    vocab = sorted(CONTROLS + ["a", "b"])
    info, state = _saved(tmp_path, vocab)
    assert info["vocab"] == vocab and state.step == 0


@pytest.mark.parametrize("where", [0, 1, 5, -1])
def test_a_nul_comes_back_wherever_it_stands(tmp_path, where):
    vocab = list("abcdefg")
    vocab.insert(where if where >= 0 else len(vocab), "\0")
    assert _saved(tmp_path, vocab)[0]["vocab"] == vocab


def test_a_vocabulary_of_odd_characters_alone_comes_back(tmp_path):
    vocab = ODD + ["\0", "\x01", "\x1f", "\x7f"]
    assert _saved(tmp_path, vocab)[0]["vocab"] == vocab


def test_a_checkpoint_that_keeps_the_vocabulary_as_text_still_loads(tmp_path):
    # as versions before vocab_codes wrote it: a string array, where numpy turned a NUL into ""
    vocab = ["\0", "\n", "a", "b"]
    _saved(tmp_path, vocab)
    for name in ("best.npz", "last.npz"):
        with np.load(tmp_path / name) as f:
            arrays = dict(f)
        arrays["vocab"] = np.array(vocab)
        del arrays["vocab_codes"]
        np.savez(tmp_path / name, **arrays)
        with np.load(tmp_path / name) as f:
            assert f["vocab"].tolist()[0] == ""  # the loss that made such models unusable
    _, info = checkpoint.load(tmp_path / "best.npz", vocab)
    stats = {"md5": "0" * 32, "characters": 100, "corpus": "text.txt"}
    state = checkpoint.load_state(tmp_path / "last.npz", Config(m=4, seq_length=5), vocab, stats)
    assert info["vocab"] == vocab and state.step == 0


CORPORA = {
    "every control character": "".join(CONTROLS).replace("\r", "") * 20 + "the end\n" * 20,
    "a NUL at the end of each line": "to be\0\nor not\0\n" * 40,
    "odd characters alone": ("".join(ODD) + "\0\n") * 30,
}


@pytest.mark.parametrize("name", CORPORA)
def test_a_corpus_of_odd_characters_trains_samples_and_resumes_from_the_command_line(name, tmp_path, capsys):
    corpus = tmp_path / "odd.txt"
    corpus.write_text(CORPORA[name], encoding="utf-8", newline="")
    _, vocab, _ = load_corpus(corpus)
    run = ["train", "--corpus", str(corpus), "--out", str(tmp_path / "run"), *"--m 8 --seq-length 10 --quiet".split()]
    assert main([*run, "--steps", "30"]) == 0
    capsys.readouterr()
    assert main(["sample", "--run", str(tmp_path / "run"), "--length", "200"]) == 0
    written = capsys.readouterr().out
    assert set(written) <= set(vocab) | {"\n"} and len(written) == 201
    assert main(["sample", "--run", str(tmp_path / "run"), "--checkpoint", "last", "--length", "5"]) == 0
    assert main([*run, "--steps", "60"]) == 0, capsys.readouterr().err
    assert "error" not in capsys.readouterr().err
    resumed = loop.train(Config(corpus=str(corpus), m=8, seq_length=10, steps=60), tmp_path / "run", progress=False)
    assert resumed.state.step == 60 and resumed.vocab == vocab
