# Every target sets up what it needs: a virtualenv in .venv with the project and its extras.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: install test crawl demo bench fixtures clean

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

# The main job. For now: the bundled fixture pages through the whole pipeline into output/
# (local files: no politeness delay needed).
crawl: $(STAMP)
	$(VENV)/bin/scrapy crawl asriran -a mode=files -O output/asriran.jsonl \
		-s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False
	@echo "articles: output/asriran.jsonl; quarantined pages: output/quarantine/"

demo: crawl

fixtures: $(STAMP)
	$(PY) -m newscrawl fixtures

bench: $(BENCH_STAMP)
	$(PY) bench/extract.py
	$(PY) bench/quality.py

clean:
	rm -rf $(VENV) output/* .pytest_cache
	touch output/.gitkeep
