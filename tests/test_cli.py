import re

import pytest

from rnn_lib.__main__ import main


def test_gradcheck_prints_a_table_and_the_max_error(capsys):
    assert main(["gradcheck", "--m", "5", "--max-entries", "50"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines[2:7]] == ["b", "c", "U", "W", "V"]
    match = re.fullmatch(r"max relative error: (\S+)", lines[-1])
    assert match and float(match.group(1)) < 1e-5


def test_train_then_sample(small_corpus, tmp_path, capsys):
    run, corpus = tmp_path / "run", ["--corpus", str(small_corpus)]
    assert main(["train", *corpus, "--out", str(run), *"--steps 200 --m 16 --quiet --sample-every 100".split()]) == 0
    assert "best smooth loss" in capsys.readouterr().out
    held = ["--out", str(tmp_path / "held"), *"--validation 0.1 --sample-length 0".split()]
    assert main(["train", *corpus, *held, *"--steps 100 --m 16 --quiet".split()]) == 0
    assert re.search(r"held-out loss \(300 characters\): best \d\.\d{3} bits", capsys.readouterr().out)
    writing = ["sample", "--run", str(run), *"--length 80 --seed 1 --prime First".split()]
    assert main(writing) == 0
    first = capsys.readouterr().out
    assert main(writing) == 0
    assert capsys.readouterr().out == first and len(first) == 81


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "--corpus", "/no/such/file.txt", "--steps", "5"], "not found"),
        (["train", "--m", "-3", "--steps", "5"], "m must be positive"),
        (["sample", "--run", "/no/such/run"], "train first"),
    ],
)
def test_user_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_bench_reports_the_speedup(capsys):
    from rnn_lib.bench import benchmark

    rates = benchmark(rounds=1, seconds=0.02)
    out = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"speedup vs reference: \d+\.\dx", out[-1])
    assert rates["numpy"] > 0 and rates["reference"] > 0
