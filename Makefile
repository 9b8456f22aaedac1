# An LSTM from Scratch, in C — the one entry point.
#
#   make              install missing tools, tangle every stage, build every
#                     stage program, run them on the default corpus, weave the
#                     book (build/book.html, build/book.pdf)
#   make test         every test of every stage, float and double (STAGE=N: just stage N)
#   make test-asan    the same tests under AddressSanitizer + UBSan
#   make bench        speed measurements (medians, ratios in one run)
#   make help         this list and more
#
# Stage N is chapters 00..N tangled into tangled/stageN/.  Each stage is built
# in three variants: release (float, optimised), double (real = double, for
# gradient checks) and asan (sanitizers), and the last stage in a fourth, vg
# (for valgrind).  Outputs go to build/VARIANT/stageN/.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules

CC      ?= cc
PYTHON  ?= python3
CHAPTERS := $(sort $(wildcard chapters/*.nw))
# Numbered chapters 01..NN each make a stage; 00 (the preface) and lettered
# appendices only add prose.
STAGES := $(sort $(foreach f,$(wildcard chapters/[0-9][0-9]-*.nw),\
            $(filter-out 0,$(patsubst 0%,%,$(firstword $(subst -, ,$(notdir $(f))))))))
LAST   := $(lastword $(STAGES))
STAGE  ?=
ifneq ($(STAGE),)
ifeq ($(filter $(STAGE),$(STAGES)),)
$(error STAGE=$(STAGE): this book's stages are $(STAGES))
endif
# The student's loop: only stage N is tangled, built and tested, quietly.
.SILENT:
endif
VARIANTS := release double asan vg

# The files that make up stage N: chapters 01..N and the appendices they use.
stage_files = $(shell tools/stage-files.sh $(1))

WARN := -std=c11 -Wall -Wextra -Wpedantic -Werror
CFLAGS_release := $(WARN) -O3 -march=native -ffp-contract=fast
CFLAGS_double  := $(WARN) -O3 -march=native -ffp-contract=fast -DLSTM_DOUBLE
CFLAGS_asan    := $(WARN) -O1 -g -fno-omit-frame-pointer \
                  -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all
# For valgrind: no -march=native, because valgrind (3.19) does not know the
# AVX-512 instructions that gcc uses on processors that have them.
CFLAGS_vg      := $(WARN) -O2 -g -ffp-contract=fast
LDLIBS := -lm -lpthread

.PHONY: all deps tangle programs outputs book test test-asan test-torch bench data train clean help fuzz \
        fuzz-replay-release fuzz-replay-asan valgrind \
        check-tangle check-standalone check-exercises exercise grade reset handout FORCE
all: programs outputs book

help:
	@sed -n '3,12p' Makefile | sed 's/^# \{0,1\}//'
	@echo "  make tangle        tangle chapters into tangled/stage1..$(LAST)"
	@echo "  make data          fetch and verify the default corpus (DATA=path to use a copy)"
	@echo "  make train         the full default training run (TRAIN_MINUTES=30) into runs/default/"
	@echo "  make fuzz          libFuzzer on the loaders, the UTF-8 reader and the options (FUZZ_SECONDS=60 each; needs clang)"
	@echo "  make valgrind      every program of the last stage under valgrind's memcheck"
	@echo "  make bench-record  make bench, kept in runs/bench/ for chapter 8 (needs python3-torch)"
	@echo "  make test-torch    the loss and every gradient against PyTorch's autograd, and the converter (skipped without python3-torch)"
	@echo "  make check-tangle  fail if tangled/ differs from what the chapters tangle to"
	@echo "  make test STAGE=N  the student's loop: tangle and build stage N only, run the tests of chapters 1..N"
	@echo "  make exercise EX=N.K  the test of exercise K of chapter N (it fails until the exercise is done)"
	@echo "  make grade         a table of the exercises: passed, failing, not attempted"
	@echo "  make reset CH=N    chapter N as it was handed out (yours is kept in build/reset/)"
	@echo "  make handout STAGE=N DIR=path [SOLUTIONS=1]  a course's starting point: stages 1..N as a repository"
	@echo "  make clean         remove build/"

deps:
	@tools/deps.sh

data: data/tinyshakespeare.txt
data/tinyshakespeare.txt: | deps
	tools/getdata.sh $(DATA)

# ---------------------------------------------------------------- tangling
# build/stamps/tangleN is up to date when tangled/stageN/ is.  Including
# build/stamps/tangled.mk makes make bring every stage up to date and then
# re-read this file, so the wildcards below see the freshly tangled files.
TANGLE_STAMPS := $(foreach n,$(STAGES),build/stamps/tangle$(n))
define TANGLE_RULE
build/stamps/tangle$(1): $(call stage_files,$(1)) tools/tangle.sh tools/tangle.py tools/stage-files.sh | deps
	@mkdir -p $$(@D)
	tools/tangle.sh $(1)
	@touch $$@
endef
$(foreach n,$(STAGES),$(eval $(call TANGLE_RULE,$(n))))

tangle: $(if $(STAGE),build/stamps/tangle$(STAGE),$(TANGLE_STAMPS))

NO_TANGLE_GOALS := deps clean help data reset handout exercise grade check-exercises
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(NO_TANGLE_GOALS),$(MAKECMDGOALS)),)
SKIP_TANGLE := yes
endif
endif
ifndef SKIP_TANGLE
ifneq ($(STAGE),)
include build/stamps/tangled-$(STAGE).mk
else
include build/stamps/tangled.mk
endif
endif
build/stamps/tangled.mk: $(TANGLE_STAMPS)
	@mkdir -p $(@D)
	@echo '# stages tangled: $(STAGES)' > $@
build/stamps/tangled-%.mk: build/stamps/tangle%
	@mkdir -p $(@D)
	@echo '# stage tangled: $*' > $@

# ---------------------------------------------------------------- building
# For stage N and variant V: every tangled .c that is not a program (lstm-*.c)
# goes into build/V/stageN/liblstm.a; each program links against it; the tests
# of stages 1..N link into one Criterion runner, build/V/stageN/run-tests.
define STAGE_RULES
S_$(2)_$(1)   := tangled/stage$(1)
O_$(2)_$(1)   := build/$(2)/stage$(1)
ALLC_$(2)_$(1) := $$(wildcard tangled/stage$(1)/*.c)
PROGC_$(2)_$(1) := $$(filter tangled/stage$(1)/lstm-%.c,$$(ALLC_$(2)_$(1)))
LIBO_$(2)_$(1) := $$(patsubst tangled/stage$(1)/%.c,build/$(2)/stage$(1)/obj/%.o,\
                   $$(filter-out $$(PROGC_$(2)_$(1)),$$(ALLC_$(2)_$(1))))
PROGS_$(2)_$(1) := $$(patsubst tangled/stage$(1)/%.c,build/$(2)/stage$(1)/%,$$(PROGC_$(2)_$(1)))
TESTC_$(2)_$(1) := $$(foreach k,$$(shell seq 1 $(1)),$$(wildcard tests/stage$$(k)/*.c))
TESTO_$(2)_$(1) := $$(patsubst tests/%.c,build/$(2)/stage$(1)/tests/%.o,$$(TESTC_$(2)_$(1)))

build/$(2)/stage$(1)/obj/%.o: tangled/stage$(1)/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_$(2)) -MMD -MP -c $$< -o $$@
build/$(2)/stage$(1)/liblstm.a: $$(LIBO_$(2)_$(1))
	@rm -f $$@
	ar rcs $$@ $$^
build/$(2)/stage$(1)/lstm-%: tangled/stage$(1)/lstm-%.c build/$(2)/stage$(1)/liblstm.a
	$$(CC) $$(CFLAGS_$(2)) -MMD -MP -MF $$@.d $$< build/$(2)/stage$(1)/liblstm.a $$(LDLIBS) -o $$@
build/$(2)/stage$(1)/tests/%.o: tests/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_$(2)) -Itangled/stage$(1) -Itests -MMD -MP -c $$< -o $$@
build/$(2)/stage$(1)/run-tests: $$(TESTO_$(2)_$(1)) build/$(2)/stage$(1)/liblstm.a
	$$(CC) $$(CFLAGS_$(2)) $$(TESTO_$(2)_$(1)) build/$(2)/stage$(1)/liblstm.a -lcriterion $$(LDLIBS) -o $$@

programs-$(2)-$(1): $$(PROGS_$(2)_$(1))
-include $$(LIBO_$(2)_$(1):.o=.d) $$(TESTO_$(2)_$(1):.o=.d) $$(PROGS_$(2)_$(1):=.d)
endef
$(foreach v,$(VARIANTS),$(foreach n,$(STAGES),$(eval $(call STAGE_RULES,$(n),$(v)))))

programs: $(foreach n,$(STAGES),programs-release-$(n))

# ---------------------------------------------------------------- testing
# `make test` runs, for every stage N, the tests of chapters 1..N against the
# code of stage N: a later chapter may add but must never break; then the
# checks of the whole book (see tools/testing.mk).  `make test STAGE=N` is the
# student's loop: stage N only, its own tests, nothing else.
include tools/testing.mk

# The fuzz harnesses of tests/fuzz/, built without libFuzzer against the last
# stage, replay the inputs kept in tests/fuzz/corpus/ (what `make fuzz` found
# interesting).  The options harness gets a prog.c whose exit() jumps back.
# (In a handout of fewer stages, the harnesses whose code it has: the
# options from stage 1; the loaders and the corpus reader from stage 5.)
FUZZ_HARNESSES := $(if $(filter 5,$(STAGES)),files text) options
define FUZZ_RULES
build/$(1)/fuzz/prog-hooked.o: tangled/stage$(LAST)/prog.c tests/fuzz/exit_hook.h
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_$(1)) -include tests/fuzz/exit_hook.h -Dexit=fuzz_exit -c $$< -o $$@
build/$(1)/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
                          build/$(1)/fuzz/prog-hooked.o build/$(1)/stage$(LAST)/liblstm.a
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_$(1)) -Itangled/stage$(LAST) -Itests/fuzz $$< tests/fuzz/replay.c \
	  $$(if $$(filter options,$$*),build/$(1)/fuzz/prog-hooked.o) build/$(1)/stage$(LAST)/liblstm.a \
	  $$(LDLIBS) -o $$@
fuzz-replay-$(1): $(foreach h,$(FUZZ_HARNESSES),build/$(1)/fuzz/replay-$(h))
	@for h in $(FUZZ_HARNESSES); do \
	  build/$(1)/fuzz/replay-$$$$h tests/fuzz/corpus/$$$$h > build/$(1)/fuzz/replay-$$$$h.err 2>&1 \
	    || { tail -5 build/$(1)/fuzz/replay-$$$$h.err; echo "fuzz replay of $$$$h failed ($(1))"; exit 1; }; \
	  tail -n 1 build/$(1)/fuzz/replay-$$$$h.err; \
	done
endef
$(foreach v,release asan,$(eval $(call FUZZ_RULES,$(v))))

# libFuzzer on each harness for FUZZ_SECONDS (needs clang); see tools/fuzz.sh.
FUZZ_SECONDS ?= 60
FUZZ ?= $(FUZZ_HARNESSES)
fuzz: programs-release-$(LAST)
	@tools/deps.sh clang
	tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ)

# Every program of the last stage under valgrind's memcheck (needs valgrind),
# built for the baseline of the processor family (the vg variant).
valgrind: programs-vg-$(LAST)
	@tools/deps.sh valgrind
	tools/valgrind.sh

# Sanitizer run (address, undefined and float-cast-overflow, which -fsanitize=undefined
# leaves out): any sanitizer report, leaks included, fails it.
test-asan: $(foreach n,$(TEST_STAGES),build/asan/stage$(n)/run-tests) fuzz-replay-asan
	@mkdir -p build/asan
	@for n in $(TEST_STAGES); do \
	    echo "== stage $$n tests (address + undefined sanitizers)"; \
	    log=build/asan/stage$$n/test.log; \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	      build/asan/stage$$n/run-tests $(CRITERION_FLAGS) 2>&1 | tee $$log || exit 1; \
	    if grep -qE 'LeakSanitizer|AddressSanitizer|runtime error' $$log; then \
	      echo "test-asan: sanitizer report in stage $$n (see $$log)"; exit 1; fi; \
	done
	@echo "make test-asan: clean"

check-tangle: tangle
	@git diff --exit-code --stat -- tangled || \
	  { echo "check-tangle: tangled/ is out of date: run make tangle and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- tangled)" || \
	  { git status --porcelain -- tangled; echo "check-tangle: untracked or deleted files in tangled/"; exit 1; }

# ---------------------------------------------------------------- running
# Each chapter's program runs during the build; its output goes into the book.
BOOK_OUTPUTS :=
include tools/outputs.mk
outputs: $(BOOK_OUTPUTS)

# The documented full run: the default model (2 x 256, batches of 32 x 50,
# Adam from 0.002 down a cosine planned over 16 epochs, dropout 0.2 between
# the layers) for TRAIN_MINUTES on Tiny Shakespeare, with the last stage's
# trainer (chapter 8's kernels), into runs/default/.  Its log.csv,
# summary.txt, samples.txt and best.model are committed; the book draws its
# curves, and chapter 7 looks inside the model.  (Chapter 5 shows why these
# settings; the logs of the runs that did worse are in runs/.)
TRAIN_MINUTES ?= 30
TRAIN_FLAGS ?= --schedule cosine --epochs 16 --dropout 0.2
ifneq ($(filter 6,$(STAGES)),)
train: build/release/stage$(LAST)/lstm-train build/release/stage$(LAST)/lstm-sample data/tinyshakespeare.txt
	rm -rf runs/default.new && mkdir -p runs/default.new
	$< --out runs/default.new --minutes $(TRAIN_MINUTES) --val-every 500 $(TRAIN_FLAGS) \
	   data/tinyshakespeare.txt | tee runs/default.new/summary.txt
	for t in 0.5 1.0 1.5; do \
	  printf -- '--- temperature %s ---\n' $$t; \
	  build/release/stage$(LAST)/lstm-sample --chars 600 --temperature $$t --seed 1 \
	    --prime $$'ROMEO:\n' runs/default.new/best.model; \
	done | tee runs/default.new/samples.txt
	rm -rf runs/default && mv runs/default.new runs/default

else
train:
	@echo "make train: needs the trainer and the sampler of chapters 5 and 6; this book stops at stage $(LAST)"; exit 1
endif

# The book's loss and gradients against PyTorch's autograd, through the
# converter tools/lstm_torch.py (tools/test_torch.py says what it checks).
# PyTorch is never needed by the book: without it, this says so and passes.
ifneq ($(filter 5,$(STAGES)),)
test-torch: build/double/stage$(LAST)/lstm-eval build/double/stage$(LAST)/lstm-grad build/release/stage$(LAST)/lstm-train
	@py=$$(for p in python3 /usr/bin/python3; do if $$p -c 'import torch, numpy' 2> /dev/null; then echo $$p; break; fi; done); \
	if [ -z "$$py" ]; then echo "test-torch: skipped (no python3 with torch and numpy: apt-get install python3-torch)"; \
	else $$py tools/test_torch.py build/double/stage$(LAST) build/release/stage$(LAST); fi
else
test-torch:
	@echo "make test-torch: needs lstm-train, of chapter 5; this book stops at stage $(LAST)"; exit 1
endif

ifneq ($(filter 8,$(STAGES)),)
bench: build/release/stage$(LAST)/lstm-kernels build/release/stage$(LAST)/lstm-bench
	tools/bench.sh

# The same, kept for chapter 8 in runs/bench/VENDOR-FAMILY-MODEL.txt, a record
# per kind of processor (PyTorch and OpenBLAS are not on the machine that
# builds the book, so their run is recorded, like training); a later run on
# the same kind replaces that kind's record.
BENCH_KIND = $(shell awk -F': ' '/^vendor_id/ { v = ($$2 ~ /Intel/) ? "intel" : ($$2 ~ /AMD/) ? "amd" : "other" } \
               /^cpu family/ { f = $$2 } /^model[ \t]*:/ { m = $$2 } END { print v "-" f "-" m }' /proc/cpuinfo)
bench-record: build/release/stage$(LAST)/lstm-kernels build/release/stage$(LAST)/lstm-bench
	@mkdir -p runs/bench
	tools/bench.sh > runs/bench/$(BENCH_KIND).txt.tmp || { rm -f runs/bench/$(BENCH_KIND).txt.tmp; exit 1; }
	grep -q '^training, 1 thread: ' runs/bench/$(BENCH_KIND).txt.tmp \
	  || { rm -f runs/bench/$(BENCH_KIND).txt.tmp; echo "bench-record: no PyTorch in this run; runs/bench/ kept as it was"; exit 1; }
	mv runs/bench/$(BENCH_KIND).txt.tmp runs/bench/$(BENCH_KIND).txt
else
bench bench-record:
	@echo "make $@: needs lstm-bench, of chapter 8; this book stops at stage $(LAST)"; exit 1
endif

# ---------------------------------------------------------------- the book
include tools/book.mk

clean:
	rm -rf build
