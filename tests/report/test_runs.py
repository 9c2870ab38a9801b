"""The report's runs: declared once, each in its own folder, trained in one pool for the three documents."""

import json

from rnn_lib.report import runs
from rnn_lib.training import pool
from rnn_lib.training.loop import train
from rnn_lib.training.settings import Config


def test_the_report_plans_every_run_once(small_corpus, tmp_path):
    parameters = dict(run_dir=tmp_path, corpus=str(small_corpus), steps=60, seed=3, seeds=2, engine="numpy",
                      compare_steps=60, compare_seeds=2, eval_every=30, jobs=2, texts=str(small_corpus),
                      texts_epochs=1.0, texts_seeds=1, texts_eval_every=20)  # fmt: skip
    assignment = runs.assignment(**parameters)
    assert {name: str(folder) for name, (_, folder) in assignment.items()} == {
        "seed-3": str(tmp_path), "seed-4": str(tmp_path / "seeds" / "seed-4")}  # fmt: skip
    optimizers = runs.optimizers(**parameters)
    assert sorted(optimizers) == sorted(f"{o}-m100/seed-{s}" for o in ("adagrad", "rmsprop", "adam") for s in (3, 4))
    assert sorted(runs.sizes("adam", **parameters)) == ["adam-m200/seed-3", "adam-m200/seed-4", "adam-m50/seed-3",
                                                          "adam-m50/seed-4"]  # fmt: skip
    with runs.start(["assignment", "bonus", "beyond"], parameters, progress=False) as workers:
        for document in ("beyond", "assignment", "bonus"):  # any order: each waits for its own runs
            runs.train_document(workers, document, parameters)
    results = pool.run({**assignment, **optimizers}, progress=False)  # all finished: read, not trained
    groups = runs.optimizer_groups(results)
    best = runs.OPTIMIZERS[runs.best_optimizer(groups, **parameters)]
    assert all((tmp_path / "beyond" / f"{best}-m{m}" / "seed-4" / "summary.json").exists() for m in (50, 200))
    assert runs.limit(groups, **parameters) == 60
    for s in (25, 141):
        assert (tmp_path / "short-texts" / f"seq-{s}" / "seed-3" / "summary.json").exists()


def test_chapters_3_and_4_read_the_run_there_or_train_chapter_2s(small_corpus, tmp_path):
    other = tmp_path / "other"  # a run of other settings, trained with the CLI say: read as it is
    train(Config(corpus=str(small_corpus), steps=30, m=8, engine="numpy"), other, progress=False)
    before = (other / "best.npz").stat().st_mtime_ns
    assert runs.ensure_main_run(other, corpus=str(small_corpus), steps=60, engine="numpy") == other
    assert (other / "best.npz").stat().st_mtime_ns == before
    empty = tmp_path / "empty"  # chapter 2 has not run: its main run is trained here
    runs.ensure_main_run(empty, corpus=str(small_corpus), steps=60, seed=3, engine="numpy", jobs=1)
    assert json.loads((empty / "summary.json").read_text())["config"]["seed"] == 3
    assert not (empty / "seeds").exists()  # the main run only, not the other seeds
