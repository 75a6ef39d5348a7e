# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-fast lint format bench bench-coverage bench-study serve clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: install
	$(BIN)/uncounted demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
# pytest exits 5 when it collects no test: that is a failure here, never a pass.
PYTEST = $(BIN)/python -m pytest -p no:cacheprovider
define run_pytest
	$(1) $(PYTEST) $(2) $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	  if [ $$rc -ne 0 ]; then exit $$rc; fi
endef

# Every test on SQLite, then the store tests again on PostgreSQL (they skip, saying
# why, where no server runs; CI sets UNCOUNTED_REQUIRE_POSTGRES=1 so they must run).
# The web tests are store tests too, but for those that serve their own SQLite file
# (browser, CLI): see tests/web/conftest.py.
test: lint
	$(call run_pytest,UNCOUNTED_DB=,-n 2)
	$(call run_pytest,UNCOUNTED_DB=$(PG_URL),-m store -n 2)

test-fast: install
	$(call run_pytest,UNCOUNTED_DB=,-n 2 -m "not slow")

# Speed and memory figures: every benchmarks/bench_*.py (see README).
bench: install
	$(BIN)/python benchmarks/run_all.py

# Longer statistical studies: interval coverage of the demo and of every estimator.
bench-coverage: install
	$(BIN)/python benchmarks/demo_coverage.py

bench-study: install
	$(BIN)/python benchmarks/estimator_study.py

serve: install
	$(BIN)/uncounted serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
