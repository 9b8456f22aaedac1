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
