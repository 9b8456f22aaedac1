# tools/testing.mk — the tests, included by the Makefile.
#
#   make test STAGE=N   the student's loop: stage N alone is tangled and built
#                       (float and double), and the tests of chapters 1..N run
#                       against it; a line per test suite, failures in full.
#   make test           the book's own check: every stage so, each chapter's
#                       shell tests on its own stage and on the last; then
#                       every stage folder built with its own build.sh, every
#                       exercise's test passed by its reference solution, the
#                       fuzz corpus replayed, the weave filter and the bars.

TEST_STAGES := $(if $(STAGE),$(STAGE),$(STAGES))
CRITERION_FLAGS ?= --jobs 2
export CRITERION_FLAGS PYTHON LAST CC CFLAGS_release CFLAGS_double

stage_tests = $(foreach v,release double,build/$(v)/stage$(1)/run-tests programs-$(v)-$(1))

ifneq ($(STAGE),)
test: $(call stage_tests,$(STAGE))
	tools/run-tests.sh $(STAGE) all
	echo "make test STAGE=$(STAGE): the tests of chapters 1..$(STAGE) passed on stage $(STAGE)"
else
test: $(foreach n,$(STAGES),$(call stage_tests,$(n))) check-standalone check-exercises fuzz-replay-release
	@for n in $(STAGES); do \
	    echo "== stage $$n"; \
	    TEST_BRIEF=1 tools/run-tests.sh $$n own || { echo "make test: stage $$n failed"; exit 1; }; \
	done
	@bash tools/test-weave.sh > build/test-weave.log 2>&1 \
	  || { cat build/test-weave.log; echo "make test: the weave filter's tests failed"; exit 1; }
	@tail -n 1 build/test-weave.log
	@$(PYTHON) tools/check-bars.py
	@echo "make test: all stages passed"
endif

# Each stage folder must build on its own with the cc commands its chapters
# state (collected in tangled/stageN/build.sh), in a scratch copy.
check-standalone: tangle
	@for n in $(TEST_STAGES); do \
	    d=$$(mktemp -d); cp tangled/stage$$n/* $$d/; \
	    (cd $$d && CC="$(CC) -Werror" sh build.sh) >/dev/null || { echo "stage $$n: build.sh failed"; rm -rf $$d; exit 1; }; \
	    rm -rf $$d; \
	done
	@echo "check-standalone: every stage folder builds with its own build.sh"

# One exercise's own test, against the chapters as they are now: make exercise EX=1.2
exercise:
	@test -n "$(EX)" || { echo "usage: make exercise EX=N.K (e.g. EX=1.2); make grade lists them"; exit 2; }
	@tools/exercise.sh $(EX)

# The exercises, their labels and what their tests say of the reader's chapters.
grade:
	@tools/grade.sh

# Every exercise's test passes with its reference solution (so that it can
# pass at all).  The solutions extend the chapters as they were handed out
# (the tag `handout` of a course's repository, else the last commit), in a
# copy under build/base/, so a reader's own solution never meets the
# reference one.
BASE_COMMIT = $(shell git rev-parse -q --verify 'handout^{commit}' 2>/dev/null \
                || git rev-parse -q --verify 'HEAD^{commit}' 2>/dev/null)
check-exercises:
	@rm -rf build/base; mkdir -p build/base
	@if [ -n "$(BASE_COMMIT)" ]; then \
	    git archive $(BASE_COMMIT) chapters tests tools | tar -x -C build/base; \
	else \
	    cp -r chapters tests tools build/base/; \
	fi
	@{ find build/base/tests/exercises -name 'ex*-*-solution.nw' 2>/dev/null || true; } \
	  | sed 's|.*/ex\([0-9]*\)-\([0-9]*\)-solution.nw|\1.\2|' \
	  | sort -t. -k1,1n -k2,2n \
	  | xargs -r -P 2 -I{} bash -c 'cd build/base && tools/exercise.sh {} --solution > build-{}.log 2>&1 \
	      && echo "check-exercises: exercise {} passes with its reference solution" \
	      || { cat build-{}.log; echo "check-exercises: exercise {} fails with its reference solution"; exit 255; }'

# Chapter N (CH=N) as it was handed out; the reader's version is kept first.
reset:
	@tools/reset.sh "$(CH)" $(BASE_COMMIT)

# A course's starting point: stages 1..N as a repository of their own.
handout:
	@tools/handout.sh "$(STAGE)" "$(DIR)" "$(SOLUTIONS)"
