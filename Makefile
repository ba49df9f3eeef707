# One entry point. Every target first makes sure .venv exists and matches the pinned versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: setup run serve lab test bench lint clean

setup: $(STAMP) $(NODE_STAMP)

# Rebuilt whenever the dependency list or the pins change.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

# JavaScript tools for the tests (axe-core, configurable-http-proxy), exactly as package-lock.json pins them.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

# Executes every notebook into build/ and builds the course website from them (build/index.html).
run: $(STAMP)
	$(BIN)/csto-run

# Serves the built website on http://127.0.0.1:8000 (it also opens from disk, or on any web server).
serve: $(STAMP)
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory build 8000

# The course's JupyterLab settings go into .venv (not your own settings): see helpers/lab/settings.py.
lab: $(STAMP)
	$(BIN)/python -m helpers.lab.settings install
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --allow-root --ServerApp.root_dir=.

# Independent tests run in parallel, two workers per core (much of the suite waits on browsers
# and servers); tests sharing a server or a build stay on one worker (see tests/conftest.py).
TEST_WORKERS ?= auto
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# Prints timings; never part of the tests. SUITE=1 also times `make test` (minutes).
bench: $(STAMP)
	$(BIN)/python -m helpers.runner.bench $(if $(SUITE),--suite)

lint: $(STAMP)
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) build node_modules
