"""A checkpoint is input: every array is checked before anything computes with it.

Each test writes valid checkpoints with the library, breaks one thing with plain numpy,
and expects a one-line CheckpointError that names the file and what is wrong.
"""

import copy
import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from rnn_lib.nets import optim, rnn
from rnn_lib.text.corpus import load_corpus
from rnn_lib.training import checkpoint, checkpoint_checks, loop
from rnn_lib.training.checkpoint import CheckpointError
from rnn_lib.training.settings import Config
from rnn_lib.training.state import State

M, SEQ, STEP = 8, 10, 30
TEXT = "To be, or not to be, that is the question:\n" * 10  # 430 characters


@pytest.fixture
def run(tmp_path):
    return _write(tmp_path, "adagrad")


@pytest.fixture(params=["adagrad", "rmsprop", "adam"])
def any_optimizer(request, tmp_path):
    return _write(tmp_path, request.param)


class Run:
    """A run folder with valid checkpoints, and what loading them takes."""

    def __init__(self, folder, config, vocab, stats, next_draw):
        self.folder, self.config, self.vocab, self.stats, self.next_draw = folder, config, vocab, stats, next_draw

    def load(self, name):
        if name == "last.npz":
            return checkpoint.load_state(self.folder / name, self.config, self.vocab, self.stats)
        return checkpoint.load(self.folder / name, self.vocab)


def _write(tmp_path, optimizer, validation=0.0):
    corpus = tmp_path / "text.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    _, vocab, stats = load_corpus(corpus)
    config = Config(corpus=str(corpus), m=M, seq_length=SEQ, optimizer=optimizer, validation=validation)
    rng = np.random.default_rng(0)
    params = rnn.init_params(len(vocab), M, rng, sigma=0.1)
    opt = optim.init_state(optimizer, params)
    for key in optim.MEMORIES[optimizer]:  # a history, so that a negative value stands out
        for a in opt[key]:
            a[...] = rng.random(a.shape)
    opt["t"] = STEP
    hprev = np.tanh(rng.standard_normal(M))
    state = State(params, opt, hprev, rnn.copy(params), rng, step=STEP, e=20, smooth_loss=70.0)
    state.best_loss, state.best_step, state.seconds = 69.5, 25, 1.5
    folder = tmp_path / "run"
    folder.mkdir()
    checkpoint.save(folder, state, config, vocab, stats)
    return Run(folder, config, vocab, stats, copy.deepcopy(rng).random())


def _rewrite(path, change):
    """Apply ``change`` to the dict of arrays of the .npz at ``path`` and write it back, as numpy would."""
    with np.load(path) as f:
        arrays = dict(f)
    change(arrays)
    np.savez(path, **arrays)


def _set(key, value):
    return lambda arrays: arrays.__setitem__(key, value(arrays[key]) if callable(value) else value)


def _drop(key):
    return lambda arrays: arrays.pop(key)


def _json(key, change):
    def rewrite(arrays):
        values = json.loads(str(arrays[key]))
        change(values)
        arrays[key] = np.array(json.dumps(values))

    return rewrite


def _legacy(change):
    """Store the vocabulary as versions before vocab_codes did, a string array, changed by ``change``."""

    def rewrite(arrays):
        arrays["vocab"] = change(np.array([chr(c) for c in arrays.pop("vocab_codes")]))

    return rewrite


def _config(change):
    return _json("config", change)


def _refused(run, name, fragment):
    """Load ``name`` from ``run``: expect a one-line CheckpointError naming the file and ``fragment``."""
    with pytest.raises(CheckpointError) as info:
        run.load(name)
    message = str(info.value)
    assert "\n" not in message and str(run.folder / name) in message
    assert "delete" not in message.lower() and "--fresh" in message
    assert fragment in message, message
    return message


def _grown(a):
    return np.zeros((a.shape[0] + 1, *a.shape[1:]))


def _poisoned(value):
    def poison(a):
        a = a.copy()
        a.flat[3] = value
        return a

    return poison


SHAPES = [(f"{name}", f"parameter {name} has shape") for name in rnn.Params._fields]
SHAPES += [(f"best.{name}", f"best.{name} has shape") for name in rnn.Params._fields]
CORRUPTIONS = {
    # arrays: dtype, non-finite values, shape
    "W int": (_set("W", lambda a: a.astype(np.int64)), "parameter W holds integers, where float64"),
    "W text": (_set("W", lambda a: a.astype(str)), "parameter W holds text"),
    "W float32": (_set("W", lambda a: a.astype(np.float32)), "parameter W holds float32"),
    "W objects": (_set("W", lambda a: a.astype(object)), "array 'W' cannot be read"),
    "best.V int": (_set("best.V", lambda a: a.astype(np.int64)), "best.V holds integers"),
    "W NaN": (_set("W", _poisoned(np.nan)), "parameter W holds NaN, so the run diverged"),
    "c inf": (_set("c", _poisoned(np.inf)), "parameter c holds inf, so the run diverged"),
    "best.U NaN": (_set("best.U", _poisoned(np.nan)), "best.U holds NaN, so the run diverged"),
    "AdaGrad memory NaN": (_set("opt.m.U", _poisoned(np.nan)), "opt.m.U (AdaGrad memory) holds NaN"),
    "AdaGrad memory negative": (_set("opt.m.W", lambda a: -a), "opt.m.W (AdaGrad memory) holds negative"),
    "AdaGrad memory int": (_set("opt.m.b", lambda a: a.astype(int)), "opt.m.b (AdaGrad memory) holds int"),
    "hprev NaN": (_set("hprev", _poisoned(np.nan)), "hprev holds NaN"),
    "hprev shape": (_set("hprev", np.zeros(M + 1)), "hprev has shape (9,), expected (m,) = (8,)"),
    "hprev beyond tanh": (_set("hprev", np.full(M, 1.5)), "hprev holds hidden states outside [-1, 1]"),
    "hprev text": (_set("hprev", lambda a: a.astype(str)), "hprev holds text"),
    # scalars: type and range
    "step negative": (_set("step", np.array(-1)), "step is -1, expected an integer >= 0"),
    "step float": (_set("step", np.array(30.0)), "step is 30.0 (float64), expected an integer"),
    "step text": (_set("step", np.array("30")), "step is '30' (text), expected an integer"),
    "step array": (_set("step", np.array([30, 31])), "step is an array of shape (2,)"),
    "e float": (_set("e", np.array(20.0)), "e is 20.0 (float64), expected an integer"),
    "e negative": (_set("e", np.array(-10)), "e is -10, expected an integer >= 0"),
    "e past the text": (_set("e", np.array(len(TEXT) - SEQ)), "e is 420, but chunks start"),
    "best_step after step": (_set("best_step", np.array(STEP + 1)), "best_step is 31, expected"),
    "opt.t negative": (_set("opt.t", np.array(-1)), "opt.t is -1, expected an integer >= 0"),
    "opt.t float": (_set("opt.t", np.array(1.5)), "opt.t is 1.5 (float64), expected an integer"),
    "seconds negative": (_set("seconds", np.array(-1.0)), "seconds is -1.0, a negative training time"),
    "seconds NaN": (_set("seconds", np.array(np.nan)), "seconds is nan, expected a finite number"),
    "seconds int": (_set("seconds", np.array(2)), "seconds is 2 (integers), expected a float"),
    "smooth_loss NaN": (_set("smooth_loss", np.array(np.nan)), "smooth_loss is NaN, so the run div"),
    "best_loss inf after step 0": (_set("best_loss", np.array(np.inf)), "best_loss is inf, expected a"),
    "corpus_characters text": (_set("corpus_characters", np.array("430")), "corpus_characters"),
    # text: the random generator, the config, the vocabulary
    "rng not JSON": (_set("rng", np.array("{not json")), "rng is not JSON"),
    "rng MT19937": (_json("rng", lambda r: r.update(bit_generator="MT19937")), "expected bit_generator"),
    "rng float state": (_json("rng", lambda r: r["state"].update(state=1.5)), "state and inc must be 128"),
    "rng even inc": (_json("rng", lambda r: r["state"].update(inc=2)), "state and inc must be 128-bit"),
    "config extra key": (_config(lambda c: c.update(depth=2)), "config has unknown settings depth"),
    "config m text": (_config(lambda c: c.update(m="8")), "config setting --m is '8', expected a value of type int"),
    "config m float": (_config(lambda c: c.update(m=8.5)), "config setting --m is 8.5, expected a value of type int"),
    "config m bool": (_config(lambda c: c.update(m=True)), "config setting --m is True, expected a value of type int"),
    "config optimizer": (_config(lambda c: c.update(optimizer="sgd")), "--optimizer is 'sgd', expected one of adagrad"),
    "config not JSON": (_set("config", np.array("m=8")), "config is not JSON"),
    "config a list": (_set("config", np.array("[8, 10]")), "config is not a JSON object"),
    "vocab duplicate": (_set("vocab_codes", lambda v: np.concatenate([v[:-1], v[:1]])), "vocab lists '\\n' twice"),
    "vocab text": (_set("vocab_codes", lambda v: np.array([chr(c) for c in v])), "vocab_codes holds text of shape"),
    "vocab floats": (_set("vocab_codes", lambda v: v.astype(float)), "vocab_codes holds float64 of shape"),
    "vocab 2-D": (_set("vocab_codes", lambda v: v[None]), "vocab_codes holds integers of shape (1, "),
    "vocab empty": (_set("vocab_codes", np.zeros(0, np.int32)), "the vocabulary is empty"),
    "vocab past Unicode": (_set("vocab_codes", lambda v: np.array([0x110000, *v[1:]])), "entry 0 is 1114112, which"),
    "vocab negative": (_set("vocab_codes", lambda v: np.array([-1, *v[1:]])), "vocab_codes entry 0 is -1, which is"),
    "vocab surrogate": (_set("vocab_codes", lambda v: np.array([*v[:-1], 0xD800])), "entry 16 is 55296, which is no"),
    "legacy vocab words": (_legacy(lambda v: np.array(["ab", *v[1:]])), "vocab entry 0 is 'ab', not a single"),
    "legacy vocab numbers": (_legacy(lambda v: np.arange(len(v))), "vocab holds integers"),
    "legacy vocab duplicate": (_legacy(lambda v: np.array([*v, v[0]])), "vocab lists '\\n' twice"),
    "missing vocab": (_drop("vocab_codes"), "it lacks 'vocab_codes'"),
    "missing e": (_drop("e"), "it lacks 'e'"),
    "missing memory": (_drop("opt.m.V"), "it lacks 'opt.m.V'"),
}


@pytest.mark.parametrize("key, fragment", SHAPES)
def test_a_parameter_of_the_wrong_shape_is_refused(run, key, fragment):
    _rewrite(run.folder / "last.npz", _set(key, _grown))
    _refused(run, "last.npz", fragment)
    if not key.startswith("best."):
        _rewrite(run.folder / "best.npz", _set(key, _grown))
        _refused(run, "best.npz", fragment)


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_a_corrupt_last_checkpoint_is_refused_in_one_line(run, case):
    change, fragment = CORRUPTIONS[case]
    _rewrite(run.folder / "last.npz", change)
    message = _refused(run, "last.npz", fragment)
    intact = (
        f"best.npz beside it is intact, so the model can still be sampled (python -m rnn_lib sample --run {run.folder})"
    )
    assert intact in message and "your best.npz is kept" in message


MEMORY_CASES = [(opt, key, what) for opt, keys in optim.MEMORIES.items() for key in keys for what in ("shape", "NaN")]
MEMORY_CASES += [(opt, key, "negative") for opt, keys in optim.MEMORIES.items() for key in keys]


@pytest.mark.parametrize("optimizer, memory, what", MEMORY_CASES)
def test_optimizer_memories_are_checked(tmp_path, optimizer, memory, what):
    run = _write(tmp_path, optimizer)
    key = f"opt.{memory}.U"
    change = {"shape": _grown, "NaN": _poisoned(np.nan), "negative": lambda a: -a}[what]
    _rewrite(run.folder / "last.npz", _set(key, change))
    if memory == "m1" and what == "negative":  # Adam's first moment averages gradients: any sign
        assert run.load("last.npz").opt["m1"].U.min() < 0
    else:
        fragment = {"shape": "has shape", "NaN": "holds NaN", "negative": "holds negative values"}[what]
        _refused(run, "last.npz", f"{key} ({checkpoint_checks.MEMORY_NAMES[memory]}) {fragment}")


BEST_CORRUPTIONS = {
    "step negative": (_set("step", np.array(-1)), "step is -1"),
    "smooth_loss text": (_set("smooth_loss", np.array("low")), "smooth_loss is 'low' (text), expected a float"),
    "vocab duplicate": (_set("vocab_codes", lambda v: np.concatenate([v[:-1], v[:1]])), "vocab lists '\\n' twice"),
    "config extra key": (_config(lambda c: c.update(depth=2)), "config has unknown settings depth"),
    "W text": (_set("W", lambda a: a.astype(str)), "parameter W holds text"),
}


@pytest.mark.parametrize("case", BEST_CORRUPTIONS)
def test_a_corrupt_best_checkpoint_is_refused_and_last_offered(run, case):
    change, fragment = BEST_CORRUPTIONS[case]
    _rewrite(run.folder / "best.npz", change)
    message = _refused(run, "best.npz", fragment)
    assert "last.npz beside it is intact: sample it with --checkpoint last, or train with --fresh" in message


def test_nan_parameters_are_never_loaded_silently(run):
    _rewrite(run.folder / "best.npz", _set("V", _poisoned(np.nan)))
    message = _refused(run, "best.npz", "parameter V holds NaN, so the run diverged")
    assert "train again with --fresh and a lower --eta (or --sigma, for the RNN)" in message
    with pytest.raises(CheckpointError, match="parameter V holds NaN"):
        checkpoint.load(run.folder / "best.npz")  # without a vocabulary to compare, as the sample command loads


def test_the_remedy_names_the_intact_checkpoint_only_when_there_is_one(run):
    _rewrite(run.folder / "last.npz", _set("step", np.array(-1)))
    assert "best.npz beside it is intact" in _refused(run, "last.npz", "step is -1")
    _rewrite(run.folder / "best.npz", _set("step", np.array(-1)))
    for name in ("last.npz", "best.npz"):
        message = _refused(run, name, "step is -1")
        assert "intact" not in message and message.endswith("train with --fresh to start over (resume=False in Python)")


@pytest.mark.parametrize("content", ["junk", "empty", "cut short", "one array"])
def test_an_unreadable_file_is_refused_without_advice_to_delete(run, content):
    last = run.folder / "last.npz"
    if content == "one array":
        with open(last, "wb") as f:
            np.save(f, np.zeros(3))
    else:
        last.write_bytes({"junk": b"not a zip file", "empty": b"", "cut short": last.read_bytes()[:-100]}[content])
    message = _refused(run, "last.npz", "it is corrupt: not an .npz archive")
    assert "best.npz beside it is intact" in message and "unsafe" not in message


def test_a_flipped_byte_is_caught_by_the_archive_checksum(run):
    last = run.folder / "last.npz"
    with zipfile.ZipFile(last) as archive:
        member = archive.getinfo("W.npy")
    content = bytearray(last.read_bytes())
    content[member.header_offset + 100 + member.compress_size // 2] ^= 0xFF  # inside the data of W
    last.write_bytes(bytes(content))
    _refused(run, "last.npz", "cannot be read (BadZipFile: Bad CRC-32")


def test_valid_checkpoints_load_as_written(any_optimizer):
    run = any_optimizer
    state = run.load("last.npz")
    assert (state.step, state.e, state.best_step, state.opt["t"], state.seconds) == (STEP, 20, 25, STEP, 1.5)
    assert (state.smooth_loss, state.best_loss) == (70.0, 69.5)
    params, info = run.load("best.npz")
    assert info["step"] == 25 and info["smooth_loss"] == 69.5 and info["vocab"] == run.vocab
    for name in rnn.Params._fields:
        np.testing.assert_array_equal(getattr(params, name), getattr(state.best, name))
    assert state.rng.random() == run.next_draw  # the generator continues where it stopped


def test_the_edges_of_each_range_are_accepted(run):
    last_chunk = len(TEXT) - SEQ - 1
    _rewrite(run.folder / "last.npz", _set("e", np.array(last_chunk)))
    _rewrite(run.folder / "last.npz", _set("best_step", np.array(STEP)))
    state = run.load("last.npz")
    assert state.e == last_chunk and state.best_step == STEP
    _rewrite(
        run.folder / "last.npz", lambda a: a.update(step=np.array(0), best_step=np.array(0), best_loss=np.array(np.inf))
    )
    assert run.load("last.npz").best_loss == np.inf  # before the first update no model has scored
    _rewrite(run.folder / "best.npz", _config(lambda c: c.update(epochs=3, eta=None, corpus=None)))
    assert run.load("best.npz")[1]["config"]["epochs"] == 3  # a float setting given as an int


def test_the_held_out_part_is_no_place_for_a_chunk(tmp_path):
    run = _write(tmp_path, "adagrad", validation=0.1)  # 387 of the 430 characters are trained on
    _rewrite(run.folder / "last.npz", _set("e", np.array(376)))
    assert run.load("last.npz").e == 376
    _rewrite(run.folder / "last.npz", _set("e", np.array(377)))
    _refused(run, "last.npz", "e is 377, but chunks start at 0 .. 376 in the 387 training characters")


def test_the_number_of_training_characters_can_be_given(run):
    last = run.folder / "last.npz"
    state = checkpoint.load_state(last, run.config, run.vocab, run.stats, n_train=31)
    assert state.e == 20  # 31 characters: chunks start at 0, 10 and 20
    with pytest.raises(CheckpointError, match="e is 20, but chunks start at 0 .. 19 in the 30 "):
        checkpoint.load_state(last, run.config, run.vocab, run.stats, n_train=30)


def test_the_compiled_engine_never_sees_a_memory_of_the_wrong_shape(small_corpus, tmp_path):
    # The compiled engine indexes the memories without bounds checks: unchecked, a memory smaller than its
    # parameter made it write past the end (a segfault, or NaN parameters saved over last.npz). The resumed
    # run is a subprocess so that such a crash fails this test instead of ending pytest.
    pytest.importorskip("rnn_lib.training.compiled", reason="numba is not installed")
    settings = dict(corpus=str(small_corpus), run_dir=str(tmp_path / "run"), engine="numba", optimizer="adam", m=16)
    settings.update(seq_length=10, sample_length=0, progress=False)
    loop.train(steps=40, **settings)
    last = tmp_path / "run" / "last.npz"
    _rewrite(last, _set("opt.m2.W", np.zeros((1, 1))))
    written = last.read_bytes()
    script = f"from rnn_lib.training import loop; loop.train(steps=80, **{settings!r})"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    error = done.stderr.strip().splitlines()[-1]
    assert error.startswith("rnn_lib.training.checkpoint.CheckpointError: checkpoint ")
    assert "opt.m2.W (Adam second moment) has shape (1, 1), expected (m, m) = (16, 16)" in error
    assert "best.npz beside it is intact" in error
    assert last.read_bytes() == written  # nothing trained, nothing saved over it


def test_a_setting_added_later_takes_its_default(run):
    # A run trained before a setting existed was trained as its default says.
    _rewrite(run.folder / "best.npz", _config(lambda c: c.pop("test")))
    _, info = run.load("best.npz")
    assert info["config"]["test"] == Config.test


def test_a_checkpoint_that_does_not_know_its_corpus_resumes(run):
    # an older version did not store the corpus's md5 and length: nothing to check, and nothing refused
    _rewrite(run.folder / "last.npz", lambda arrays: [arrays.pop("corpus_md5"), arrays.pop("corpus_characters")])
    assert run.load("last.npz").step == STEP
