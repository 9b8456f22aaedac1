# tools/outputs.mk — run each chapter's program during the build; the book
# includes what they print (see {{include ...}} and {{value ...}} in chapters).
# Included by the Makefile, which defines BOOK_OUTPUTS.

OUT := build/out

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

# Chapter 2: lstm-cell steps a layer of 3 cells over "abba".
$(OUT)/cell.txt: build/release/stage2/lstm-cell
	@mkdir -p $(@D)
	$< > $@.tmp
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/cell.txt

# The default corpus, for the programs of chapter 3 on.
CORPUS := data/tinyshakespeare.txt

# Chapter 3: lstm-eval with a random 2 x 256 model on the first 5,000 characters.
$(OUT)/eval-random.txt: build/release/stage3/lstm-eval $(CORPUS)
	@mkdir -p $(@D)
	$< --chars 5000 $(CORPUS) > $@.tmp
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/eval-random.txt

# Chapter 4: the double build of lstm-grad checks a random 2 x 32 model.
$(OUT)/grad-check.txt: build/double/stage4/lstm-grad $(CORPUS)
	@mkdir -p $(@D)
	$< $(CORPUS) > $@.tmp
	mv $@.tmp $@
BOOK_OUTPUTS += $(OUT)/grad-check.txt
