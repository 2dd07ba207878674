# Radar: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install provision test test-quick lint demo dev bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check radar_pipeline radar_pipeline_tests bench

# The Debian packages the suite needs: installed as root, named (and stop) otherwise.
provision:
	scripts/provision-debian

# Everything, skipping nothing (a skip is a failure); -ra lists what failed, erred or was skipped.
# Two workers, a test module to each (its servers are started once, its tests keep their order):
# most tests wait on a subprocess or a server, so the two cores are kept busy.
test: provision $(STAMP) lint
	$(BIN)/pytest -q -p no:cacheprovider -ra -n 2 --dist loadfile

# The quicker part: no daemons, chaos, browser or load (the tests marked slow).
test-quick: $(STAMP) lint
	$(BIN)/pytest -q -p no:cacheprovider -ra -m "not slow"

demo: $(STAMP)
	$(BIN)/radar demo

dev: $(STAMP)
	$(BIN)/radar dev

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) .radar
