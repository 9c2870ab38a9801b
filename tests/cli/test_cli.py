import re

import pytest

from rnn_lib.__main__ import main
from rnn_lib.text import corpus
from rnn_lib.training import checkpoint


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
    held = ["--out", str(tmp_path / "held"), *"--validation 0.1 --test 0.1 --sample-length 0 --eval-every 50".split()]
    assert main(["train", *corpus, *held, *"--steps 100 --m 16 --quiet".split()]) == 0
    out = capsys.readouterr().out
    assert re.search(r"validation loss: best \d\.\d{3} bits per character at step \d+; test \d\.\d{3} bits", out)
    writing = ["sample", "--run", str(run), *"--length 80 --seed 1 --prime First".split()]
    assert main(writing) == 0
    first = capsys.readouterr().out
    assert main(writing) == 0
    assert capsys.readouterr().out == first and len(first) == 81


@pytest.mark.parametrize(
    "argv, message",
    [
        ("train --corpus /no/such/file.txt --steps 5", "corpus /no/such/file.txt not found"),
        ("train --m -3 --steps 5", "--m must be at least 1 (got -3)"),
        ("train --m 100000 --steps 5", "GiB of memory to train, and this machine has"),
        ("train --model lstm --m 30000 --steps 5", "training with --model lstm --m 30000 needs about"),
        ("train --model lstm --batch 100000 --seq-length 1000 --steps 5", "choose a smaller --batch or --seq-length"),
        ("gradcheck --m 300000", "GiB of memory to check its gradients, and this machine has"),
        ("bench --m 300000", "bench --m 300000 needs about"),
        ("train --epochs inf", "--epochs must be a finite number (got inf)"),
        ("train --steps 0", "--steps must be at least 1 (got 0)"),
        ("train --validation 1e-7 --steps 5", "leaves 0 to evaluate on, and at least 2 are needed"),
        ("train --seq-length 0 --steps 5", "--seq-length must be at least 1"),
        ("gradcheck --h 0", "--h must be positive (got 0.0)"),
        ("gradcheck --seq-length 0", "--seq-length must be at least 1 (got 0)"),
        ("bench --rounds 0", "--rounds must be at least 1 (got 0)"),
        ("sample --run /no/such/run", "train first"),
        ("sample --temperature 0 --run /no/such/run", "--temperature must be positive"),
        ("sample --top-p 1.5 --run /no/such/run", "--top-p must be at most 1"),
    ],
)
def test_user_errors_are_one_line(argv, message, tmp_path, capsys):
    assert main([*argv.split(), *(["--out", str(tmp_path / "run")] if argv.startswith("train") else [])]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "run").exists()  # refused before anything was written


def test_long_held_out_documents_are_refused_with_their_fix_and_the_limit_alone_is_not(tmp_path, capsys):
    # documents are evaluated 256 at a time, each read whole: the longest one, not --limit, sets the memory
    documents = tmp_path / "long.txt"
    documents.write_text("\n\n".join("abcdefghij " * 5_000 for _ in range(4)) + "\n")
    argv = ["train", "--corpus", str(documents), "--documents", "blocks", "--limit", "1000000", "--validation", "0.5"]
    assert main([*argv, "--m", "1000", "--steps", "5", "--out", str(tmp_path / "run")]) == 2
    assert "or with --documents a smaller --limit" in capsys.readouterr().err
    short = tmp_path / "short.txt"
    short.write_text("\n".join("a short line of text" for _ in range(40)) + "\n")
    argv = ["train", "--corpus", str(short), "--documents", "lines", "--limit", "1000000", "--validation", "0.5"]
    assert (
        main([*argv, "--m", "50", "--steps", "1", "--sample-texts", "0", "--quiet", "--out", str(tmp_path / "short")])
        == 0
    )


def test_out_pointing_at_a_file(small_corpus, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["train", "--corpus", str(small_corpus), "--out", str(tmp_path / "notes.txt"), "--steps", "5"]) == 2
    assert "notes.txt is a file, not a folder: choose a folder for --out" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_ctrl_c_during_start_up_is_one_line(monkeypatch, capsys):
    def interrupted(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr("rnn_lib.text.corpus.load_corpus", interrupted)
    assert main(["gradcheck"]) == 130
    assert capsys.readouterr().err == "error: interrupted: gradcheck stopped before it changed anything\n"


def test_bench_reports_the_speedup(capsys):
    from rnn_lib.bench import benchmark

    rates = benchmark(rounds=1, seconds=0.02)
    out = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"speedup vs reference: \d+\.\dx", out[-1])
    assert rates["numpy"] > 0 and rates["reference"] > 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "--out", "", "--steps", "5"], "--out is empty: give the run folder's path, or leave --out out"),
        (["train", "--corpus", "", "--steps", "5"], "--corpus is empty: give it a value, or leave it out"),
        (["train", "--encoding", "", "--steps", "5"], "--encoding is empty"),
        (["sample", "--run", ""], "--run is empty: give it a value, or leave it out for its default"),
        (["sample", "--prime", ""], "--prime is empty"),
        (["gradcheck", "--corpus", ""], "--corpus is empty"),
        (["bench", "--corpus", ""], "--corpus is empty"),
    ],
)
def test_an_empty_path_or_text_is_refused_not_taken_for_the_default(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message}") and err.count("\n") == 1, err


def test_a_cp1252_corpus_trains_with_encoding_and_the_run_records_it(tmp_path, capsys):
    text = tmp_path / "goblet_book.txt"
    text.write_bytes(("\u201cHarry,\u201d said Ron \u2013 caf\u00e9.\n" * 60).encode("cp1252"))
    run = ["--corpus", str(text), "--out", str(tmp_path / "run"), *"--steps 20 --m 8 --quiet".split()]
    assert main(["train", *run]) == 2
    assert "pass --encoding cp1252" in capsys.readouterr().err
    assert main(["train", *run, "--encoding", "cp1252"]) == 0
    _, info = checkpoint.load(tmp_path / "run" / "best.npz")
    assert info["config"]["encoding"] == "cp1252" and "\u201c" in info["vocab"]
    assert main(["sample", "--run", str(tmp_path / "run"), "--length", "20"]) == 0
    utf8 = tmp_path / "converted.txt"  # what iconv -f cp1252 -t utf-8 makes: the same text, so the same run
    utf8.write_text(text.read_bytes().decode("cp1252"), encoding="utf-8")
    assert main(["train", *run[2:], "--corpus", str(utf8), "--steps", "30"]) == 0
    assert main(["train", *run[2:], "--corpus", str(text), "--encoding", "CP1252", "--steps", "40"]) == 0
    assert main(["train", *run[2:], "--corpus", str(text), "--encoding", "latin-1", "--steps", "50"]) == 2  # other text
    assert "was trained on another vocabulary ('\u2013' where this corpus has '\\x93')" in capsys.readouterr().err


def test_a_run_continues_however_its_corpus_is_spelled_and_refuses_another_text(small_corpus, tmp_path, capsys,
                                                                                 monkeypatch):  # fmt: skip
    monkeypatch.chdir(small_corpus.parent)
    (tmp_path / "elsewhere").mkdir()
    copy = tmp_path / "elsewhere" / "copy.txt"
    copy.write_bytes(small_corpus.read_bytes())  # the same text under another name: the md5 says it is
    (tmp_path / "link.txt").symlink_to(small_corpus)
    run = ["--out", str(tmp_path / "run"), *"--m 8 --quiet --sample-length 0".split()]
    spellings = ["small.txt", "./small.txt", str(small_corpus), str(tmp_path / "link.txt"), "elsewhere/../small.txt",
                 str(copy)]  # fmt: skip
    for steps, spelled in enumerate(spellings, start=1):
        extra = ["--eta", ".1"] if steps % 2 else ["--eta", "0.1", "--clip", "5"]  # defaults spelled out
        assert main(["train", "--corpus", spelled, "--steps", str(10 * steps), *extra, *run]) == 0, spelled
        assert f"{10 * steps:,} updates" in capsys.readouterr().out
    small_corpus.write_text(small_corpus.read_text() + "more")
    assert main(["train", "--corpus", "small.txt", "--steps", "100", *run]) == 2
    assert "was trained on another text than small.txt as it is now" in capsys.readouterr().err


def test_the_default_corpus_spelled_out_continues_its_run(tmp_path, capsys):
    run = ["--out", str(tmp_path / "run"), *"--m 8 --quiet --sample-length 0".split()]
    assert main(["train", "--steps", "5", *run]) == 0
    assert main(["train", "--corpus", str(corpus.default_corpus()), "--steps", "10", *run]) == 0
    assert "10 updates" in capsys.readouterr().out


def test_sample_options_that_do_not_fit_the_run_are_refused_not_ignored(small_corpus, tmp_path, capsys):
    quick = ["--corpus", str(small_corpus), *"--steps 30 --m 8 --quiet --sample-length 0".split()]
    assert main(["train", *quick, "--out", str(tmp_path / "text")]) == 0
    assert main(["train", *quick, "--documents", "lines", "--out", str(tmp_path / "docs")]) == 0
    capsys.readouterr()
    for run, extra, said in [
        (
            "text",
            "--texts 5",
            "holds a model of one long text, which writes one passage: --texts is for a model of "
            "documents (train --documents); give --length instead",
        ),  # fmt: skip
        ("text", "--limit 50", "--limit is for a model of documents"),
        (
            "docs",
            "--length 50 --prime First",
            "holds a model of documents, which writes whole texts from the "
            "end-of-text character: --length and --prime are for a model of one long text; leave them out",
        ),  # fmt: skip
    ]:
        assert main(["sample", "--run", str(tmp_path / run), *extra.split()]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and said in err and err.count("\n") == 1, err
    # a default given is no request: nothing to refuse
    assert main(["sample", "--run", str(tmp_path / "text"), *"--texts 10 --length 30".split()]) == 0
    assert main(["sample", "--run", str(tmp_path / "docs"), *"--length 1000 --texts 2 --limit 30".split()]) == 0


def test_best_and_last_of_different_runs_are_told_apart(small_corpus, tmp_path, capsys):
    quick = ["--corpus", str(small_corpus), *"--steps 30 --quiet --sample-length 0".split()]
    assert main(["train", *quick, "--m", "8", "--out", str(tmp_path / "small")]) == 0
    assert main(["train", *quick, "--m", "12", "--out", str(tmp_path / "wide")]) == 0
    (tmp_path / "wide" / "best.npz").replace(tmp_path / "small" / "best.npz")  # copied by hand
    capsys.readouterr()
    assert main(["sample", "--run", str(tmp_path / "small"), "--length", "30"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out) == 31 and captured.err.count("\n") == 1
    assert "best.npz (rnn, m = 12, K = " in captured.err and "and last.npz (rnn, m = 8, K =" in captured.err
    assert "are of different runs: this is best.npz's text (--checkpoint last for the other)" in captured.err
    assert main(["sample", "--run", str(tmp_path / "wide"), "--checkpoint", "last", "--length", "30"]) == 0
    assert capsys.readouterr().err == ""  # its best.npz is gone: nothing to tell apart


def test_bench_refuses_a_text_shorter_than_its_tables_read(small_corpus, tmp_path, capsys):
    short = tmp_path / "short.txt"
    short.write_text(small_corpus.read_text()[:500])
    assert main(["bench", "--corpus", str(short)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: corpus short.txt has 500 characters, and the benchmark reads 32 streams of 25-character chunks: "
        "give a --corpus of at least 833 characters\n"
    )


def test_a_model_of_a_text_without_line_breaks_writes_without_a_prime(tmp_path, capsys):
    corpus = tmp_path / "one line.txt"
    corpus.write_text("the cat sat on the mat and the dog sat on the log " * 40, encoding="utf-8")
    assert (
        main(["train", "--corpus", str(corpus), "--out", str(tmp_path / "r"), *"--steps 30 --m 8 --quiet".split()]) == 0
    )
    capsys.readouterr()
    assert main(["sample", "--run", str(tmp_path / "r"), "--length", "40"]) == 0
    assert len(capsys.readouterr().out) == 41


def test_a_run_whose_best_model_is_the_untrained_one_says_so(small_corpus, tmp_path, capsys):
    # AdaGrad at eta 3 on m = 16 never diverges past the bound, nor learns: its smooth loss only grows
    argv = [
        "train",
        "--corpus",
        str(small_corpus),
        "--out",
        str(tmp_path / "r"),
        *"--steps 2000 --m 16 --quiet".split(),
    ]
    assert main([*argv, "--eta", "3"]) == 0
    out, err = capsys.readouterr()
    assert "at step 0;" in out and err.startswith("note: in 2,000 updates the smooth loss never fell below its first")
    assert main([*argv, "--out", str(tmp_path / "healthy")]) == 0
    assert "note:" not in capsys.readouterr().err
