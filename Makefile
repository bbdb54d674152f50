# 衡南 report generator — `make demo` builds everything into out/, `make test` runs the tests.
# Both set up what they need: a virtual environment (.venv) and, for tests, LibreOffice + poppler.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The project's own bytecode, as pip compiles an installed package's (an editable install is not compiled, and
# where PYTHONDONTWRITEBYTECODE is set Python would compile every module again on every run).
BYTECODE = $(BIN)/python -m compileall -q generators tools > /dev/null

.PHONY: demo test lint bench setup system-deps check preview pictures clean serve windows-bundle

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	$(BYTECODE)
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the tests need (LibreOffice opens every PPTX/DOCX; poppler reads the PDFs).
system-deps:
	@bash tools/install-system-deps.sh

demo: setup
	$(BIN)/reportgen build
	@echo "输出文件 / outputs:" && find out -type f ! -name .gitkeep | sort

# The staff web page (工作台) at http://127.0.0.1:8000/ — opens the browser; Ctrl+C stops it.
serve: setup
	$(BIN)/reportgen serve

check: setup
	$(BIN)/reportgen check

# Static checks are tests: ruff (pyflakes, pycodestyle, import order, bugbear) and mypy; settings in pyproject.toml.
lint: setup
	$(BIN)/ruff check generators tools tests
	$(BIN)/mypy generators

# One test file per worker process, a worker per core (a file's module fixtures are built once); plain
# `.venv/bin/pytest` still runs everything in one process.
test: setup system-deps lint
	$(BIN)/python -m pytest -q -n auto --dist loadfile

# Every performance figure beside its budget (issue 18), one markdown table; BENCH_RUNS=N for more runs.
bench: setup
	$(BYTECODE)
	$(BIN)/python tools/bench.py

clean:
	rm -rf build out/*.pptx out/*.pdf out/briefings out/manifest.json

# Every page as PNG plus one contact sheet per document, in preview/ (needs LibreOffice and poppler).
preview: setup system-deps
	$(BIN)/reportgen preview

# The README's pictures (docs/images/*.png), made from a preview run in build/readme-preview/.
pictures: setup system-deps
	$(BIN)/python tools/readme_pictures.py

# The 工作台 for an office PC without internet: build/windows-bundle/ (+ .zip) with Windows x64 wheels for every
# supported Python, checked to install offline (`pip install --no-index --platform win_amd64` resolves everything).
windows-bundle: setup
	$(BIN)/python tools/windows_bundle.py
