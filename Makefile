# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The network service on http://127.0.0.1:8000 over an embedded PostgreSQL (FINSAM_DATABASE_URL for
# another server): imports examples/seeds into an empty store, prints a writer token for
# Örnsköldsvik (222000-1883) and the URLs of the start page (Nätverket), the API docs and the network view.
# Ctrl-C stops it.
DEMO_FORBUND ?= 222000-1883
run: $(STAMP)
	$(BIN)/finsam-serve serve --seed-if-empty examples/seeds --demo-writer $(DEMO_FORBUND)

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet ruff mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src tests

clean:
	rm -rf $(VENV) .pytest_cache
