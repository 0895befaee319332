# Set-up, build, demo, tests and benchmarks. `make demo` and `make test` work on a fresh
# Debian/Ubuntu machine: they install the two system libraries when pkg-config lacks them.
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TONGHOP := .build/debug/tonghop
DEMO_FILE := Tests/SheetsTests/Fixtures/header_two_rows_merged.xlsx

.PHONY: deps build demo test bench compare fixtures clean

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libzip libxml-2.0; then \
	  echo "Installing the system libraries: pkg-config libzip-dev libxml2-dev"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pkg-config libzip-dev libxml2-dev; \
	fi

build: deps
	$(SWIFT) build

demo: build
	@echo; echo "== tonghop inspect $(DEMO_FILE)"
	@$(TONGHOP) inspect $(DEMO_FILE)
	@echo; echo "== tonghop inspect --csv $(DEMO_FILE)"
	@$(TONGHOP) inspect --csv $(DEMO_FILE)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

# Cell-for-cell agreement with python-calamine on the shared corpus (needs python3).
compare: build
	python3 scripts/compare-with-calamine.py --tonghop $(TONGHOP)

# Remakes the reader's fixtures with LibreOffice, Gnumeric, openpyxl and xlsxwriter.
fixtures:
	python3 Tests/SheetsTests/Fixtures/make_fixtures.py

bench: deps
	bash Benchmarks/run.sh

clean:
	rm -rf .build
