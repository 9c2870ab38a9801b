# make test    set up .venv, the TeX tools if missing, and run the tests
# make report  set up the same way, run the notebooks and export report/report.pdf
#              QUICK=1: short runs; CORPUS=file.txt: another text; AUTHOR="Your Name": on the title
# make bench   updates per second of every implementation
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup tex test report bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

tex:
	bash report/install-tex.sh

test: setup tex
	$(PY) -m pytest

report: setup tex
	$(PY) -m rnn_lib.report $(if $(QUICK),--quick) $(if $(CORPUS),--corpus "$(CORPUS)") $(if $(AUTHOR),--author "$(AUTHOR)")

bench: setup
	$(PY) -m rnn_lib bench

clean:
	rm -rf build runs/quick report/report.pdf
