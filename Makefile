# make test    set up .venv, the TeX tools and Chromium if missing, lint, and run every test
# make test-fast  the unit tests and the linters only: no TeX, no browser (about a minute)
# make report  set up the same way, train, run the notebooks and write report/assignment.pdf, then
#              report/bonus.pdf and report/beyond.pdf, each as soon as its runs are trained
#              ONLY=assignment: that document alone (or ONLY="assignment bonus")
#              QUICK=1: short runs; CORPUS=file.txt: another text; AUTHOR="Your Name": on the title
#              TEXTS=tweets.json: chapter 6's short documents (a tweet archive's export, say)
#              REPORT_FLAGS="--epochs 3": more options of python -m rnn_lib.report (--dry-run: print its settings)
# make bench   updates per second of every implementation
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup tex browser lint test test-fast report bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

tex:
	bash report/install-tex.sh

browser:
	bash report/install-browser.sh

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports  # the layers of rnn_lib and no import cycle: pyproject.toml, docs/architecture.md

test: setup tex browser lint
	$(PY) -m pytest

test-fast: setup lint
	$(PY) -m pytest -m "not pdf and not browser"

# CORPUS, ENCODING, TEXTS, AUTHOR and ONLY reach the report builder as typed, through its environment (RNN_CORPUS,
# RNN_ENCODING, RNN_TEXTS, RNN_AUTHOR, RNN_ONLY), never through a shell: $(value) keeps make from expanding the $ in them,
# and unexport keeps make from expanding them (a $(shell ...) would run) to export them itself.
unexport CORPUS ENCODING TEXTS AUTHOR ONLY
report: export RNN_CORPUS := $(value CORPUS)
report: export RNN_ENCODING := $(value ENCODING)
report: export RNN_TEXTS := $(value TEXTS)
report: export RNN_AUTHOR := $(value AUTHOR)
report: export RNN_ONLY := $(value ONLY)
report: setup tex
	$(PY) -m rnn_lib.report $(if $(QUICK),--quick) $(REPORT_FLAGS)

bench: setup
	$(PY) -m rnn_lib bench

clean:
	rm -rf build runs/*-quick report/assignment.pdf report/bonus.pdf report/beyond.pdf  # full runs are kept
