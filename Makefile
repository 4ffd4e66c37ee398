# coconut — developer entry points (see docs/development.md). Without make (a fresh Debian 12
# image), `scripts/bootstrap.sh demo|test|...` installs the dependencies, make included, first.
#
#   make demo     install deps, build, validate + generate every example into out/<example>
#   make test     install deps, build with -Werror, run unit + integration tests (ctest);
#                 with CI=true also a clang ASan+UBSan build (build-asan/) running all tests
#                 again, then every fuzz harness for 30 s; each phase says how long it took
#                 (.ci/run sums them up at the end)
#   make fuzz     build-asan/ (clang, -DCOCONUT_FUZZ=ON), then each libFuzzer harness of fuzz/
#                 for FUZZ_SECONDS (default 30), FUZZ_JOBS at a time (default 1)
#   make bench    generate 10/100/1000-service specs, time coconut vs kubectl kustomize; then
#                 bench-targets and bench-check
#   make bench-targets  time every generation target at 1000 services vs helm template
#   make bench-check    time coconut check on 10,000 k8s docs, 1,000 Dockerfiles, 200 playbooks
#                       vs ansible-lint and dockerfilelint
#   make build    configure (Ninja) + build into build/
#   make clean    remove build trees and generated output
#
# Parallelism is capped at 2 jobs (the machines and CI have 2 cores).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

JOBS        ?= 2
BUILD_DIR   ?= build
ASAN_DIR    ?= build-asan
BUILD_TYPE  ?= RelWithDebInfo
OUT_DIR     ?= out
CMAKE_ARGS  ?=
CTEST_ARGS  ?=
FUZZ_SECONDS ?= 30
FUZZ_JOBS   ?= 1

COCONUT     := $(BUILD_DIR)/coconut
# A build dir configured before keeps its generator; a new one uses Ninja.
generator    = $(if $(wildcard $(1)/CMakeCache.txt),,-G Ninja)

# Sanitizer runtime options for the build-asan test run: leaks are errors, UB halts.
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:abort_on_error=0 \
                 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

# Each phase of `make test` runs under scripts/phase.sh: it prints the phase's duration when it
# ends and, with COCONUT_PHASE_LOG set (.ci/run), records it for the summary.
PHASE       := scripts/phase.sh

CI ?=
IS_CI := $(if $(filter true 1,$(CI)),1,0)
ifeq ($(IS_CI),1)
  WITH_ASAN := 1
endif
WITH_ASAN ?= 0

.PHONY: all deps deps-bench configure build demo test test-asan asan-build fuzz bench bench-targets bench-check clean distclean help ci-guard

all: build

help:
	@sed -n '1,19p' Makefile

deps:
	$(PHASE) deps scripts/setup-deps.sh

deps-bench:
	scripts/setup-deps.sh --bench

configure: deps
	cmake -S . -B $(BUILD_DIR) $(call generator,$(BUILD_DIR)) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# README command 1: coconut's main job on every example.
demo: build
	@set -e; for spec in examples/*/coconut.yaml; do \
	  [ -f "$$spec" ] || { echo "demo: no examples/*/coconut.yaml" >&2; exit 1; }; \
	  name=$$(basename $$(dirname $$spec)); \
	  echo "==> coconut validate -f $$spec"; \
	  $(COCONUT) validate -f $$spec; \
	  echo "==> coconut generate -f $$spec -o $(OUT_DIR)/$$name"; \
	  rm -rf $(OUT_DIR)/$$name; \
	  $(COCONUT) generate -f $$spec -o $(OUT_DIR)/$$name; \
	  find $(OUT_DIR)/$$name -type f | sort | sed 's/^/    /'; \
	done

# Golden files are rewritten only by a person who then reviews the diff, never in CI: with
# CI=true, COCONUT_UPDATE_GOLDEN in the environment stops the run before anything else.
ci-guard:
ifeq ($(IS_CI),1)
ifneq ($(strip $(COCONUT_UPDATE_GOLDEN)),)
	@echo "make: error: COCONUT_UPDATE_GOLDEN=$(COCONUT_UPDATE_GOLDEN) with CI=$(CI): CI never rewrites golden files;" \
	  "unset COCONUT_UPDATE_GOLDEN (update goldens locally, review with git diff, commit them)" >&2; exit 1
endif
endif

# The steps of the test phases (configure + compile is one phase).
define build_werror
	$(PHASE) build bash -c 'cmake -S . -B $(BUILD_DIR) $(call generator,$(BUILD_DIR)) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCOCONUT_WERROR=ON $(CMAKE_ARGS) && cmake --build $(BUILD_DIR) -j $(JOBS)'
endef
# build-asan/ is a clang build (libFuzzer ships with clang): ASan + UBSan, and with COCONUT_FUZZ
# coverage instrumentation plus the fuzz/ harnesses. A tree configured with another compiler
# (g++, before the fuzzers) is configured afresh: CMake cannot switch a tree's compiler.
define build_asan
	$(PHASE) asan-build bash -c 'if [ -f $(ASAN_DIR)/CMakeCache.txt ] && ! grep -q "^CMAKE_CXX_COMPILER:.*clang" $(ASAN_DIR)/CMakeCache.txt; then \
	  echo "make: $(ASAN_DIR)/ was configured with another compiler: configuring it afresh with clang++"; rm -rf $(ASAN_DIR); fi; \
	  gen=; [ -f $(ASAN_DIR)/CMakeCache.txt ] || gen="-G Ninja"; \
	  CXX=clang++ cmake -S . -B $(ASAN_DIR) $$gen -DCMAKE_BUILD_TYPE=Debug -DCOCONUT_SANITIZE=ON -DCOCONUT_FUZZ=ON $(CMAKE_ARGS) && cmake --build $(ASAN_DIR) -j $(JOBS)'
endef
define run_tests
	$(PHASE) tests ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)
endef
define run_asan_tests
	$(PHASE) asan-tests env $(SANITIZER_ENV) ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)
endef
# $(call run_fuzz,SECONDS,JOBS)
define run_fuzz
	$(PHASE) fuzz fuzz/run.sh $(ASAN_DIR) $(1) $(2)
endef

# README command 2: warnings are errors; unit + integration tests; ASan/UBSan too in CI.
test: ci-guard deps
	$(build_werror)
	$(run_tests)
ifeq ($(WITH_ASAN),1)
	$(build_asan)
	$(run_asan_tests)
	$(call run_fuzz,30,2)
endif

asan-build: deps
	$(build_asan)

# Unit + integration tests against the ASan+UBSan binaries (run by `make test` when CI=true).
test-asan: ci-guard deps
	$(build_asan)
	$(run_asan_tests)

# libFuzzer harnesses (fuzz/*.cpp): each runs FUZZ_SECONDS from the seeds of fuzz/seed.sh; exits
# non-zero on any crash, leak, timeout or out-of-memory input (kept in build-asan/fuzz-work/).
fuzz: deps
	$(build_asan)
	$(call run_fuzz,$(FUZZ_SECONDS),$(FUZZ_JOBS))

bench: deps-bench build
	bench/bench.sh $(COCONUT)
	bench/targets.sh $(COCONUT)
	bench/check.sh $(COCONUT)

bench-targets: deps-bench build
	bench/targets.sh $(COCONUT)

bench-check: deps-bench build
	bench/check.sh $(COCONUT)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(OUT_DIR) bench/work

# Also the npm test tools installed by scripts/setup-deps.sh and the Helm binaries fetched by
# scripts/fetch-helm.sh (.cache/tools, shared by every build tree).
distclean: clean
	rm -rf tests/integration/node/node_modules bench/node/node_modules .cache/tools
