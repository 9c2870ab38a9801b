"""Sweeps on Dask, as a user runs them: through a LocalCluster's scheduler address, two worker processes on
127.0.0.1, the same numbers as the local pool, with one bar of what the workers report; a worker killed during
a run loses nothing; a worker that cannot see the run folder is refused in one line; the Slurm job script holds
our options; and without the cluster extra, one line names the install command."""

import os
import signal
import sys
import threading
import time

import dask
import distributed
import numpy as np
import pytest

from rnn_lib.__main__ import main
from rnn_lib.report import build, runs
from rnn_lib.training import checkpoint, cluster, pool, progress
from rnn_lib.training.settings import Cluster, Config


@pytest.fixture(scope="module")
def scheduler():
    """A Dask scheduler with two single-threaded worker processes on 127.0.0.1; its address."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local:  # fmt: skip
        yield local.scheduler_address


def _sweep(corpus, root, seeds=(0, 1, 2), **kw):
    settings = dict(corpus=str(corpus), steps=300, m=12, seq_length=10, sample_length=0, engine="numpy")
    return {f"seed-{s}": (Config(seed=s, **{**settings, **kw}), root / f"seed-{s}") for s in seeds}


def _params(run_dir, name="last.npz"):
    return checkpoint.load(run_dir / name)[0]


def _equal(a, b):
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def test_a_cli_sweep_through_a_scheduler_gives_the_numbers_of_the_local_pool(scheduler, small_corpus, tmp_path, capsys):
    quick = [*"--seeds 0 1 2 --steps 300 --m 12 --seq-length 10 --sample-length 0 --engine numpy --quiet".split()]
    for out, where in (("here", ["--jobs", "2"]), ("there", ["--cluster", scheduler])):
        assert main(["train", "--corpus", str(small_corpus), "--out", str(tmp_path / out), *quick, *where]) == 0
    told = [line for line in capsys.readouterr().out.splitlines() if line.startswith("best smooth loss")]
    assert [line.replace("/here/", "/there/") for line in told[:4]] == told[4:]  # each seed's, and their spread
    for seed in (0, 1, 2):
        for name in ("best.npz", "last.npz"):
            _equal(_params(tmp_path / "here" / "seeds" / f"seed-{seed}", name),
                   _params(tmp_path / "there" / "seeds" / f"seed-{seed}", name))  # fmt: skip
    assert not list(tmp_path.rglob(f"{cluster.MARK}*"))  # the client's marks are gone


def test_the_bar_counts_what_the_workers_report(scheduler, small_corpus, tmp_path, monkeypatch):
    reported, update = [], progress.Bar.update
    monkeypatch.setattr(progress.Bar, "update", lambda bar, *report: (reported.append(report), update(bar, *report)))
    plan = _sweep(small_corpus, tmp_path, seeds=(0, 1))
    pool.run(plan, progress=True, where=Cluster(cluster=scheduler))
    # a worker's events reach the client before its result does: the scheduler passes both on in order
    finals = {report[0] for report in reported if report[1] == report[2] == 300}
    assert finals == {str(d) for _, d in plan.values()}
    assert all(isinstance(report[3], float) for report in reported)


def test_the_reports_runs_go_where_its_parameters_say(scheduler, small_corpus, tmp_path):
    parameters = dict(corpus=str(small_corpus), steps=60, seeds=2, engine="numpy", cluster=scheduler)
    there = runs.run(runs.assignment(tmp_path / "there", **parameters), "the assignment's runs", **parameters)
    here = runs.run(runs.assignment(tmp_path / "here", **parameters), "the assignment's runs", jobs=2)
    for name in here:
        _equal(here[name].state.params, there[name].state.params)


def test_a_worker_killed_during_a_run_loses_nothing(scheduler, small_corpus, tmp_path):
    plan = _sweep(small_corpus, tmp_path / "there", seeds=(0, 1), steps=10_000, checkpoint_every=500)
    killed = []

    def kill_a_worker():  # once a run has saved a checkpoint, the process that holds its folder's lock
        run_dir = plan["seed-0"][1]
        while not (run_dir / "last.npz").exists():
            time.sleep(0.05)
        pid = int((run_dir / ".lock").read_text())
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    killer = threading.Thread(target=kill_a_worker, daemon=True)
    killer.start()
    there = pool.run(plan, progress=False, where=Cluster(cluster=scheduler))
    killer.join()
    here = pool.run(_sweep(small_corpus, tmp_path / "here", seeds=(0, 1), steps=10_000), jobs=2, progress=False)
    for name in here:
        _equal(here[name].state.params, there[name].state.params)
        assert here[name].summary["best_smooth_loss"] == there[name].summary["best_smooth_loss"]
    run_dir = plan["seed-0"][1]
    assert int((run_dir / ".lock").read_text()) != killed[0]  # another worker ended the run
    assert not list(run_dir.glob("earlier-*"))  # it continued from the checkpoint, not from the start


def test_a_worker_that_cannot_see_the_run_folder_is_refused_in_one_line(scheduler, small_corpus, tmp_path,
                                                                        monkeypatch):  # fmt: skip
    monkeypatch.setattr(cluster.Dask, "_mark", lambda dask, run_dir: dask.token)  # a mark the workers never see
    plan = _sweep(small_corpus, tmp_path, seeds=(0, 1))
    with pytest.raises(pool.SweepFailed) as info:
        pool.run(plan, progress=False, where=Cluster(cluster=scheduler))
    assert len(info.value.lines) == 2 and info.value.results == {}
    for line, (_, run_dir) in zip(info.value.lines, plan.values()):
        assert "FolderUnseen: worker tcp://127.0.0.1:" in line and f"cannot see run folder {run_dir}:" in line
        assert line.endswith("put the run folders on a file system that every worker shares (--out)")
        assert not (run_dir / "last.npz").exists()  # nothing trained where nobody would read it


def test_the_slurm_job_script_holds_our_options():
    from dask_jobqueue import SLURMCluster

    where = Cluster(cluster="slurm", slurm_cores=4, slurm_memory="8GB", slurm_walltime="02:00:00",
                    slurm_account="edu-dd2424")  # fmt: skip
    with dask.config.set({"jobqueue.slurm.scheduler-options": {"host": "127.0.0.1", "dashboard_address": ":0"}}):
        slurm = cluster.slurm(where)  # submits no job until it is scaled: no Slurm needed
    try:
        script = slurm.job_script()
    finally:
        slurm.close()
    assert isinstance(slurm, SLURMCluster)
    for line in ("#SBATCH -A edu-dd2424", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=8G", "#SBATCH -t 02:00:00"):
        assert line in script.splitlines()
    assert f"{sys.executable} -m distributed.cli.dask_worker tcp://127.0.0.1:" in script
    assert "--nthreads 1" in script and "--nworkers 4" in script  # one run to a core


@pytest.mark.parametrize("where, module", [("tcp://127.0.0.1:8786", "distributed"), ("slurm", "dask_jobqueue")])
def test_without_the_cluster_extra_one_line_names_the_install_command(where, module, small_corpus, tmp_path,
                                                                      monkeypatch, capfd):  # fmt: skip
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed: its import raises ImportError
    argv = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path), "--seeds", "0", "1", "--cluster", where]
    assert main([*argv, "--steps", "20"]) == 2
    needs = f"error: --cluster {where} needs Dask ({module}): install it with pip install -e '.[cluster]'"
    assert capfd.readouterr().err.splitlines() == [needs]  # no bar before it: the extra is looked for first
    report = ["--quick", "--corpus", str(small_corpus), "--run-dir", str(tmp_path / "report"), "--cluster", where]
    assert build.main([*report, "--out-dir", str(tmp_path), "--build-dir", str(tmp_path / "build")]) == 1
    assert capfd.readouterr().err.splitlines()[-1] == needs


def test_a_cluster_setting_out_of_place_is_one_line(small_corpus, tmp_path, capsys):
    argv = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path), "--steps", "20"]
    assert main([*argv, "--seeds", "0", "--cluster", "cluster-1"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: --cluster must be local, slurm or a Dask scheduler's address such as tcp://host:8786 (got 'cluster-1')"
    ]
    assert main([*argv, "--cluster", "slurm"]) == 2
    assert capsys.readouterr().err.startswith("error: --cluster and its Slurm options say where the runs of --seeds go")
