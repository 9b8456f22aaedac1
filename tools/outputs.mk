# tools/outputs.mk — run each chapter's program during the build; the book
# includes what they print (see {{include ...}} and {{value ...}} in chapters).
# Included by the Makefile, which defines BOOK_OUTPUTS.

OUT := build/out
# A handout of the first N stages runs only the programs it has.
have = $(filter $(1),$(STAGES))

# Chapter 1: lstm-kernels, once; the check and the timing table are cut apart.
$(OUT)/kernels.txt: build/release/stage1/lstm-kernels
	@mkdir -p $(@D)
	$< --repeat 5 | tee $@.tmp
	mv $@.tmp $@
$(OUT)/kernels-check.txt: $(OUT)/kernels.txt
	sed '/^GFLOP\/s/,$$d' $< | sed -e :a -e '/^\n*$$/{$$d;N;ba' -e '}' > $@
$(OUT)/kernels-speed.txt: $(OUT)/kernels.txt
	sed -n '/^GFLOP\/s/,/^$$/p' $< | sed '/^$$/d' > $@
BOOK_OUTPUTS += $(OUT)/kernels.txt $(OUT)/kernels-check.txt $(OUT)/kernels-speed.txt

ifneq ($(call have,2),)
# Chapter 2: lstm-cell steps a layer of 3 cells over "abba".
$(OUT)/cell.txt: build/release/stage2/lstm-cell
	@mkdir -p $(@D)
	$< > $@.tmp
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/cell.txt
endif

# The default corpus, for the programs of chapter 3 on.
CORPUS := data/tinyshakespeare.txt

ifneq ($(call have,3),)
# Chapter 3: lstm-eval with a random 2 x 256 model on the first 5,000 characters.
$(OUT)/eval-random.txt: build/release/stage3/lstm-eval $(CORPUS)
	@mkdir -p $(@D)
	$< --chars 5000 $(CORPUS) > $@.tmp
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/eval-random.txt
# ... and --per-char with chapter 5's trained model on its validation text,
# the last tenth of the corpus as lstm-train cuts it (111,539 characters of
# ASCII), the ten hardest characters of the second table kept.
$(OUT)/per-char.txt: build/release/stage3/lstm-eval runs/default/best.model $(CORPUS)
	@mkdir -p $(@D)
	tail -c 111539 $(CORPUS) > $(OUT)/validation.txt
	$< --model runs/default/best.model --per-char $(OUT)/validation.txt > $@.all
	awk '/^per character/ { c = 1 } c && /^  / && ++n > 10 { next } { print }' $@.all > $@.tmp
	rm $@.all
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/per-char.txt
endif

ifneq ($(call have,4),)
# Chapter 4: the double build of lstm-grad checks a random 2 x 32 model.
$(OUT)/grad-check.txt: build/double/stage4/lstm-grad $(CORPUS)
	@mkdir -p $(@D)
	$< $(CORPUS) > $@.tmp
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/grad-check.txt
endif

ifneq ($(call have,5),)
# Chapter 5: a short training run of the default model (the README's main
# job trains for these minutes, then samples), and the curves of the full
# run whose log is kept in runs/default/log.csv (made by `make train`).
TRAIN_SHORT_MINUTES ?= 2
$(OUT)/train-short.txt $(OUT)/train-samples.txt &: build/release/stage5/lstm-train $(CORPUS)
	@rm -rf $(OUT)/train-short && mkdir -p $(OUT)
	$< --out $(OUT)/train-short --minutes $(TRAIN_SHORT_MINUTES) --val-every 100 \
	   --sample-every 25 --sample-chars 500 $(CORPUS) > $(OUT)/train-short.raw
	awk '/^--- sample at step / { s = 1 } /^steps: / { s = 0 } !s' $(OUT)/train-short.raw \
	  | cat -s > $(OUT)/train-short.tmp
	awk '/^--- sample at step / { s = 1; n = 0; print; next } /^steps: / { s = 0 } \
	     s && n < 3 && NF { print; n++ }' $(OUT)/train-short.raw > $(OUT)/train-samples.txt
	rm $(OUT)/train-short.raw
	mv $(OUT)/train-short.tmp $(OUT)/train-short.txt
# (The book's figures each need a file name of their own: see tools/weave.py.)
$(OUT)/train-short-loss.svg: $(OUT)/train-short.txt
	cp $(OUT)/train-short/loss.svg $@
$(OUT)/train-full.txt: build/release/stage5/lstm-plot runs/default/log.csv
	@mkdir -p $(OUT)/train-full
	$< --below 1.5 runs/default/log.csv $(OUT)/train-full > $@.tmp
	mv $@.tmp $@
$(OUT)/train-full-loss.svg: $(OUT)/train-full.txt
	cp $(OUT)/train-full/loss.svg $@
# Experiments of chapter 5, their logs kept in runs/: with stage 5's trainer,
# T = 100 and T = 50, and the cosine schedule with dropout 0.1 and 0.2; with
# stage 8's, the constant rate without dropout, and (with chapter 8 finished)
# the cosine over 32 epochs (the default run is runs/default).
$(OUT)/run-%.txt: build/release/stage5/lstm-plot runs/%/log.csv
	@mkdir -p $(OUT)/run-$*
	$< --below 1.5 runs/$*/log.csv $(OUT)/run-$* > $@.tmp
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/train-short.txt $(OUT)/train-samples.txt $(OUT)/train-short-loss.svg \
                $(OUT)/train-full.txt $(OUT)/train-full-loss.svg \
                $(OUT)/run-t100.txt $(OUT)/run-t50.txt $(OUT)/run-cosine-d10.txt \
                $(OUT)/run-cosine-d20.txt $(OUT)/run-fast-constant.txt $(OUT)/run-cosine32.txt
endif

# The data figures of chapters 2, 4 and 5, drawn by small programs in
# tools/figures/ against stage 5 (chapter 4's backward pass, appendix C's
# plotter): the gradient's decay with distance (forgetting), the error of the
# finite differences against their step, in float and in double (fd-error),
# and the learning-rate schedules of the default run (schedules).
ifneq ($(call have,5),)
build/release/figures/%: tools/figures/%.c build/release/stage5/liblstm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_release) -Itangled/stage5 $< build/release/stage5/liblstm.a $(LDLIBS) -o $@
build/double/figures/%: tools/figures/%.c build/double/stage5/liblstm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_double) -Itangled/stage5 $< build/double/stage5/liblstm.a $(LDLIBS) -o $@
$(OUT)/forgetting.txt: build/release/figures/forgetting runs/default/best.model $(CORPUS)
	@mkdir -p $(@D)
	$< runs/default/best.model $(CORPUS) $(OUT)/forgetting.svg > $@.tmp
	mv $@.tmp $@
$(OUT)/forgetting.svg: $(OUT)/forgetting.txt
	@test -f $@
$(OUT)/fd-float.txt: build/release/figures/fd-error
	@mkdir -p $(@D)
	$< measure > $@.tmp
	mv $@.tmp $@
$(OUT)/fd-double.txt: build/double/figures/fd-error
	@mkdir -p $(@D)
	$< measure > $@.tmp
	mv $@.tmp $@
$(OUT)/fd-error.svg: build/release/figures/fd-error $(OUT)/fd-float.txt $(OUT)/fd-double.txt
	$< plot $(OUT)/fd-float.txt $(OUT)/fd-double.txt $@
# The figures chapter 4 quotes: each curve's smallest median error, and where.
$(OUT)/fd-values.txt: $(OUT)/fd-float.txt $(OUT)/fd-double.txt
	{ for f in float double; do awk -v f=$$f 'function tex(x,  e) { e = sprintf("%.0e", x); split(e, a, "e"); \
	          return sprintf("$$%d \\times 10^{%d}$$", a[1], a[2] + 0) } \
	      NR == 1 || $$2 < c { c = $$2; ce = $$1 } NR == 1 || $$3 < p { p = $$3; pe = $$1 } \
	      $$1 > 0.00099 && $$1 < 0.00101 { at = $$3 } \
	      END { printf "%s central best: %s\n%s central best eps: %s\n%s five-point best: %s\n%s five-point best eps: %s\n", \
	            f, tex(c), f, tex(ce), f, tex(p), f, tex(pe); printf "%s five-point at 1e-3: %s\n", f, tex(at) }' \
	      $(OUT)/fd-$$f.txt; done; } > $@.tmp
	test $$(wc -l < $@.tmp) = 10
	mv $@.tmp $@
$(OUT)/schedules.svg: build/release/figures/schedules runs/default/log.csv
	@mkdir -p $(@D)
	$< runs/default/log.csv $@
BOOK_OUTPUTS += $(OUT)/forgetting.txt $(OUT)/forgetting.svg $(OUT)/fd-float.txt \
                $(OUT)/fd-double.txt $(OUT)/fd-error.svg $(OUT)/fd-values.txt $(OUT)/schedules.svg
else
# A handout of fewer stages has not the code that draws the figures of
# chapters 2 and 4: tools/handout.sh puts them, as the whole book drew them,
# in runs/figures/.
$(OUT)/%: runs/figures/%
	@mkdir -p $(@D)
	cp $< $@
BOOK_OUTPUTS += $(patsubst runs/figures/%,$(OUT)/%,$(wildcard runs/figures/*))
endif

ifneq ($(call have,6),)
# Chapter 6: samples of the short run's model at three temperatures; the full
# run's samples are kept beside its log (made by `make train`).
SAMPLE_RULES := 0.5 1.0 1.5
$(OUT)/sample-short.txt: build/release/stage6/lstm-sample $(OUT)/train-short.txt
	for t in $(SAMPLE_RULES); do \
	  printf -- '--- temperature %s ---\n' $$t; \
	  $< --chars 300 --temperature $$t --seed 1 --prime $$'ROMEO:\n' $(OUT)/train-short/best.model; \
	done > $@.tmp
	mv $@.tmp $@
$(OUT)/sample-full.txt: runs/default/samples.txt
	cp $< $@
BOOK_OUTPUTS += $(OUT)/sample-short.txt $(OUT)/sample-full.txt
# Chapter 6's figure: one next-character distribution of the full run's model
# at three temperatures, with the cuts of top-k and top-p (tools/figures/).
build/release/figures/distribution: tools/figures/distribution.c build/release/stage6/liblstm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_release) -Itangled/stage6 $< build/release/stage6/liblstm.a $(LDLIBS) -o $@
$(OUT)/distribution.txt: build/release/figures/distribution runs/default/best.model
	@mkdir -p $(@D)
	$< runs/default/best.model $(OUT)/distribution.svg > $@.tmp
	mv $@.tmp $@
$(OUT)/distribution.svg: $(OUT)/distribution.txt
	@test -f $@
BOOK_OUTPUTS += $(OUT)/distribution.txt $(OUT)/distribution.svg
endif

ifneq ($(call have,7),)
# Chapter 7: lstm-inspect on the full run's model (runs/default/best.model,
# committed) over the last 100,000 characters of the corpus, which that run
# held out for validation; pages and pictures of each feature's best cell.
$(OUT)/inspect.txt: build/release/stage7/lstm-inspect runs/default/best.model $(CORPUS)
	@rm -rf $(OUT)/inspect && mkdir -p $(OUT)
	$< --out $(OUT)/inspect --from 1015394 --chars 100000 --svg 560 \
	   runs/default/best.model $(CORPUS) > $@.tmp
	mv $@.tmp $@
INSPECT_SVGS := $(foreach f,line-position after-newline speaker-name in-word,$(OUT)/inspect/$(f).svg)
$(INSPECT_SVGS): $(OUT)/inspect.txt
	@test -f $@
BOOK_OUTPUTS += $(OUT)/inspect.txt $(INSPECT_SVGS)
# Chapter 7's figure: the saturation of every gate unit, per layer.
build/release/figures/saturation: tools/figures/saturation.c build/release/stage7/liblstm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_release) -Itangled/stage7 $< build/release/stage7/liblstm.a $(LDLIBS) -o $@
$(OUT)/saturation.txt: build/release/figures/saturation runs/default/best.model $(CORPUS)
	@mkdir -p $(@D)
	$< runs/default/best.model $(CORPUS) $(OUT)/saturation.svg > $@.tmp
	mv $@.tmp $@
$(OUT)/saturation.svg: $(OUT)/saturation.txt
	@test -f $@
BOOK_OUTPUTS += $(OUT)/saturation.txt $(OUT)/saturation.svg
endif

ifneq ($(wildcard chapters/F1-*.nw),)
# Appendix F: the fuzzing runs made so far (appended to by tools/fuzz.sh,
# committed), and the inputs kept for make test to replay.
$(OUT)/fuzz-runs.txt: tests/fuzz/runs.log $(wildcard tests/fuzz/corpus/*)
	@mkdir -p $(@D)
	{ cat $<; echo; for h in $(FUZZ_HARNESSES); do \
	    printf 'kept for replay: %-8s %5d inputs\n' $$h $$(ls tests/fuzz/corpus/$$h | wc -l); done; } > $@.tmp
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/fuzz-runs.txt
endif

ifneq ($(call have,8),)
# Chapter 8: lstm-bench, the product, a training step and sampling, each timed
# with chapter 1's blocked kernel and chapter 8's tiled one in one run.  The
# figures above the blank line go into the book as a table.
$(OUT)/bench.txt: build/release/stage8/lstm-bench
	@mkdir -p $(@D)
	$< --repeat 5 > $@.tmp
	mv $@.tmp $@
$(OUT)/bench-table.txt: $(OUT)/bench.txt
	sed '/^threads: /,$$d' $< | sed '/^product /d; /^peak: /d; /^sample bound /d; /^sample of bound /d; /^tile gain /d; /^tiles: /d' \
	  | cat -s > $@
BOOK_OUTPUTS += $(OUT)/bench.txt $(OUT)/bench-table.txt
# ... and its training and sampling speeds as bars (tools/figures/speed.c).
build/release/figures/speed: tools/figures/speed.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_release) $< -o $@
$(OUT)/speed.svg: build/release/figures/speed $(OUT)/bench.txt
	$< $(OUT)/bench.txt $@
BOOK_OUTPUTS += $(OUT)/speed.svg

# Chapter 8: the worst errors of the vector sigmoid and tanh that the tests
# found (tests/stage8/test_squash.c), in units of the last place.
$(OUT)/squash.txt: build/release/stage8/run-tests
	@mkdir -p $(@D)
	$< --filter 'squash/*_is_accurate' --verbose 2>&1 \
	  | sed -n 's/.*\] \(sigmoid\|tanh\): worst error \([0-9.]*\) u .*/\1 worst: \2/p' > $@.tmp
	test $$(wc -l < $@.tmp) = 2
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/squash.txt

# Chapter 8: the recorded runs of `make bench-record` (runs/bench/, one per
# kind of processor), with OpenBLAS and PyTorch beside ours: the newest run's
# last sections, its ratios as values, and a table of every record side by side.
BENCH_RECORDS := $(sort $(wildcard runs/bench/*.txt))
BENCH_NEWEST := $(if $(BENCH_RECORDS),$(shell awk 'FNR == 1 { print $$3, FILENAME }' $(BENCH_RECORDS) | sort | tail -1 | cut -d' ' -f2))
ifeq ($(BENCH_NEWEST),)
BENCH_NEWEST := runs/bench/missing.txt
endif
$(OUT)/bench-machines.md: tools/bench-machines.sh $(BENCH_RECORDS)
	@mkdir -p $(@D)
	tools/bench-machines.sh $(BENCH_RECORDS) > $@.tmp
	mv $@.tmp $@
$(OUT)/bench-ref.txt: $(BENCH_NEWEST)
	@mkdir -p $(@D)
	sed -n '/^== OpenBLAS core types/,$$p' $< > $@.tmp
	mv $@.tmp $@
$(OUT)/bench-ref-values.txt: $(BENCH_NEWEST)
	@mkdir -p $(@D)
	{ sed -n 's/^== bench: \([0-9T:-]*\)Z* on \([0-9]*\) cores: \(.*\)/date: \1\ncores: \2\ncpu: \3/p' $<; \
	  sed -n 's/^training, 1 thread: *\([0-9.]*\)x.*/torch train 1: \1/p; s/^training, all cores: *\([0-9.]*\)x.*/torch train all: \1/p' $<; \
	  sed -n 's/^sampling, 1 thread: *\([0-9.]*\)x.*/torch sample 1: \1/p; s/^sampling, all cores: *\([0-9.]*\)x.*/torch sample all: \1/p' $<; \
	  sed -n 's/^  1 core: .*= \([0-9.]*\)x.*/ceiling 1: \1/p; s/^  [0-9]* cores: .*= \([0-9.]*\)x.*/ceiling all: \1/p' $<; \
	  awk '/^== BLAS/ { f = 1; next } /^== / { f = 0 } f && NF == 6 { r = $$6 + 0; if (min == "" || r < min) min = r } \
	       END { printf "blas min: %.2f\n", min }' $<; \
	  sed -n 's/^\([A-Za-z0-9]*\), its own choice .*/openblas own: \1/p; s/^openblas core: \([A-Za-z0-9]*\).*/openblas used: \1/p' $<; \
	  sed -n 's/^memory ours: /memory ours: /p; s/^memory torch: /memory torch: /p' $<; \
	  sed -n 's/^\([0-9]*\) pairs, each: .*/pairs: \1/p' $<; } > $@.tmp
	test $$(wc -l < $@.tmp) = 15 \
	  || { echo "$<: not a whole run of make bench-record (found: $$(tr '\n' ' ' < $@.tmp))"; exit 1; }
	echo "record: $<" >> $@.tmp
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/bench-ref.txt $(OUT)/bench-ref-values.txt $(OUT)/bench-machines.md
endif

# Appendix G: the figures behind the answers to the exercises without a test
# of their own.  Exercise 4.1: how the gradient with respect to the initial
# state shrinks with T (tools/answers/vanishing.c, on stage 4); exercise 3.1:
# the perplexities of the random model of chapter 3 and of the full run.
ifneq ($(wildcard chapters/G1-*.nw),)
build/release/answers/vanishing: tools/answers/vanishing.c build/release/stage4/liblstm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_release) -Itangled/stage4 $< build/release/stage4/liblstm.a $(LDLIBS) -o $@
$(OUT)/vanishing.txt: build/release/answers/vanishing
	@mkdir -p $(@D)
	$< > $@.tmp
	mv $@.tmp $@
$(OUT)/answers.txt: $(OUT)/eval-random.txt $(OUT)/train-full.txt $(CORPUS)
	awk -F': ' '$$1 == "loss" { printf "random perplexity: %.1f\n", exp($$2 + 0) } \
	            $$1 == "sizes" { split($$2, a, "[ ,]+"); printf "random V: %s\n", a[3] }' $(OUT)/eval-random.txt > $@.tmp
	awk -F': ' '$$1 == "best validation loss" { printf "trained perplexity: %.2f\n", exp($$2 + 0) }' \
	    $(OUT)/train-full.txt >> $@.tmp
	LC_ALL=C grep -oE "[A-Za-z']+|[^A-Za-z' ]" $(CORPUS) | sort | uniq -c \
	  | awk 'function c(x,  s, r) { s = sprintf("%d", x); while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; \
	                                  s = substr(s, 1, length(s) - 3) } return s r } \
	         { n++; t += $$1; if ($$1 == 1) once++ } \
	         END { printf "word types: %s\nword tokens: %s\nwords once: %s\n", c(n), c(t), c(once); \
	         printf "word W_ih: %.1f million\nword W_y: %.1f million\n", 4 * 256 * n / 1e6, 256 * n / 1e6 }' >> $@.tmp
	test $$(wc -l < $@.tmp) = 8
	mv $@.tmp $@
# The time budgets: a recorded run of tools/course-timings.sh.
$(OUT)/course.txt: runs/course.txt
	@mkdir -p $(@D)
	cp $< $@
BOOK_OUTPUTS += $(OUT)/vanishing.txt $(OUT)/answers.txt $(OUT)/course.txt
endif

ifneq ($(call have,9),)
# Chapter 9: the comparison of a model of characters and a model of words,
# trained side by side for the same time (a recorded run of
# tools/words-vs-chars.sh: its summary and samples).
$(OUT)/words-vs-chars.txt: runs/words-vs-chars/summary.txt
	@mkdir -p $(@D)
	cp $< $@
$(OUT)/words-vs-chars-samples.txt: runs/words-vs-chars/samples.txt
	@mkdir -p $(@D)
	cp $< $@
$(OUT)/words-vs-chars-split.txt: runs/words-vs-chars/split.txt
	@mkdir -p $(@D)
	cp $< $@
# Their validation curves in one chart, in bits per character: the words'
# nats per token times the validation part's tokens per character (from the
# summary's line "words tokens: N (predictions: P), C characters predicted").
$(OUT)/words-vs-chars-curves.txt $(OUT)/words-vs-chars-curves.svg &: build/release/figures/curves \
    runs/words-vs-chars/summary.txt runs/words-vs-chars/chars/log.csv runs/words-vs-chars/words/log.csv
	@mkdir -p $(@D)
	per=$$(awk '/^words tokens: / { gsub(/[(),]/, " "); print $$5 / $$6 }' runs/words-vs-chars/summary.txt); \
	test -n "$$per"; \
	$< $(OUT)/words-vs-chars-curves.svg "Validation loss, characters against words, one core each" \
	   "bits per character" 2.6 \
	   characters $$(awk 'BEGIN { print 1 / log(2) }') runs/words-vs-chars/chars/log.csv \
	   words $$(awk -v p=$$per 'BEGIN { print p / log(2) }') runs/words-vs-chars/words/log.csv > $(OUT)/words-vs-chars-curves.tmp
	mv $(OUT)/words-vs-chars-curves.tmp $(OUT)/words-vs-chars-curves.txt
BOOK_OUTPUTS += $(OUT)/words-vs-chars.txt $(OUT)/words-vs-chars-samples.txt $(OUT)/words-vs-chars-split.txt \
                $(OUT)/words-vs-chars-curves.txt $(OUT)/words-vs-chars-curves.svg
endif

# The concept figures: SVG drawn by hand, committed in chapters/figures/
# (chapters/figures/README.md says how), copied beside the programs' outputs.
FIGURES := $(wildcard chapters/figures/*.svg)
$(OUT)/figures/%.svg: chapters/figures/%.svg
	@mkdir -p $(@D)
	cp $< $@
BOOK_OUTPUTS += $(patsubst chapters/%,$(OUT)/%,$(FIGURES))
