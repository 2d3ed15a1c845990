# Every target sets up what it needs: a virtualenv in .venv with the project and its extras.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: install test lint crawl demo bench fixtures clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $@

install: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

# ruff (lint and import order), then mypy over newscrawl/ ([tool.mypy] in pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# The main job: the live site's feed, new articles only, into output/asriran/<day>/<run>.jsonl.
# Fails fast where there is no route to the site.
crawl: $(STAMP)
	$(PY) -m newscrawl preflight https://www.asriran.com
	$(VENV)/bin/scrapy crawl asriran -a mode=rss

# The same crawl against a local mirror of fixtures/ (no network needed).
demo: $(STAMP)
	$(PY) -m newscrawl demo --mode rss

fixtures: $(STAMP)
	$(PY) -m newscrawl fixtures

bench: $(BENCH_STAMP)
	$(PY) bench/extract.py
	$(PY) bench/quality.py
	$(PY) bench/crawl.py
	$(PY) bench/dataset.py

clean:
	rm -rf $(VENV) output/* .pytest_cache .mypy_cache
	touch output/.gitkeep
