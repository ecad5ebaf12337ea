# hokoku — two entry points for a fresh machine: `make demo` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DEMO_IN ?= fixtures/r3_portrait.pdf
DEMO_OUT?= out/demo
DEMO_YEARS ?= fixtures/r2_synthetic.pdf fixtures/r4_synthetic.pdf
# Debian packages: LibreOffice + IPAex fonts (Word→PDF fixtures, draft round trip),
# poppler-utils (pdftoppm previews), chromium (HTML view test, layout zoo fixtures), python3-uno
# (draft --pdf fills the table of contents), libreoffice-calc-nogui (spreadsheet fixtures),
# tesseract-ocr + tesseract-ocr-jpn (the OCR engine comparison in bench/bench_ocr.py; hokoku reads scans with rapidocr).
SYSTEM_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-ipaexfont poppler-utils chromium \
                   tesseract-ocr tesseract-ocr-jpn

.PHONY: install demo test test-slow test-all bench fixtures zoo system-deps clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,ocr]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_OUT)/hokoku.duckdb
	$(BIN)/hokoku ingest $(DEMO_IN) $(DEMO_YEARS) -o $(DEMO_OUT) --db $(DEMO_OUT)/hokoku.duckdb
	$(BIN)/hokoku themes $(DEMO_OUT)/*/report.json -o $(DEMO_OUT)/themes.json --matrix $(DEMO_OUT)/themes_matrix.xlsx --db $(DEMO_OUT)/hokoku.duckdb
	$(BIN)/hokoku draft $(DEMO_OUT)/r3_portrait/report.json -o $(DEMO_OUT)/draft_next_year.docx --with-themes $(DEMO_OUT)/themes.json
	$(BIN)/hokoku trends $(DEMO_OUT)/*/report.json -o $(DEMO_OUT)/trends --themes $(DEMO_OUT)/themes.json --pdf-dir fixtures
	@echo ""
	@echo "demo outputs in $(DEMO_OUT)/:"
	@echo "  r3_portrait/  report.json, report.xlsx, *.csv, *.parquet   the FY2021 report parsed (hokoku ingest)"
	@echo "  r2_synthetic/, r4_synthetic/                             SYNTHETIC FY2020/FY2022 reports, parsed"
	@echo "  hokoku.duckdb                                            corpus of the three years"
	@echo "  themes.json, themes_matrix.xlsx                          comment themes (hokoku themes)"
	@echo "  draft_next_year.docx                                     FY2022 Word draft (hokoku draft)"
	@echo "  trends/index.html                                        theme trends across years (hokoku trends)"

# The wheel smoke test (tests/test_wheel.py, marked slow) builds and installs the wheel in a
# fresh venv and runs every command from it: it is what catches a subpackage left out of the wheel.
test: $(STAMP)
	$(BIN)/pytest -q
	$(BIN)/pytest -q -m slow tests/test_wheel.py

# Every committed rendering (the whole zoo, v1, held-out and calc sets), the fuzz and full-corpus
# tests: what `make test` leaves out to stay under 10 minutes. CI runs it after `make test`.
test-slow: $(STAMP)
	$(BIN)/pytest -q -m slow --ignore=tests/test_wheel.py

test-all: $(STAMP)
	$(BIN)/pytest -q -m "slow or not slow"

bench: $(STAMP)
	$(BIN)/python -m bench

# Every committed fixture, the held-out Typst and fpdf2 families included (fixtures/README.md).
fixtures: $(STAMP)
	$(BIN)/python -m fixtures.generate

# The layout zoo: committed and held-out seeds, headless Chromium (see fixtures/README.md).
zoo: $(STAMP)
	$(BIN)/python -m fixtures.zoo --all

# Installs the Debian packages some tests and generators need (root, Debian).
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf $(VENV) out build *.egg-info .pytest_cache
