"""The training loop: the assignment's, and the same on documents or on minibatches of streams.

What a run trains on comes from :mod:`rnn_lib.training.run_text`, its first state from
:mod:`rnn_lib.training.state`. The engine performs blocks of updates (:mod:`rnn_lib.training.engines`;
one update, readable, is :mod:`rnn_lib.training.update`).
Between blocks this loop writes a sample every ``sample_every`` updates, evaluates the held-out
text every ``eval_every``, saves the run folder (:mod:`rnn_lib.training.run_folder`) every ``checkpoint_every``,
and honours Ctrl-C. The loss of update i is computed with the parameters before that update, so
``best.npz`` holds exactly the parameters that scored the best smooth loss.
"""

import dataclasses
import math
import signal
import sys
import time
from pathlib import Path

import numpy as np

from ..nets import optim, registry
from ..nets.sample import generate_documents
from ..text.corpus import decode
from ..text.documents import END
from . import engines, interrupt, recipe, run_folder, run_logs, run_summary, run_text
from .settings import Config
from .state import State, fresh
from .update import DIVERGED


class TrainingDiverged(RuntimeError):
    """The loss became NaN, infinite, or far above the uniform guess (:func:`rnn_lib.training.update.diverged`)."""


@dataclasses.dataclass
class Result:
    """What :func:`train` returns: the final state and where everything was written."""

    config: Config
    state: State
    vocab: list
    stats: dict
    history: np.ndarray  # (rows, 4): step, epoch, loss, smooth_loss
    samples: list
    validation: np.ndarray  # (rows, 4): step, epoch, nats per character on the validation and on the test text
    run_dir: Path
    summary: dict
    stopped_by: int = 0  # the signal that stopped training early (Ctrl-C: signal.SIGINT), or 0

    @property
    def interrupted(self):
        return bool(self.stopped_by)


def train(config=None, run_dir=None, resume=True, progress=True, **overrides):
    """Train (or continue training) a character RNN; returns a :class:`Result`.

    With ``resume`` (the default), a run folder that already holds a run of the same
    model continues from ``last.npz`` until ``config.steps`` / ``config.epochs``, and a
    finished one is only read. ``progress``: a bar, none (False) or a function (see :func:`_progress`).
    ``resume=False`` (the CLI's ``--fresh``) starts over and
    keeps the earlier run's files in a subfolder. Ctrl-C, SIGTERM and SIGHUP stop cleanly
    after the current block of updates: the state is saved and the partial result returned.
    """
    config = dataclasses.replace(config or Config(), **overrides).validate()
    run_dir = run_folder.run_folder(run_dir, config.corpus)
    ids, validation, test, vocab, stats = run_text.training_text(config)
    end = run_text.end_id(config, vocab)
    hp = optim.hyperparameters(config.optimizer, eta=config.eta)
    ids, per_epoch = run_text.as_read(config, ids, end)
    total = config.steps if config.steps is not None else max(1, round(config.epochs * per_epoch))
    continuing = resume and (run_dir / "last.npz").exists()
    if continuing:
        state, log = run_folder.load(run_dir, config, vocab, stats, ids.shape[-1])
        if state.step >= total:  # finished: only read, so that a read-only folder serves too
            run_logs.ignore(run_dir, log.unreadable)
            engine_name = _engine(config, total, per_epoch).name
            summary = run_summary.summary(config, state, stats, per_epoch, engine_name, log, False)
            return _result(config, state, vocab, stats, log, run_dir, summary, stopped_by=0)
    with run_folder.writing(run_dir), interrupt.deferred() as stop_requested:
        if continuing:  # again, now that no other process can write here
            state, log = run_folder.load(run_dir, config, vocab, stats, ids.shape[-1], set_aside=True)
            # the evaluation at the end of the last session is no point of a run that goes on
            log.validation = [row for row in log.validation if row[0] % config.eval_every == 0]
        else:
            run_folder.start(run_dir, fresh=not resume)
            with np.errstate(over="ignore", invalid="ignore"):  # a first loss out of range stops the first update
                state, log = fresh(config, ids, vocab, end), run_folder.Log()
        engine = _engine(config, total, per_epoch)
        compile_seconds = engine.prepare()

        def observe():  # a sample and an evaluation, when due
            if _due(state.step, config.sample_every, [s["step"] for s in log.samples]):
                sample = _sample(config, state, engine, ids, vocab, end)
                if sample:
                    log.samples.append({"step": state.step, "epoch": state.step / per_epoch,
                                        "smooth_loss": state.smooth_loss, **sample})  # fmt: skip
            every = config.eval_every if state.step < total else state.step  # and at the end of the run
            if len(validation) and _due(state.step, every, [row[0] for row in log.validation]):
                nats = [run_text.held_out(state.params, part, end, config.model) for part in (validation, test)]
                log.validation.append((state.step, state.step / per_epoch, *nats))
                if nats[0] <= min(row[2] for row in log.validation):  # the model validation would choose
                    run_folder.save_chosen(run_dir, config, state, vocab, stats)

        bar = _progress(total, state.step, progress)
        try:
            observe()
            while state.step < total and not stop_requested():
                n = _block_size(state.step, total, config)
                start = time.perf_counter()
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # diverging: told below, once
                    losses, smooth = engine.updates(
                        state, ids, n, config.seq_length, config.clip, config.optimizer, hp, end
                    )
                state.seconds += time.perf_counter() - start
                done = len(losses) - math.isnan(smooth[-1])  # the engine marks an update it refused so
                log.history += _history(state.step, losses[:done], smooth[:done], per_epoch, config.history_every)
                state.step += done
                bar.update(done)
                bar.set_postfix(smooth_loss=round(state.smooth_loss, 2), refresh=False)
                if done < len(losses):  # `finally` saves what was trained
                    raise TrainingDiverged(_diverged(config, state, losses[-1], run_dir))
                observe()
                if state.step % config.checkpoint_every == 0:
                    run_folder.save(run_dir, config, state, vocab, stats, log)
        finally:
            bar.close()
            run_folder.save(run_dir, config, state, vocab, stats, log)
        stopped_by = stop_requested()
        summary = run_summary.summary(config, state, stats, per_epoch, engine.name, log, bool(stopped_by))
        summary["compile_seconds"] = round(compile_seconds, 3)
        run_summary.write_summary(run_dir, summary)
    if stopped_by and not callable(progress):  # a sweep's worker leaves it to the sweep, which tells it once
        print(
            f"training stopped by {signal.Signals(stopped_by).name} after {state.step:,} of {total:,} updates; "
            f"everything is saved in {run_dir}: train again with the same settings to continue",
            file=sys.stderr,
        )
    return _result(config, state, vocab, stats, log, run_dir, summary, stopped_by)


def _diverged(config, state, loss, run_dir):
    """The one line that says a run diverged at the update after ``state.step``, and what to do."""
    over = f"{loss:.3g}, over {DIVERGED} times what a uniform guess scores" if math.isfinite(loss) else loss
    lower = "--eta or --sigma" if config.model == "rnn" else "--eta"  # the LSTM draws its weights without sigma
    best = f"smooth loss {state.best_loss:.2f} at step {state.best_step:,}"
    kept = f"the best model so far ({best})" if math.isfinite(state.best_loss) else "the untrained model"
    return (f"the loss of update {state.step + 1:,} was {over}: lower {lower} and train again with --fresh; "
            f"{kept} is kept in {run_dir / 'best.npz'}")  # fmt: skip


def _result(config, state, vocab, stats, log, run_dir, summary, stopped_by):
    history = np.array(log.history, dtype=float).reshape(-1, 4)
    validation = np.array(log.validation, dtype=float).reshape(-1, 4)
    return Result(config, state, vocab, stats, history, log.samples, validation, run_dir, summary, stopped_by)


def _sample(config, state, engine, ids, vocab, end):
    """What samples.json records at this step: a passage that continues the training text from
    the current hidden state, or, on documents, whole texts written from h0 = 0; {} for none."""
    if end >= 0 and config.sample_texts:
        written = generate_documents(state.params, vocab, config.sample_texts, state.rng, END, config.limit,
                                     sampler=engine.sample)  # fmt: skip
        return {"texts": [text for text, _ in written], "ended": [ended for _, ended in written]}
    if end < 0 and config.sample_length:
        uniforms = state.rng.random(config.sample_length)
        # on minibatches, the first stream goes on
        h, x = (registry.stream(state.hprev, 0), ids[0, state.e]) if config.minibatch else (state.hprev, ids[state.e])
        return {"text": decode(engine.sample(state.params, h, x, uniforms), vocab)}
    return {}


def _engine(config, total, per_epoch):
    """Who performs the updates: an engine of the assignment's, or :func:`rnn_lib.training.engines.minibatch_engine`
    with the run's recipe (its schedule spans the run's ``total`` updates)."""
    if not config.minibatch:
        return engines.resolve(config.engine)
    schedule = recipe.Recipe.of(config, total, per_epoch)
    return engines.minibatch_engine(config.model, config.batch, schedule, config.engine)


def _due(step, every, recorded_steps):
    """Whether step is a multiple of ``every`` that has not been recorded yet (a resumed run has some)."""
    return step % every == 0 and (not recorded_steps or recorded_steps[-1] < step)


def _block_size(step, total, config):
    """Updates until the next sample, checkpoint or evaluation is due; at most 500, so Ctrl-C acts fast."""
    due = (config.sample_every, config.checkpoint_every, config.eval_every)
    return min(total, step + 500, *((step // every + 1) * every for every in due)) - step


def _history(step, losses, smooth, per_epoch, every):
    """History rows (step, epoch, loss, smooth loss) of the updates after ``step`` that fall on ``every``."""
    steps = range(step + 1, step + 1 + len(losses))
    return [(s, s / per_epoch, loss, sm) for s, loss, sm in zip(steps, losses, smooth) if s % every == 0]


def _progress(total, initial, progress):
    """A tqdm bar (``progress`` True), none (False), or ``progress(step, total, smooth_loss)`` called
    after every block, for a caller that shows progress its own way (a sweep's workers)."""
    from tqdm.auto import tqdm

    if not callable(progress):
        return tqdm(total=total, initial=initial, disable=not progress, unit="upd", desc="training", smoothing=0.1,
                    mininterval=0.5)  # fmt: skip

    class Report:
        step = initial

        def update(self, n):
            self.step += n

        def set_postfix(self, smooth_loss, refresh):
            progress(self.step, total, smooth_loss)

        def close(self):
            pass

    return Report()
