"""Advice names only options that exist, on the command it names: every ``--option`` in a message of rnn_lib
(read from its source) is an option of the command line, and every ``--option`` that a command prints when
it refuses is that command's own, unless the message names another (``train --documents``)."""

import ast
import re
from pathlib import Path

import pytest

from rnn_lib.__main__ import main, parser

PACKAGE = Path(__file__).resolve().parents[2] / "rnn_lib"
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
COMMAND = re.compile(r"\b(train|sample|gradcheck|bench)\b")


def options(command):
    sub = parser().commands[command]
    return {s for action in sub._actions for s in action.option_strings}


def strings(path):
    """Every string of a module's code but its docstrings, f-strings' literal parts included."""
    tree = ast.parse(path.read_text())
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree) if isinstance(node, documented) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}  # fmt: skip
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


def test_every_option_named_in_the_code_exists():
    known = set().union(*(options(c) for c in ("train", "sample", "gradcheck", "bench")))
    named = {
        (str(path.relative_to(PACKAGE)), option)
        for path in PACKAGE.rglob("*.py")
        if "report" not in path.parts  # the report builder has options of its own
        for text in strings(path)
        for option in OPTION.findall(text)
    }
    assert {(where, option) for where, option in named if option not in known} == set()


def _owner(message, at, printer):
    """The command whose option the one at ``at`` is: the last command the message names in its clause, else
    the command that printed it."""
    clause = re.split(r"[:;(),]", message[:at])[-1]
    named = COMMAND.findall(clause)
    return named[-1] if named else printer


@pytest.fixture
def folders(small_corpus, tmp_path):
    """Run folders and files that the commands below refuse, in their many ways."""
    quick = ["--corpus", str(small_corpus), *"--steps 20 --m 8 --quiet --sample-length 0".split()]
    assert main(["train", *quick, "--out", str(tmp_path / "text")]) == 0
    assert main(["train", *quick, "--documents", "lines", "--out", str(tmp_path / "docs")]) == 0
    (tmp_path / "earlier").mkdir()  # a best model but nothing to continue from
    (tmp_path / "earlier" / "best.npz").write_bytes((tmp_path / "text" / "best.npz").read_bytes())
    (tmp_path / "short.txt").write_text("too short\n")
    (tmp_path / "cp1252.txt").write_bytes("\u201cquoted\u201d\n".encode("cp1252") * 100)
    (tmp_path / "file.txt").write_text("not a folder")
    return tmp_path


REFUSED = [
    "train --corpus {t}/missing.txt --steps 5",
    "train --corpus {t} --steps 5",
    "train --corpus {t}/cp1252.txt --steps 5",
    "train --corpus {c} --encoding klingon --steps 5",
    "train --corpus {c} --validation 1e-7 --steps 5",
    "train --corpus {c} --test 0.1 --steps 5",
    "train --corpus {c} --dtype float32 --steps 5",
    "train --corpus {c} --documents lines --batch 4 --steps 5",
    "train --corpus {t}/short.txt --steps 5",
    "train --corpus {t}/short.txt --validation 0.1 --steps 5",
    "train --corpus {c} --batch 500 --steps 5",
    "train --corpus {c} --m 100000 --steps 5",
    "train --corpus {c} --model lstm --batch 100000 --seq-length 1000 --steps 5",
    "train --corpus {c} --out {t}/file.txt --steps 5",
    "train --corpus {c} --out {t}/earlier --steps 5",
    "train --corpus {c} --out {t}/text --steps 50 --m 9",
    "train --corpus {c} --out {t}/new --steps 50 --eta 1e6 --quiet",
    "train --corpus {c} --out {t}/new2 --steps 50 --eta 1e6 --model lstm --quiet",
    "train --jobs 2",
    "train --seeds 1 2 --seed 3",
    "train --seeds 1 2 --fresh",
    "sample --run {t}/nothing",
    "sample --run {t}/file.txt",
    "sample --run {t}/text --texts 3",
    "sample --run {t}/docs --length 30",
    "sample --run {t}/text --prime \u00a7",
    "sample --run {t}/text --temperature 0",
    "gradcheck --corpus {t}/short.txt",
    "gradcheck --corpus {t}/cp1252.txt",
    "gradcheck --m 300000",
    "bench --corpus {t}/short.txt",
    "bench --corpus {t}/cp1252.txt",
    "bench --m 300000",
]


@pytest.mark.parametrize("argv", REFUSED)
def test_what_a_command_prints_when_it_refuses_names_its_own_options(argv, folders, small_corpus, capsys):
    command = argv.split()[0]
    assert main(argv.format(t=folders, c=small_corpus).split()) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    for match in OPTION.finditer(err):
        owner = _owner(err, match.start(), command)
        assert match.group() in options(owner), f"{match.group()} is no option of {owner}: {err}"
