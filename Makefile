# The two commands of the README.  Plain pip/python equivalents are in the README
# for machines without make (Windows).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := build
# JupyterLab refuses to run as root unless told; CI and containers run as root.
LAB_FLAGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: lab build test dashboard clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[notebooks]'
	touch $@

$(VENV)/.installed-dashboard: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dashboard]'
	touch $@

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

build: $(VENV)/.installed-lab
	$(BIN)/zzdata build data --out $(OUT)

lab: build
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/

# The tables, built again when a page in data/ or zzdata's code or lexicon is
# newer; the dashboard's pages read them instead of building on every visit.
$(OUT)/.built: $(wildcard data/* zzdata/*.py zzdata/*/*.py zzdata/lexicon/*.tsv) | $(VENV)/.installed-dashboard
	$(BIN)/zzdata build data --out $(OUT)
	touch $@

# The notebooks as code-free pages for editors (Voilà) on http://127.0.0.1:8866/,
# with zzdata watch beside it re-building the tables when a page in data/ changes.
dashboard: $(VENV)/.installed-dashboard $(OUT)/.built
	$(BIN)/zzdata watch data --out $(OUT) & watcher=$$!; \
	trap 'kill $$watcher 2>/dev/null; wait $$watcher 2>/dev/null' EXIT INT TERM; \
	$(BIN)/zzdata dashboard

clean:
	rm -rf $(OUT) .pytest_cache
