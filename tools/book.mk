# tools/book.mk — weave the chapters into build/book.md, then build/book.html
# and build/book.pdf with pandoc.  Included by the Makefile, which defines
# CHAPTERS, PYTHON and BOOK_OUTPUTS (the program outputs the book quotes).

PANDOC_COMMON := -f markdown -s --toc --toc-depth=2 \
                 --number-sections --top-level-division=chapter \
                 --metadata-file=chapters/metadata.yaml

build/book.md: $(CHAPTERS) tools/weave.py $(BOOK_OUTPUTS) | deps
	@mkdir -p $(@D)
	$(PYTHON) tools/weave.py --outputs build/out $(CHAPTERS) > $@.tmp
	mv $@.tmp $@

# One self-contained file: the style sheet and every figure are embedded, and
# the mathematics is MathML, which browsers render with no script or network.
build/book.html: tools/book.mk build/book.md chapters/metadata.yaml chapters/book.css
	pandoc $(PANDOC_COMMON) --mathml --self-contained --css=chapters/book.css \
	  -o $@.tmp.html build/book.md
	mv $@.tmp.html $@

# pandoc runs pdflatex itself (as often as the cross-references need), after
# converting any SVG figure to PDF with rsvg-convert.
build/book.pdf: tools/book.mk build/book.md chapters/metadata.yaml chapters/header.tex tools/pdf-output.lua
	pandoc $(PANDOC_COMMON) --pdf-engine=pdflatex --include-in-header=chapters/header.tex \
	  --lua-filter=tools/pdf-output.lua \
	  -o $@.tmp.pdf build/book.md
	mv $@.tmp.pdf $@

book: build/book.html build/book.pdf
