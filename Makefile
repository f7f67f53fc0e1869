# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEED   := models/fits/.seeded
PORT   ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: install lock run test e2e lint typecheck pytest bench clean

# requirements.lock pins the runtime packages, requirements-dev.lock the test and lint tools on
# top of it, each with the sha256 of its files: pip refuses anything else (--require-hashes).
# torch==2.13.0+cpu is the CPU wheel pip finds on this machine (PyPI's 2.13.0 pulls CUDA). The
# editable install of our own code has no hash; --no-deps keeps it from adding packages.
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# One-time work of a fresh install, reported apart from the first start (bench/README.md):
# the default encoder is exported to ONNX Runtime once into models/onnx/ (about 15 s) and the
# bundled pool's topic suggester fitted once into models/fits/ (about 20 s on two cores), so
# `assistant prepare` on an empty data folder copies it instead of fitting.
$(SEED): $(STAMP) topic_pool/default.yaml
	$(BIN)/assistant prepare --seed
	touch $(SEED)

install: $(STAMP) $(SEED)

# Rewrites both locks from requirements.in and requirements-dev.in (tools/lock.py): edit a pin
# there, then make lock.
lock: install
	$(BIN)/python tools/lock.py

# `assistant prepare` does the slow part before the app serves: model, topic suggester (cached
# on disk after the first fit) and, on an empty data folder, the fictional demo with one account
# per role, whose passwords it prints this once. ASSISTANT_DEMO=false make run starts empty.
# serve.py is app.py plus the routes of the session cookie (assistant/ui/web.py). Listens on
# localhost only: put a TLS reverse proxy in front for other machines (README, "Running it for
# others").
run: install
	ASSISTANT_DEMO=$${ASSISTANT_DEMO:-true} $(BIN)/assistant prepare
	@echo "Starting http://$(ADDRESS):$(PORT); the page is usable once 'Ready in … s' appears (Ctrl+C stops)."
	ASSISTANT_DEMO=$${ASSISTANT_DEMO:-true} $(BIN)/streamlit run serve.py --server.headless true \
		--server.port $(PORT) --server.address $(ADDRESS) \
		--browser.gatherUsageStats false --server.fileWatcherType none

# ruff, then the layers of pyproject.toml's [tool.importlinter] (who may import whom).
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

# Two workers on two cores; --dist loadscope keeps each test module on one worker, in file
# order (module fixtures load the demo once). (loadgroup with xdist_group marks does not group
# under pytest 9 + xdist 3.8: the node-id suffix it relies on is lost, so tests were spread.)
pytest: install
	$(BIN)/pytest -q -n 2 --dist loadscope

test: lint typecheck pytest

# End to end: the whole demo on the real model (marker demo), a process killed between saving
# and analysing (marker processes), a Ray import against a single-process one (marker ray),
# then the real browser: the app on a
# free localhost port, headless Debian Chromium, axe-core on each page. A missing browser is a
# failure, not a skip (.ci/run installs it from Debian's packages).
e2e: install
	$(BIN)/pytest -q -m "demo or processes or ray" tests/e2e
	@test -x /usr/bin/chromium || { echo "error: /usr/bin/chromium missing; apt-get install -y chromium chromium-driver" >&2; exit 1; }
	cd tests/browser && npm ci --no-audit --no-fund --silent
	$(BIN)/pytest -q -m browser tests/browser

bench: install
	$(BIN)/python -m pip install --quiet -r bench/requirements.lock
	$(BIN)/python bench/quality.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/browser/node_modules
