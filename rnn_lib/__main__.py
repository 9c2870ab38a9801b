"""Command line: python -m rnn_lib gradcheck | train | sample | bench  (each with --help).

Every option comes from the settings declared in :mod:`rnn_lib.training.settings`.
"""

import argparse
import contextlib
import os
import signal
import sys

from .training import interrupt  # light: nothing but signal and contextlib

INTERRUPTED = 128 + signal.SIGINT  # the shell's status after Ctrl-C
if __name__ == "__main__":  # the command line's own process; not a test that imports main
    interrupt.remember_ctrl_c()

try:  # NumPy and numba take a second to import: a Ctrl-C meanwhile ends in one line too
    from pathlib import Path

    import numpy as np

    from . import bench
    from .evaluation import stats
    from .nets import gradcheck, memory, rnn
    from .text import corpus
    from .training import options, pool, run_folder, sampling, settings, told
    from .training.loop import TrainingDiverged, train
    from .training.settings import Config
except (KeyboardInterrupt, ImportError) as err:
    if not (isinstance(err, KeyboardInterrupt) or interrupt.ctrl_c_seen()):
        print(f"error: {err}: install the packages with make setup", file=sys.stderr)
        sys.exit(2)
    print("error: interrupted: python -m rnn_lib stopped before it changed anything", file=sys.stderr)
    os._exit(INTERRUPTED)  # nothing to finish; sys.exit may end by SIGINT itself (see the end of this file)


def cmd_gradcheck(args):
    s = options.check(settings.GradCheck(**options.given(settings.GradCheck, args)))
    ids, vocab, stats = corpus.load_corpus(s.corpus, s.encoding)
    memory.check(memory.gradcheck(len(vocab), s.m, s.seq_length, len(ids)), f"--m {s.m}", "to check its gradients",
                 "choose a smaller --m")  # fmt: skip
    if len(ids) < s.seq_length + 1:
        raise corpus.CorpusError(
            f"corpus {stats['corpus']} is shorter than seq_length + 1 = {s.seq_length + 1}: use a longer text or a "
            "shorter --seq-length"
        )
    params = rnn.init_params(len(vocab), s.m, np.random.default_rng(s.seed), s.sigma)
    x, y = ids[: s.seq_length], ids[1 : s.seq_length + 1]
    results = gradcheck.check_gradients(
        params, x, y, np.zeros(s.m), h=s.h, max_entries=s.max_entries, rng=np.random.default_rng(s.seed)
    )
    print(
        f"corpus {stats['corpus']} (K = {stats['K']}), m = {s.m}, sigma = {s.sigma}, "
        f"first {s.seq_length} characters, centred differences h = {s.h}"
    )
    print(f"{'param':<6}{'checked':>14}{'max rel':>11}{'mean rel':>11}{'norm rel':>11}{'max |ga|':>11}")
    for name, r in results.items():
        print(
            f"{name:<6}{r['checked']:>6} of {r['size']:<6}{r['max_rel']:>11.2e}{r['mean_rel']:>11.2e}"
            f"{r['norm_rel']:>11.2e}{r['max_grad']:>11.2e}"
        )
    print(f"max relative error: {max(r['max_rel'] for r in results.values()):.3e}")


def cmd_train(args):
    config = Config(**options.given(Config, args))
    if args.out == "":
        raise ValueError("--out is empty: give the run folder's path, or leave --out out for runs/<corpus name>")
    if args.jobs and not args.seeds:
        raise ValueError("--jobs sets the workers of --seeds: give --seeds too, or leave --jobs out")
    if options.given(settings.Cluster, args) and not args.seeds:
        raise ValueError(
            "--cluster and its Slurm options say where the runs of --seeds go: give --seeds too, or leave them out"
        )
    if args.seeds and config.seed != Config.seed:
        raise ValueError("--seeds gives every run its seed: leave --seed out")
    if args.seeds and args.fresh:
        raise ValueError("--fresh starts one run over: leave it out of --seeds, or choose another --out for them")
    if args.seeds:
        return _train_seeds(config, args)
    result = train(config, args.out, resume=not args.fresh, progress=not args.quiet)
    _report(result)
    if result.interrupted:
        return interrupt.exit_status(result.stopped_by)


def _train_seeds(config, args):
    """One run per seed, in <out>/seeds/seed-<n>, on every core; then their spread."""
    out = Path(args.out or run_folder.default_run_dir(config.corpus))
    plan = pool.seeds(config, out, args.seeds)
    where = settings.Cluster(**options.given(settings.Cluster, args))
    results = pool.run(plan, jobs=args.jobs, progress=not args.quiet, where=where)
    for result in results.values():
        _report(result)
    best = stats.spread([r.summary["best_smooth_loss"] for r in results.values()])
    print(f"best smooth loss over {best['n']} seeds: {best['mean']:.3f} ± {best['sd']:.3f} "
          f"(range {best['min']:.3f} to {best['max']:.3f})")  # fmt: skip


def _report(result):
    print("\n".join(told.lines(result)))
    if told.note(result):
        print(told.note(result), file=sys.stderr)


def cmd_sample(args):
    s = options.check(settings.Sampling(**options.given(settings.Sampling, args)))
    params, info, note = sampling.load(s)
    if note:
        print(note, file=sys.stderr)
    sampling.write(s, params, info, sys.stdout)


def cmd_bench(args):
    s = options.check(settings.Bench(**options.given(settings.Bench, args)))
    text = {"corpus": s.corpus, "encoding": s.encoding}
    bench.check(s.m, sweep_runs=s.sweep_runs, **text)
    bench.benchmark(m=s.m, rounds=s.rounds, seconds=s.seconds, **text)
    print()
    bench.minibatch_throughput(m=s.m, rounds=s.rounds, seconds=s.seconds, **text)
    print()
    bench.limit_table(rounds=max(s.rounds, 5))
    if s.sweep_runs:
        bench.sweep_throughput(runs=s.sweep_runs, m=s.m, **text)


def parser():
    raw = argparse.RawDescriptionHelpFormatter
    p = options.Parser(prog="python -m rnn_lib", description=__doc__, formatter_class=raw)
    sub = p.add_subparsers(dest="command", metavar="command")
    commands = [
        ("gradcheck", "compare analytic and numerical gradients", settings.GradCheck, cmd_gradcheck),
        ("train", "train and write a run folder", settings.Config, cmd_train),
        ("sample", "write text with a trained model", settings.Sampling, cmd_sample),
        ("bench", "updates per second of each implementation", settings.Bench, cmd_bench),
    ]
    p.commands = {}
    for name, help, declared, handler in commands:
        command = p.commands[name] = sub.add_parser(name, help=help, description=declared.__doc__)
        options.add_arguments(command, declared)
        command.set_defaults(handler=handler)
        if name == "train":
            command.add_argument("--out", default=None, help="run folder (default: runs/<corpus name>)")
            fresh_help = "start over even if --out holds a run (its files are kept in a subfolder)"
            command.add_argument("--fresh", action="store_true", help=fresh_help)
            command.add_argument("--quiet", action="store_true", help="no progress bar")
            seeds_help = "train one run per seed, in <out>/seeds/seed-<n>, on every core, and print their spread"
            command.add_argument("--seeds", type=options.whole, nargs="+", help=seeds_help)
            jobs_help = "workers for --seeds (default: one per core; with --cluster slurm, one per run)"
            command.add_argument("--jobs", type=options.count, help=jobs_help)
            options.add_arguments(command.add_argument_group("where the runs of --seeds go"), settings.Cluster)
    return p


def main(argv=None):
    args = None
    try:
        p = parser()
        try:
            args, unknown = p.parse_known_args(argv)
            if args.command is None:
                p.error("give a command: gradcheck, train, sample or bench")
            if unknown:  # told by the command, whose --help lists its options
                p.commands[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
        except SystemExit as stop:  # --help, or a mistake that Parser.error has told in one line
            return stop.code
        status = args.handler(args) or 0
        sys.stdout.flush()  # a reader that went away (| head) is found here, not at exit with a traceback
        return status
    except SystemExit as stop:
        return stop.code
    except BrokenPipeError:  # what was read before the reader went away is all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        return 128 + signal.SIGPIPE
    except KeyboardInterrupt:  # before training began, or outside it: nothing half-written
        return _interrupted(args)
    except pool.SweepFailed as err:  # the other runs are trained and kept
        print("\n".join(f"error: {line}" for line in err.lines), file=sys.stderr)
        return 2
    # CorpusError, CheckpointError and RunFolderError are ValueErrors
    except (ValueError, ImportError, MemoryError, OSError, TrainingDiverged) as err:
        if isinstance(err, ImportError) and interrupt.ctrl_c_seen():  # a Ctrl-C that an import in C turned into this
            return _interrupted(args)
        print(f"error: {err}", file=sys.stderr)
        return 2


def _interrupted(args):
    if getattr(args, "seeds", None):  # the workers got Ctrl-C too, and saved
        print("error: interrupted: every run saved what it trained; run the same command to continue", file=sys.stderr)
    else:
        what = args.command if args is not None and args.command else "python -m rnn_lib"
        print(f"error: interrupted: {what} stopped before it changed anything", file=sys.stderr)
    return INTERRUPTED


def _exit(status):
    """Exit with ``status``. After a Ctrl-C that C code saw (NumPy's, numba's imports), Python ends by SIGINT
    itself rather than with the status it is given; 130 is what it means, so end here, everything flushed."""
    if status != INTERRUPTED:
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    _exit(main())
