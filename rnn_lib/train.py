"""The assignment's training loop, its run folder, checkpoints and resume.

A run folder holds::

    config.json     the Config of the run
    vocab.json      the vocabulary, in id order
    history.csv     step, epoch, loss, smooth_loss every ``history_every`` updates
    samples.json    a passage every ``sample_every`` updates, from step 0
    validation.csv  step, epoch, nats per character on the held-out text (if ``validation`` > 0)
    best.npz        parameters with the lowest smooth loss
    last.npz        everything needed to resume exactly where the run stopped
    summary.json    the figures of the finished (or interrupted) run

"Step i" means "after i updates". The loss of update i is computed with the
parameters before that update, so ``best.npz`` holds exactly the parameters that
scored the best smooth loss.
"""
import contextlib
import dataclasses
import json
import math
import os
import signal
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

from . import engines, evaluate, model, optim
from .data import CorpusError, decode, default_corpus, load_corpus

RUNS_DIR = Path(__file__).resolve().parent.parent / "runs"
CHECKPOINT_ERRORS = (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError)


class CheckpointError(ValueError):
    """A checkpoint cannot be used; the message says what to do."""


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite."""


@dataclasses.dataclass
class Config:
    """Hyperparameters of a run; the defaults are the assignment's."""
    corpus: str = None          # path of a UTF-8 text; None: data/goblet_book.txt if present, else Tiny Shakespeare
    m: int = 100                # hidden units
    seq_length: int = 25
    sigma: float = 0.01         # weights ~ sigma * randn
    optimizer: str = "adagrad"
    eta: float = None           # None: the optimizer's default (AdaGrad 0.1)
    clip: float = 5.0
    epochs: float = 2.0
    steps: int = None           # total updates; overrides epochs
    seed: int = 0
    history_every: int = 100
    sample_every: int = 10_000
    sample_length: int = 200
    checkpoint_every: int = 10_000
    validation: float = 0.0     # fraction held out at the end of the corpus, evaluated every eval_every updates
    eval_every: int = 10_000
    engine: str = "auto"        # "numpy", "numba" or "auto" (numba when it imports)

    def validate(self):
        positive = {"m": self.m, "seq_length": self.seq_length, "sigma": self.sigma,
                    "clip": self.clip, "history_every": self.history_every,
                    "sample_every": self.sample_every, "checkpoint_every": self.checkpoint_every,
                    "eval_every": self.eval_every}
        for name, value in positive.items():
            if not value > 0:
                raise ValueError(f"{name} must be positive (got {value})")
        if self.eta is not None and not self.eta > 0:
            raise ValueError(f"the learning rate eta must be positive (got {self.eta})")
        if self.steps is None and not self.epochs > 0:
            raise ValueError(f"epochs must be positive (got {self.epochs})")
        if self.steps is not None and self.steps < 0:
            raise ValueError(f"steps must be >= 0 (got {self.steps})")
        if not 0 <= self.validation < 1:
            raise ValueError(f"validation is the held-out fraction, in [0, 1) (got {self.validation})")
        if self.sample_length < 0:
            raise ValueError(f"sample_length must be >= 0 (got {self.sample_length})")
        if self.optimizer not in optim.DEFAULTS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}: choose one of {', '.join(optim.DEFAULTS)}")
        engines.resolve(self.engine)
        return self

    def differences(self, other):
        """Settings in which ``other`` trains another network, or the same one another way.

        How long to train, the engine, and how often to checkpoint or evaluate may change
        between two sessions of one run."""
        free = {"epochs", "steps", "engine", "checkpoint_every", "eval_every"}
        return [f.name for f in dataclasses.fields(self)
                if f.name not in free and getattr(self, f.name) != getattr(other, f.name)]


def default_run_dir(corpus=None, quick=False):
    """``runs/<corpus name>`` (``-quick`` for a short run), so that each corpus keeps its own run."""
    stem = Path(corpus).stem if corpus else default_corpus().stem
    return RUNS_DIR / (stem + ("-quick" if quick else ""))


def run_folder(run_dir=None, corpus=None):
    """``run_dir`` as a Path, or the default run folder of ``corpus``."""
    return Path(run_dir) if run_dir else default_run_dir(corpus)


def updates_per_epoch(n_chars, seq_length):
    """Updates before the position e resets: e = 0, s, 2s, ... while e <= N - s - 1."""
    return (n_chars - seq_length - 1) // seq_length + 1


@dataclasses.dataclass
class State:
    """Everything that changes during training: what ``last.npz`` stores."""
    params: model.Params
    opt: dict                   # optimizer memories (Params) and their step counter "t"
    hprev: np.ndarray           # (m,) hidden state carried into the next chunk
    best: model.Params
    rng: np.random.Generator    # draws the samples
    step: int = 0
    e: int = 0                  # position of the next chunk in the corpus
    smooth_loss: float = math.nan
    best_loss: float = math.inf
    best_step: int = 0
    seconds: float = 0.0        # training time so far, over all sessions of the run


@dataclasses.dataclass
class Result:
    """What :func:`train` returns: the final state and where everything was written."""
    config: Config
    state: State
    vocab: list
    stats: dict
    history: np.ndarray         # (rows, 4): step, epoch, loss, smooth_loss
    samples: list
    validation: np.ndarray      # (rows, 3): step, epoch, nats per character on the held-out text
    run_dir: Path
    summary: dict
    interrupted: bool = False


def train(config=None, run_dir=None, resume=True, progress=True, **overrides):
    """Train (or continue training) a character RNN; returns a :class:`Result`.

    With ``resume`` (the default), a run folder that already holds a run of the same
    model continues from ``last.npz`` until ``config.steps`` / ``config.epochs``, and a
    finished one is only loaded. Ctrl-C stops cleanly after the current block of
    updates: the state is saved and the partial result returned.
    """
    config = dataclasses.replace(config or Config(), **overrides).validate()
    run_dir = run_folder(run_dir, config.corpus)
    ids, vocab, stats = load_corpus(config.corpus)
    held_out = None
    if config.validation:
        ids, held_out = evaluate.split(ids, config.validation)
    if len(ids) < config.seq_length + 1:
        raise CorpusError(f"corpus {stats['corpus']} has {len(ids)} characters, fewer than "
                          f"seq_length + 1 = {config.seq_length + 1}: use a longer text or a shorter seq_length")
    hp = optim.hyperparameters(config.optimizer, eta=config.eta)
    per_epoch = updates_per_epoch(len(ids), config.seq_length)
    total = config.steps if config.steps is not None else round(config.epochs * per_epoch)

    if resume and (run_dir / "last.npz").exists():
        state, history, samples, evals = load_run(run_dir, config, vocab)
    else:
        state, history, samples, evals = _fresh_state(config, ids, vocab), [], [], []
        _prepare_dir(run_dir, config, vocab)
    engine = engines.resolve(config.engine)
    compile_seconds = engine.prepare() if state.step < total else 0.0

    def take_sample():
        if config.sample_length and state.step % config.sample_every == 0 and \
                (not samples or samples[-1]["step"] < state.step):
            uniforms = state.rng.random(config.sample_length)
            text = decode(engine.sample(state.params, state.hprev, ids[state.e], uniforms), vocab)
            samples.append({"step": state.step, "epoch": state.step / per_epoch,
                            "smooth_loss": state.smooth_loss, "text": text})

    def take_evaluation():
        if held_out is not None and state.step % config.eval_every == 0 and \
                (not evals or evals[-1][0] < state.step):
            evals.append((state.step, state.step / per_epoch, evaluate.cross_entropy(state.params, held_out)))

    def save():
        _save_run(run_dir, config, state, vocab, history, samples, evals)

    interrupted = False
    bar = _progress_bar(total, state.step, progress)
    try:
        take_sample()
        take_evaluation()
        with _deferred_interrupt() as stop_requested:
            while state.step < total and not stop_requested():
                n = min(total, _next_multiple(state.step, config.sample_every),
                        _next_multiple(state.step, config.checkpoint_every),
                        _next_multiple(state.step, config.eval_every), state.step + 500) - state.step
                start = time.perf_counter()
                losses, smooth = engine.updates(state, ids, n, config.seq_length, config.clip, config.optimizer, hp)
                state.seconds += time.perf_counter() - start
                first = state.step + 1
                done = len(losses) if math.isfinite(losses[-1]) else len(losses) - 1
                state.step += done
                for k in range(done):
                    if (first + k) % config.history_every == 0:
                        history.append((first + k, (first + k) / per_epoch, losses[k], smooth[k]))
                bar.update(done)
                bar.set_postfix(smooth_loss=f"{state.smooth_loss:.2f}", refresh=False)
                if done < len(losses):  # `finally` saves what was trained
                    raise TrainingDiverged(
                        f"the loss became {losses[-1]} at update {state.step + 1}: lower eta or sigma "
                        f"and train again; the best model so far (smooth loss {state.best_loss:.2f} at step "
                        f"{state.best_step}) is kept in {run_dir / 'best.npz'}")
                take_sample()
                take_evaluation()
                if state.step % config.checkpoint_every == 0:
                    save()
            interrupted = stop_requested()
    finally:
        bar.close()
        save()
    summary = _summary(config, state, stats, per_epoch, engine.name, interrupted)
    summary["compile_seconds"] = round(compile_seconds, 3)
    if held_out is not None:
        summary.update(validation_characters=len(held_out),
                       final_validation_nats=evals[-1][2], best_validation_nats=min(e[2] for e in evals))
    _write_atomic(run_dir / "summary.json", json.dumps(summary, indent=2).encode())
    if interrupted:
        print(f"training interrupted after {state.step:,} of {total:,} updates; everything is saved in "
              f"{run_dir}: train again with the same settings to continue", file=sys.stderr)
    return Result(config, state, vocab, stats, np.array(history, dtype=float).reshape(-1, 4),
                  samples, np.array(evals, dtype=float).reshape(-1, 3), run_dir, summary, interrupted)


def _fresh_state(config, ids, vocab):
    rng = np.random.default_rng(config.seed)
    params = model.init_params(len(vocab), config.m, rng, config.sigma)
    hprev = np.zeros(config.m)
    # The course's reference output starts the smooth loss at the first chunk's loss.
    first = model.loss(params, ids[:config.seq_length], ids[1:config.seq_length + 1], hprev)
    return State(params=params, opt=optim.init_state(config.optimizer, params), hprev=hprev,
                 best=model.copy(params), rng=rng, smooth_loss=first)


def _next_multiple(step, every):
    return (step // every + 1) * every


def _summary(config, state, stats, per_epoch, engine_name, interrupted):
    return {
        "corpus": stats["corpus"], "characters": stats["characters"], "K": stats["K"],
        "md5": stats["md5"], "m": config.m, "seq_length": config.seq_length,
        "optimizer": config.optimizer, "engine": engine_name,
        "steps": state.step, "updates_per_epoch": per_epoch, "epochs": state.step / per_epoch,
        "best_smooth_loss": state.best_loss, "best_step": state.best_step,
        "final_smooth_loss": state.smooth_loss, "seconds": round(state.seconds, 3),
        "updates_per_second": round(state.step / state.seconds, 1) if state.seconds else None,
        "interrupted": interrupted,
    }


@contextlib.contextmanager
def _deferred_interrupt():
    """Turn Ctrl-C into a request that the loop honours between blocks of updates,
    so that an interrupt never leaves half-updated parameters behind."""
    requested = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: requested.append(True))
    except ValueError:  # not the main thread: Ctrl-C cannot reach us anyway
        previous = None
    try:
        yield lambda: bool(requested)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _progress_bar(total, initial, enabled):
    from tqdm.auto import tqdm
    return tqdm(total=total, initial=initial, disable=not enabled, unit="upd",
                desc="training", smoothing=0.1, mininterval=0.5)


# ---------------------------------------------------------------- run folder ---

def _write_atomic(path, data):
    """Write bytes to ``path`` through a temporary file and a rename: never half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _npz_bytes(arrays):
    import io
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _prepare_dir(run_dir, config, vocab):
    run_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("last.npz", "best.npz", "history.csv", "samples.json", "validation.csv", "summary.json"):
        (run_dir / stale).unlink(missing_ok=True)
    _write_atomic(run_dir / "vocab.json", json.dumps(vocab, ensure_ascii=False).encode("utf-8"))


def _params_arrays(params, prefix=""):
    return {prefix + name: a for name, a in zip(params._fields, params)}


def _save_run(run_dir, config, state, vocab, history, samples, evals):
    meta = {"vocab": np.array(vocab), "config": np.array(json.dumps(dataclasses.asdict(config)))}
    best = {**_params_arrays(state.best), **meta,
            "step": np.array(state.best_step), "smooth_loss": np.array(state.best_loss)}
    last = {**_params_arrays(state.params), **meta, **_params_arrays(state.best, "best."),
            "step": np.array(state.step), "e": np.array(state.e), "hprev": state.hprev,
            "smooth_loss": np.array(state.smooth_loss), "best_loss": np.array(state.best_loss),
            "best_step": np.array(state.best_step), "seconds": np.array(state.seconds),
            "rng": np.array(json.dumps(state.rng.bit_generator.state)),
            "opt.t": np.array(state.opt["t"])}
    for key, memory in state.opt.items():
        if key != "t":
            last.update(_params_arrays(memory, f"opt.{key}."))
    _write_atomic(run_dir / "config.json", json.dumps(dataclasses.asdict(config), indent=2).encode())
    _write_atomic(run_dir / "history.csv", _csv(["step", "epoch", "loss", "smooth_loss"], history))
    if evals:
        _write_atomic(run_dir / "validation.csv", _csv(["step", "epoch", "nats_per_char"], evals))
    _write_atomic(run_dir / "samples.json", json.dumps(samples, indent=1, ensure_ascii=False).encode("utf-8"))
    _write_atomic(run_dir / "best.npz", _npz_bytes(best))
    _write_atomic(run_dir / "last.npz", _npz_bytes(last))  # last: it is what resume trusts


def _csv(header, rows):
    lines = [",".join(header)] + [",".join([str(int(r[0]))] + [repr(float(v)) for v in r[1:]]) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def _read_npz(path):
    try:
        with np.load(path, allow_pickle=False) as f:
            return {k: f[k] for k in f.files}
    except CHECKPOINT_ERRORS as err:
        raise CheckpointError(f"checkpoint {path} is corrupt or unreadable ({type(err).__name__}: {err}): "
                              "delete the run folder and train again") from None


def _params_from(arrays, path, prefix=""):
    try:
        return model.Params(*(np.array(arrays[prefix + name], dtype=np.float64) for name in model.Params._fields))
    except KeyError as err:
        raise CheckpointError(f"checkpoint {path} lacks {err.args[0]!r}: it was not written by this "
                              "version of rnn_lib; train again") from None


def load_checkpoint(path, vocab=None):
    """Parameters and metadata of a checkpoint (``best.npz`` or ``last.npz``).

    Returns ``(params, info)`` where info holds ``vocab``, ``step``, ``smooth_loss`` and ``config``.
    Raises :class:`CheckpointError` when the file is corrupt or was trained on another vocabulary.
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint {path} not found: train first (python -m rnn_lib train --out DIR)")
    arrays = _read_npz(path)
    params = _params_from(arrays, path)
    try:
        info = {"vocab": [str(ch) for ch in arrays["vocab"]], "step": int(arrays["step"]),
                "smooth_loss": float(arrays["smooth_loss"]), "config": json.loads(str(arrays["config"]))}
    except (KeyError, ValueError) as err:
        raise CheckpointError(f"checkpoint {path} is incomplete ({err}): train again") from None
    shapes_ok = (params.U.shape == (params.m, len(info["vocab"])) and params.W.shape == (params.m, params.m)
                 and params.V.shape == (len(info["vocab"]), params.m) and params.c.shape == (len(info["vocab"]),))
    if not shapes_ok:
        raise CheckpointError(f"checkpoint {path} has inconsistent parameter shapes: it is corrupt; train again")
    if vocab is not None and list(vocab) != info["vocab"]:
        raise CheckpointError(f"checkpoint {path} was trained on another vocabulary ({len(info['vocab'])} "
                              f"characters, this corpus has {len(vocab)}): use the corpus it was trained "
                              "on, or another run folder")
    return params, info


def load_run(run_dir, config, vocab):
    """Restore ``(state, history, samples, evaluations)`` of the run in ``run_dir`` to continue it with ``config``."""
    run_dir = Path(run_dir)
    path = run_dir / "last.npz"
    params, info = load_checkpoint(path, vocab)
    differ = Config(**info["config"]).differences(config)
    if differ:
        raise CheckpointError(f"run folder {run_dir} holds a run with other settings ({', '.join(differ)}): "
                              "choose another run folder, or train with resume=False to start over")
    arrays = _read_npz(path)
    try:
        rng = np.random.default_rng()
        rng.bit_generator.state = json.loads(str(arrays["rng"]))
        opt = {key: _params_from(arrays, path, f"opt.{key}.") for key in optim.MEMORIES[config.optimizer]}
        opt["t"] = int(arrays["opt.t"])
        state = State(params=params, opt=opt, hprev=np.array(arrays["hprev"], dtype=float),
                      best=_params_from(arrays, path, "best."), rng=rng, step=int(arrays["step"]),
                      e=int(arrays["e"]), smooth_loss=float(arrays["smooth_loss"]),
                      best_loss=float(arrays["best_loss"]), best_step=int(arrays["best_step"]),
                      seconds=float(arrays["seconds"]))
    except (KeyError, ValueError, TypeError) as err:
        raise CheckpointError(f"checkpoint {path} is incomplete ({err}): train again with resume=False") from None
    history = [row for row in read_history(run_dir).tolist() if row[0] <= state.step]
    samples = [s for s in read_samples(run_dir) if s["step"] <= state.step]
    evals = [row for row in read_validation(run_dir).tolist() if row[0] <= state.step]
    return state, history, samples, evals


def _read_csv(path, columns):
    rows = path.read_text().splitlines()[1:] if path.exists() else []
    return np.array([[float(v) for v in row.split(",")] for row in rows]).reshape(-1, columns)


def read_history(run_dir):
    """History rows (step, epoch, loss, smooth_loss) of a run folder: array (rows, 4)."""
    return _read_csv(Path(run_dir) / "history.csv", 4)


def read_validation(run_dir):
    """Held-out evaluations (step, epoch, nats per character) of a run folder: array (rows, 3)."""
    return _read_csv(Path(run_dir) / "validation.csv", 3)


def read_samples(run_dir):
    """The samples of a run folder: a list of dicts with step, epoch, smooth_loss, text."""
    path = Path(run_dir) / "samples.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def read_summary(run_dir):
    path = Path(run_dir) / "summary.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
