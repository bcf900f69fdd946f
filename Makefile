# Chapterhouse: `make run` serves the site with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The address people (and credential verifiers) reach the site at: every credential id, key, status list and
# e-mail link is built from it. Follows HOST and PORT unless given; a site listening on all interfaces
# (HOST=0.0.0.0) should be given its real address, e.g. BASE_URL=http://192.168.1.20:8000.
BASE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),localhost,$(HOST)):$(PORT)
export FLASK_APP = app
# `make run` lets webhooks reach receivers on this machine (127.0.0.1); production refuses private targets.

BIN   = $(VENV)/bin
FLASK = $(BIN)/flask

.PHONY: run test install translations messages clean benchmark

run: install translations
	$(FLASK) db upgrade
	BASE_URL="$(BASE_URL)" $(FLASK) seed-demo
	@echo ""
	@echo "Chapterhouse is starting on $(BASE_URL)/"
	WEBHOOK_ALLOW_PRIVATE_TARGETS=true BASE_URL="$(BASE_URL)" $(FLASK) run --host "$(HOST)" --port "$(PORT)"

test:
	PYTHON="$(PYTHON)" VENV="$(VENV)" bash scripts/test.sh

# README "Performance": builds the scale data set once, then measures the main pages against a bare Flask app.
#   make benchmark DATABASE=postgresql SCALE=0.05
DATABASE ?= sqlite
SCALE    ?= 1
benchmark: install translations
	$(BIN)/python scripts/benchmark.py --database "$(DATABASE)" --scale "$(SCALE)"

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Chapterhouse needs Python 3.11 or newer.")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

translations: install
	$(BIN)/pybabel compile -d translations

# Re-extract the strings to translate after changing templates or code.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --ignore-dirs=".* __pycache__ node_modules tests migrations" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations

clean:
	rm -rf $(VENV) node_modules .pytest_cache
