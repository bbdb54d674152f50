# 衡南 report generator — `make demo` builds everything into out/, `make test` runs the tests.
# Both set up what they need: a virtual environment (.venv) and, for tests, LibreOffice + poppler.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench setup system-deps check preview clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the tests need (LibreOffice opens every PPTX/DOCX; poppler reads the PDFs).
system-deps:
	@bash tools/install-system-deps.sh

demo: setup
	$(BIN)/reportgen build
	@echo "输出文件 / outputs:" && find out -type f ! -name .gitkeep | sort

check: setup
	$(BIN)/reportgen check

test: setup system-deps
	$(BIN)/python -m pytest -q

bench: setup system-deps
	$(BIN)/python tools/bench.py

clean:
	rm -rf build out/*.pptx out/*.pdf out/briefings out/manifest.json
