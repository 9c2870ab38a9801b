"""The tree shows the layers: rnn_lib's root holds only the package's entry points, every module sits in a
layer's package, and none grows past one idea (import-linter checks the imports themselves: make lint)."""

from pathlib import Path

import rnn_lib

PACKAGE = Path(rnn_lib.__file__).resolve().parent
LAYERS = ["text", "nets", "evaluation", "training", "report"]
ON_TOP = ["bench"]  # beside the report: make bench


def test_the_root_holds_only_the_entry_points_and_the_benchmark():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py"]
    folders = [p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"]
    assert sorted(folders) == sorted(LAYERS + ON_TOP)


def test_every_module_holds_one_idea_in_about_200_lines():
    long = {
        str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 220
    }
    assert not long, f"split these modules: {long}"


def test_the_public_names_are_re_exported():
    assert {"Config", "Params", "generate", "init_params", "loss_and_grads", "train"} <= set(dir(rnn_lib))
