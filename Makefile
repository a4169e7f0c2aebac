# Two commands on a fresh machine with Python 3.11 and pip:
#   make run    serve the example matters on an embedded SQLite file (var/yijian.db)
#   make test   lint, check and test the definitions, run the whole test suite
# Both create .venv and install the pinned lock file on first use.

PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint check cases bench axe system-fonts system-pdftools system-hsm system-browser clean

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# PDFs need a CJK font (WenQuanYi Micro Hei: 1.3 s per document; Noto CJK takes 8-9 s).
system-fonts:
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null)); \
	  else echo "warning: no CJK font; receipts need one: sudo apt-get install fonts-wqy-microhei"; fi; }
	@# 生僻字 (CJK Extension B, e.g. 𠮷 U+20BB7) are not in WenQuanYi: HanaMin covers them, and
	@# fontconfig falls back to it per character (tests/documents/test_receipt_rare_chars.py).
	@fc-list ':charset=20bb7' 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq fonts-hanazono >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq fonts-hanazono >/dev/null)); \
	  else echo "warning: no font for 生僻字 (CJK Ext B); names print as boxes: sudo apt-get install fonts-hanazono"; fi; }

# PDF tests read the text back with pdftotext and render pages with pdftoppm (poppler-utils).
system-pdftools:
	@command -v pdftotext >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq poppler-utils >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null)); \
	  else echo "warning: no pdftotext; PDF text checks will fail (sudo apt-get install poppler-utils)"; fi; }

# Seal tests sign with a PKCS#11 token too: Debian's SoftHSM2 (a software token).
system-hsm:
	@test -e /usr/lib/softhsm/libsofthsm2.so || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq softhsm2 >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq softhsm2 >/dev/null)); \
	  else echo "warning: no SoftHSM2; PKCS#11 seal tests will fail (sudo apt-get install softhsm2)"; fi; }

# Real-browser tests drive Debian's Chromium through Playwright.
system-browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
	  else echo "warning: no chromium; browser tests will be skipped (sudo apt-get install chromium)"; fi; }

# The browser suite checks pages with axe-core, pinned in tests/browser/package-lock.json (npm).
AXE := tests/browser/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq npm >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq npm >/dev/null)); \
	  else echo "warning: no npm; the axe checks will fail (sudo apt-get install npm)"; fi; }
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $@

# The examples seal their documents with a clearly marked TEST seal (made once, var/seal/).
run: $(STAMP) system-fonts
	mkdir -p var
	test -f var/seal/seal.env || $(BIN)/yijian seal init --db var/yijian.db --all
	set -a; . var/seal/seal.env; set +a; \
	$(BIN)/yijian serve --root . --db var/yijian.db --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check platform tests bench
	$(BIN)/ruff format --check platform tests bench
	$(BIN)/lint-imports --no-cache

check: $(STAMP)
	$(BIN)/yijian check

cases: $(STAMP)
	$(BIN)/yijian test

test: $(STAMP) system-fonts system-pdftools system-hsm system-browser axe lint check cases
	$(BIN)/pytest -q -n 2 $(PYTEST_ARGS)

bench: $(STAMP)
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis tests/browser/node_modules
