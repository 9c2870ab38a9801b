"""Runs on a Dask cluster: through a running scheduler's address, as a user gives it, the sweep gives the local
pool's numbers, survives a killed worker, moves one bar with what the workers report, and refuses a worker that
cannot see its run folder; the Slurm path as far as a machine without Slurm allows: the job script."""

import os
import signal
import threading

import numpy as np
import pytest

from rnn_lib.__main__ import main
from rnn_lib.training import cluster, pool, progress
from rnn_lib.training.settings import Cluster, Config


@pytest.fixture(scope="module")
def scheduler():
    """Two worker processes of one thread on 127.0.0.1, as `dask scheduler` and two `dask worker`s would be."""
    distributed = pytest.importorskip("distributed")  # make test installs it; a plain install runs the others
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as local:  # fmt: skip
        yield local.scheduler_address


def _plan(corpus, root, seeds=(0, 1, 2), **kw):
    settings = dict(corpus=str(corpus), steps=300, m=12, seq_length=10, sample_length=0, engine="numpy")
    return {f"seed-{s}": (Config(seed=s, **{**settings, **kw}), root / f"seed-{s}") for s in seeds}


def _same(a, b):
    assert list(a) == list(b)
    for name in a:
        for x, y in zip(a[name].state.params, b[name].state.params):
            np.testing.assert_array_equal(x, y)
        assert a[name].summary["best_smooth_loss"] == b[name].summary["best_smooth_loss"]


def test_a_sweep_through_a_scheduler_gives_the_local_pools_numbers(scheduler, small_corpus, tmp_path):
    here = pool.run(_plan(small_corpus, tmp_path / "here"), jobs=2, progress=False)
    there = pool.run(_plan(small_corpus, tmp_path / "there"), progress=False, where=Cluster(cluster=scheduler))
    _same(here, there)
    assert not list((tmp_path / "there").rglob(f"{cluster.MARK}*"))  # the client's marks go with the sweep


def test_the_cli_sends_the_runs_of_seeds_to_a_scheduler(scheduler, small_corpus, tmp_path, capsys):
    argv = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path), "--seeds", "0", "1"]
    assert main([*argv, "--cluster", scheduler, *"--steps 200 --m 8 --sample-length 0 --quiet".split()]) == 0
    assert "best smooth loss over 2 seeds: " in capsys.readouterr().out
    assert all((tmp_path / "seeds" / f"seed-{s}" / "best.npz").exists() for s in (0, 1))


def test_the_bar_moves_with_what_the_workers_report(scheduler, small_corpus, tmp_path, monkeypatch):
    heard = []
    update = progress.Bar.update
    monkeypatch.setattr(progress.Bar, "update", lambda self, *report: heard.append(report) or update(self, *report))
    pool.run(_plan(small_corpus, tmp_path), progress=True, where=Cluster(cluster=scheduler))
    assert {name for name, *_ in heard} == {str(tmp_path / f"seed-{s}") for s in (0, 1, 2)}
    assert all((step, total) == (300, 300) for _, step, total, _ in heard if step == total)  # each run's last


def test_a_killed_worker_loses_nothing(scheduler, small_corpus, tmp_path, monkeypatch):
    """A worker killed while it trains: the scheduler sends its run again, which continues from its checkpoint."""
    from distributed import Client

    plan = _plan(small_corpus, tmp_path / "there", seeds=(0, 1), steps=20_000, checkpoint_every=1_000)
    client, killed, saved = Client(scheduler), [], threading.Event()
    pids = client.run(os.getpid)
    update = progress.Bar.update

    def heard(self, name, step, total, loss=None):  # on the client, as a worker reports: a checkpoint is saved
        if step >= 3_000:
            saved.set()
        update(self, name, step, total, loss)

    def kill():
        saved.wait()
        busy = [address for address, keys in client.processing().items() if keys]
        killed.append(pids[busy[0]])
        os.kill(pids[busy[0]], signal.SIGKILL)

    monkeypatch.setattr(progress.Bar, "update", heard)
    killer = threading.Thread(target=kill, daemon=True)
    killer.start()
    there = pool.run(plan, progress=True, where=Cluster(cluster=scheduler))
    killer.join()
    assert killed and killed[0] not in client.run(os.getpid).values()
    client.close()
    here = pool.run(_plan(small_corpus, tmp_path / "here", seeds=(0, 1), steps=20_000, checkpoint_every=1_000),
                    jobs=2, progress=False)  # fmt: skip
    _same(here, there)
    assert not list((tmp_path / "there").glob("*/earlier-*"))  # continued, not started over


def test_a_worker_that_cannot_see_the_run_folder_is_refused_in_one_line(scheduler, small_corpus, tmp_path,
                                                                        monkeypatch):  # fmt: skip
    monkeypatch.setattr(cluster, "MARK", ".elsewhere-")  # the worker looks for the mark where the client wrote none
    with pytest.raises(pool.SweepFailed) as info:
        pool.run(_plan(small_corpus, tmp_path, seeds=(0,)), progress=False, where=Cluster(cluster=scheduler))
    [line] = info.value.lines
    assert "FolderUnseen: worker tcp://127.0.0.1:" in line and "cannot see run folder" in line
    assert not (tmp_path / "seed-0" / "last.npz").exists()


def test_no_scheduler_at_the_address_is_one_line(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "TIMEOUT", "1s")
    with pytest.raises(OSError, match="^no Dask scheduler answers at tcp://127.0.0.1:9: start one"):
        pool.run(_plan(small_corpus, tmp_path), progress=False, where=Cluster(cluster="tcp://127.0.0.1:9"))


def test_a_cluster_without_the_extra_names_the_install_command(small_corpus, tmp_path, monkeypatch, capsys):
    real = __import__

    def without_dask(name, *args, **kw):
        if name.split(".")[0] in ("distributed", "dask_jobqueue"):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args, **kw)

    monkeypatch.setattr("builtins.__import__", without_dask)
    monkeypatch.setattr("importlib.import_module", lambda name: without_dask(name))
    argv = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path), "--seeds", "0", "--cluster", "slurm"]
    assert main([*argv, "--quiet"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line == "error: --cluster slurm needs Dask (dask_jobqueue): install it with pip install -e '.[cluster]'"


def test_the_slurm_job_script_holds_our_options():
    pytest.importorskip("dask_jobqueue")
    where = Cluster(cluster="slurm", slurm_cores=4, slurm_memory="8GB", slurm_walltime="02:30:00",
                    slurm_account="naiss2026-1-1")  # fmt: skip
    with cluster.slurm(where) as slurm:
        script = slurm.job_script()
    assert "#SBATCH -A naiss2026-1-1" in script and "#SBATCH -t 02:30:00" in script and "#SBATCH -n 1" in script
    assert "#SBATCH --cpus-per-task=4" in script and "#SBATCH --mem=" in script
    assert "--nworkers 4" in script and "--nthreads 1" in script and "--memory-limit 2.00GB" in script


def test_cluster_is_local_slurm_or_an_address_and_goes_with_seeds(small_corpus, tmp_path, capsys):
    argv = ["train", "--corpus", str(small_corpus), "--out", str(tmp_path), "--cluster"]
    assert main([*argv, "laptop", "--seeds", "0"]) == 2
    assert capsys.readouterr().err.startswith("error: --cluster must be local, slurm or a Dask scheduler's address")
    assert main([*argv, "tcp://127.0.0.1:8786"]) == 2
    assert capsys.readouterr().err.startswith("error: --cluster and its Slurm options say where the runs of --seeds")
