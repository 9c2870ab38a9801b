"""Command line: python -m rnn_lib gradcheck | train | sample | bench  (each with --help)."""
import argparse
import sys

import numpy as np

from . import data, evaluate, gradcheck, model
from .train import CheckpointError, Config, TrainingDiverged, default_run_dir, load_checkpoint, train


def cmd_gradcheck(args):
    ids, vocab, stats = data.load_corpus(args.corpus)
    if len(ids) < args.seq_length + 1:
        raise data.CorpusError(f"corpus {stats['corpus']} is shorter than seq_length + 1 = {args.seq_length + 1}")
    params = model.init_params(len(vocab), args.m, np.random.default_rng(args.seed), args.sigma)
    x, y = ids[:args.seq_length], ids[1:args.seq_length + 1]
    results = gradcheck.check_gradients(params, x, y, np.zeros(args.m), h=args.h,
                                        max_entries=args.max_entries, rng=np.random.default_rng(args.seed))
    print(f"corpus {stats['corpus']} (K = {stats['K']}), m = {args.m}, sigma = {args.sigma}, "
          f"first {args.seq_length} characters, centred differences h = {args.h}")
    print(f"{'param':<6}{'checked':>14}{'max rel':>11}{'mean rel':>11}{'norm rel':>11}{'max |ga|':>11}")
    for name, r in results.items():
        print(f"{name:<6}{r['checked']:>6} of {r['size']:<6}{r['max_rel']:>11.2e}{r['mean_rel']:>11.2e}"
              f"{r['norm_rel']:>11.2e}{r['max_grad']:>11.2e}")
    print(f"max relative error: {max(r['max_rel'] for r in results.values()):.3e}")


def cmd_train(args):
    config = Config(corpus=args.corpus, m=args.m, seq_length=args.seq_length, sigma=args.sigma,
                    optimizer=args.optimizer, eta=args.eta, epochs=args.epochs, steps=args.steps,
                    seed=args.seed, sample_every=args.sample_every, sample_length=args.sample_length,
                    history_every=args.history_every, validation=args.validation, engine=args.engine)
    result = train(config, args.out, resume=not args.fresh, progress=not args.quiet)
    s = result.summary
    print(f"{s['corpus']}: {s['steps']:,} updates ({s['epochs']:.2f} epochs) in {s['seconds']:.1f} s, "
          f"{s['updates_per_second']} updates/s with the {s['engine']} engine")
    print(f"best smooth loss {s['best_smooth_loss']:.3f} at step {s['best_step']:,}; "
          f"final {s['final_smooth_loss']:.3f}; run folder {result.run_dir}")
    if "best_validation_nats" in s:
        print(f"held-out loss ({s['validation_characters']:,} characters): best "
              f"{evaluate.bits(s['best_validation_nats']):.3f} bits per character, final "
              f"{evaluate.bits(s['final_validation_nats']):.3f}")
    if result.interrupted:
        return 130


def cmd_sample(args):
    from .sample import generate
    run = args.run or default_run_dir()
    params, info = load_checkpoint(f"{run}/{args.checkpoint}.npz")
    text = generate(params, info["vocab"], args.length, np.random.default_rng(args.seed),
                    prime=args.prime, temperature=args.temperature, top_p=args.top_p)
    print(text)


def cmd_bench(args):
    from .bench import benchmark
    benchmark(m=args.m, rounds=args.rounds, seconds=args.seconds, corpus=args.corpus)


def parser():
    p = argparse.ArgumentParser(prog="python -m rnn_lib", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    corpus = dict(default=None, help="UTF-8 text (default: data/goblet_book.txt if present, else data/tinyshakespeare.txt)")

    g = sub.add_parser("gradcheck", help="compare analytic and numerical gradients")
    g.add_argument("--corpus", **corpus)
    g.add_argument("--m", type=int, default=100)
    g.add_argument("--sigma", type=float, default=0.1, help="a larger sigma than training's 0.01 keeps gradients "
                   "well above the rounding error of the differences")
    g.add_argument("--seq-length", type=int, default=25)
    g.add_argument("--h", type=float, default=1e-4)
    g.add_argument("--max-entries", type=int, default=None, help="check at most this many entries per parameter")
    g.add_argument("--seed", type=int, default=0)
    g.set_defaults(handler=cmd_gradcheck)

    t = sub.add_parser("train", help="train and write a run folder")
    d = Config()
    t.add_argument("--corpus", **corpus)
    t.add_argument("--out", default=None, help="run folder (default: runs/<corpus name>)")
    t.add_argument("--epochs", type=float, default=d.epochs)
    t.add_argument("--steps", type=int, default=None, help="total updates (overrides --epochs)")
    t.add_argument("--m", type=int, default=d.m)
    t.add_argument("--seq-length", type=int, default=d.seq_length)
    t.add_argument("--sigma", type=float, default=d.sigma)
    t.add_argument("--optimizer", default=d.optimizer, choices=["adagrad", "rmsprop", "adam"])
    t.add_argument("--eta", type=float, default=None, help="learning rate (default: the optimizer's; AdaGrad 0.1)")
    t.add_argument("--seed", type=int, default=d.seed)
    t.add_argument("--sample-every", type=int, default=d.sample_every)
    t.add_argument("--sample-length", type=int, default=d.sample_length)
    t.add_argument("--history-every", type=int, default=d.history_every)
    t.add_argument("--validation", type=float, default=d.validation,
                   help="hold out this fraction at the end of the corpus and report its loss (e.g. 0.1)")
    t.add_argument("--engine", default=d.engine, choices=["auto", "numpy", "numba"])
    t.add_argument("--fresh", action="store_true", help="start over even if --out holds a run")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.set_defaults(handler=cmd_train)

    s = sub.add_parser("sample", help="write text with a trained model")
    s.add_argument("--run", default=None, help="run folder (default: runs/<name of the default corpus>)")
    s.add_argument("--checkpoint", default="best", choices=["best", "last"])
    s.add_argument("--length", type=int, default=1000)
    s.add_argument("--temperature", type=float, default=1.0)
    s.add_argument("--top-p", type=float, default=None, help="nucleus sampling: keep this much probability mass")
    s.add_argument("--prime", default="\n", help="text the network reads before it writes (default: a newline)")
    s.add_argument("--seed", type=int, default=0)
    s.set_defaults(handler=cmd_sample)

    b = sub.add_parser("bench", help="updates per second of each implementation")
    b.add_argument("--corpus", **corpus)
    b.add_argument("--m", type=int, default=100)
    b.add_argument("--rounds", type=int, default=3)
    b.add_argument("--seconds", type=float, default=2.0, help="length of one round")
    b.set_defaults(handler=cmd_bench)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except (ValueError, ImportError, CheckpointError, TrainingDiverged) as err:  # CorpusError is a ValueError
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
