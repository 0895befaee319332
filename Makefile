# Set-up, build, demo, tests and benchmarks. `make demo` and `make test` work on a fresh
# Debian/Ubuntu machine: they install the two system libraries when pkg-config lacks them.
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TONGHOP := .build/debug/tonghop
DEMO_OUT := out

.PHONY: deps build demo demo-national test test-asan test-tsan fuzz bench bench-national compare fixtures install clean

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libzip libxml-2.0; then \
	  echo "Installing the system libraries: pkg-config libzip-dev libxml2-dev"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pkg-config libzip-dev libxml2-dev; \
	fi

build: deps
	$(SWIFT) build

# The nightly job on the sample inbox, as of 5 December 2019. Exit 1 is the story's own
# (missing, late and rejected reports need a human); only an operational error fails the demo.
demo: build
	@mkdir -p $(DEMO_OUT)
	@$(TONGHOP) run --inbox samples/inbox --out $(DEMO_OUT)/reports --db $(DEMO_OUT)/tonghop.sqlite --as-of 2019-12-05; \
	  status=$$?; echo; \
	  echo "Báo cáo (report): $(CURDIR)/$$(ls -d $(DEMO_OUT)/reports/*/ | sort | tail -n 1)index.html"; \
	  [ $$status -le 1 ]

# The same program one level up: a generated national inbox cut into provinces, one run per
# province, their nop-cap-tren/ workbooks consolidated by the Central Union's plan.
demo-national: build
	bash scripts/national/demo.sh

# The project's own targets (sources and tests) build with warnings as errors; SwiftPM leaves the
# flag off the dependencies, which it builds with -suppress-warnings.
STRICT := -Xswiftc -warnings-as-errors
test: deps
	$(SWIFT) build --build-tests $(STRICT)
	$(SWIFT) test $(STRICT)

# The test suite under AddressSanitizer (a build of its own, beside the usual one).
test-asan: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	# XCTest's own harness leaks a few objects at exit; memory errors are what this is for.
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path .build-asan

# The concurrent parts (overlapped inflate and parse, worker threads of the run) under
# ThreadSanitizer.
test-tsan: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan --filter "OverlappedReadTests|ResubmissionTests|SampleRunTests"

# libFuzzer on the readers and parsers: FUZZ_SECONDS per target, seeds from the fixtures.
FUZZ_SECONDS ?= 60
fuzz: deps
	bash Fuzz/run.sh $(FUZZ_SECONDS)

# Cell-for-cell agreement with python-calamine on the shared corpus (needs python3).
compare: build
	python3 scripts/compare-with-calamine.py --tonghop $(TONGHOP)

# Remakes the reader's fixtures with LibreOffice, Gnumeric, openpyxl and xlsxwriter.
fixtures:
	python3 Tests/SheetsTests/Fixtures/make_fixtures.py

bench: deps
	bash Benchmarks/run.sh

# Only the national inbox end to end beside python-calamine's bare read of the same files.
bench-national: deps
	bash Benchmarks/national.sh

# The release program in $(PREFIX)/bin, the plans, report templates and guide in
# $(PREFIX)/share/tonghop (found from there when no --plan, TONGHOP_PLAN, tonghop.yml or
# ./templates names a plan). DESTDIR stages a package.
PREFIX ?= /usr/local
install: deps
	$(SWIFT) build -c release --product tonghop
	bash scripts/install.sh "$$($(SWIFT) build -c release --show-bin-path)/tonghop" "$(DESTDIR)$(PREFIX)"

clean:
	rm -rf .build
