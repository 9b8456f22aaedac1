#!/usr/bin/env bash
# tools/test-weave.sh — tests of the weave filter (tools/weave.py) on a small
# chapter whose right answer is written out by hand below, of its errors, and
# of the links in the woven book when it has been built.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fails=0
ok()   { echo "  ok: $1"; }
fail() { echo "  FAIL: $1"; fails=$((fails + 1)); }
expect() {   # expect DESCRIPTION FIXED-STRING FILE
    if grep -qF -- "$2" "$3"; then ok "$1"; else fail "$1 (no '$2' in $3)"; fi
}
echo "== weave filter tests"

mkdir -p "$t/out"; cp tests/weave/fixture.txt "$t/out/"
if "$PYTHON" tools/weave.py --outputs "$t/out" tests/weave/fixture.nw > "$t/book.md" 2> "$t/err"; then
    ok "weaves the fixture"
else
    fail "weaving the fixture: $(cat "$t/err")"
fi
md=$t/book.md
expect "root chunk heading, numbered 1"        '[⟨hello.c 1⟩≡]{.chunkname}' "$md"
expect "anchor of chunk 2"                     '::: {.chunk #chunk-2}' "$md"
expect "[[code]] in a chunk name"              '[⟨say `hello` 2⟩≡]{.chunkname}' "$md"
expect "continuation marked +≡"                '[⟨say `hello` 3⟩+≡]{.chunkname}' "$md"
expect "a use shows the first definition"      '⟨say hello 2⟩' "$md"
expect "code fenced as C"                      '~~~~ {.c}' "$md"
expect "root says which file"                  'This is the file `hello.c`.' "$md"
expect "uses link"                             'Uses ⟨say `hello`⟩ [2](#chunk-2).' "$md"
expect "used in"                               'Used in [1](#chunk-1).' "$md"
expect "continued in"                          'Continued in [3](#chunk-3).' "$md"
expect "continues"                             'Continues [2](#chunk-2).' "$md"
expect "inline [[code]] in prose"              'Prose with `inline_code` and' "$md"
expect "math left alone"                       '$a_{ij} = \sigma(x)$' "$md"
expect "⟨reference⟩ across lines is a link"    '[⟨say `hello`⟩](#chunk-2)' "$md"
expect "value directive"                       'the value is 41.5 GFLOP/s.' "$md"
expect "include directive, lines 2-3"          'speed blocked: 41.5' "$md"
expect "include fence longer than content's"   '~~~~~~ {.output}' "$md"
if grep -qF 'first line' "$md"; then fail "include lines 2-3 left out line 1"; else ok "include left out line 1"; fi
if grep -qF 'fourth' "$md"; then fail "include lines 2-3 left out line 4"; else ok "include left out line 4"; fi
expect "index of chunks"                       '# Index of chunks {.unnumbered}' "$md"
expect "index entry"                           '- ⟨say `hello`⟩: defined in [2](#chunk-2), [3](#chunk-3); used in [1](#chunk-1).' "$md"

# Each broken input must fail, and the message must say where.
refuse() {   # refuse DESCRIPTION SED-EXPRESSION EXPECTED-MESSAGE-PART
    sed "$2" tests/weave/fixture.nw > "$t/bad.nw"
    if "$PYTHON" tools/weave.py --outputs "$t/out" "$t/bad.nw" > /dev/null 2> "$t/err"; then
        fail "$1: accepted"
    elif grep -qF -- "$3" "$t/err"; then ok "$1: refused ($(head -c 90 "$t/err"))"
    else fail "$1: message '$(cat "$t/err")' lacks '$3'"; fi
}
refuse "reference to no chunk"   's/⟨say \[\[hello\]\]⟩ across/⟨sya hello⟩ across/' "bad.nw:4: ⟨sya hello⟩ names no chunk"
refuse "missing output file"     's/{{include fixture.txt lines 2-3}}/{{include nothing.txt}}/' "bad.nw:16: "
refuse "unknown value key"       's/speed blocked}}/speed naive}}/' "bad.nw:10: "
refuse "lines out of range"      's/lines 2-3/lines 3-9/' "has 4 lines, not 3-9"
refuse "unknown directive"       's/{{value fixture.txt speed blocked}}/{{valeu x y}}/' "is not a directive"
refuse "use of an undefined chunk" 's/^<<say \[\[hello\]\]>>$/<<say goodbye>>/' "never defined"

# Two figures with the same file name in different folders: pandoc's PDF
# writer would draw the second picture in both places.
mkdir -p "$t/out/a" "$t/out/b"; echo '<svg/>' > "$t/out/a/x.svg"; echo '<svg/>' > "$t/out/b/x.svg"
printf 'Text.\n\n{{figure a/x.svg One.}}\n\n{{figure b/x.svg Two.}}\n' > "$t/figs.nw"
if "$PYTHON" tools/weave.py --outputs "$t/out" "$t/figs.nw" > /dev/null 2> "$t/err"; then
    fail "two figures named x.svg: accepted"
elif grep -qF "figs.nw:5: figure b/x.svg has the same file name as a/x.svg" "$t/err"; then
    ok "two figures named x.svg: refused"
else fail "two figures named x.svg: message '$(cat "$t/err")'"; fi

# Figures are numbered through the book, in order, and {{fig NAME}} links to
# one, before or after it; a reference to no figure is refused.
echo '<svg/>' > "$t/out/y.svg"
printf 'See {{fig y}}.\n\n{{figure a/x.svg One.}}\n\n{{figure y.svg Two.}}\n\nAnd {{fig x}}.\n' > "$t/figs.nw"
if "$PYTHON" tools/weave.py --outputs "$t/out" "$t/figs.nw" > "$t/figs.md" 2> "$t/err"; then
    expect "a reference before its figure"  'See [Figure 2](#fig-y).' "$t/figs.md"
    expect "the first figure, numbered 1"   '![Figure 1: One.]('"$t"'/out/a/x.svg){#fig-x}' "$t/figs.md"
    expect "the second figure, numbered 2"  '![Figure 2: Two.]('"$t"'/out/y.svg){#fig-y}' "$t/figs.md"
    expect "a reference after its figure"   'And [Figure 1](#fig-x).' "$t/figs.md"
else fail "numbered figures: $(cat "$t/err")"; fi
printf 'Text.\n\n{{figure y.svg Two.}}\n' > "$t/figs.nw"
if "$PYTHON" tools/weave.py --outputs "$t/out" "$t/figs.nw" > /dev/null 2> "$t/err"; then
    fail "a figure never cited: accepted"
elif grep -qF "figures never cited with {{fig NAME}}: y" "$t/err"; then
    ok "a figure never cited: refused"
else fail "a figure never cited: message '$(cat "$t/err")'"; fi
printf 'See {{fig z}}.\n\n{{figure y.svg Two.}}\n' > "$t/figs.nw"
if "$PYTHON" tools/weave.py --outputs "$t/out" "$t/figs.nw" > /dev/null 2> "$t/err"; then
    fail "a reference to no figure: accepted"
elif grep -qF "figs.nw:1: {{fig z}}: no figure's file is called z.svg" "$t/err"; then
    ok "a reference to no figure: refused"
else fail "a reference to no figure: message '$(cat "$t/err")'"; fi

# The pandoc step, on the fixture: HTML with MathML, nothing fetched from the network.
if command -v pandoc > /dev/null; then
    if pandoc -f markdown -s --mathml --self-contained --metadata title=t -o "$t/book.html" "$md" 2> "$t/err"; then
        expect "MathML in the HTML" '<math' "$t/book.html"
        if grep -qE '<(script|link|img)[^>]+(src|href)="https?:' "$t/book.html"; then
            fail "the HTML loads something from the network"; else ok "the HTML needs no network"; fi
    else fail "pandoc on the fixture: $(cat "$t/err")"; fi
fi

# The woven book, if built: every link to a chunk lands on an anchor.
if [ -f build/book.html ]; then
    grep -o 'href="#chunk-[0-9]*"' build/book.html | sed 's/href="#//; s/"$//' | sort -u > "$t/targets"
    grep -o 'id="chunk-[0-9]*"' build/book.html | sed 's/id="//; s/"$//' | sort -u > "$t/anchors"
    missing=$(comm -23 "$t/targets" "$t/anchors" | head -5)
    if [ -z "$missing" ] && [ -s "$t/anchors" ]; then ok "build/book.html: all $(wc -l < "$t/targets") chunk links land"
    else fail "build/book.html: links to missing anchors: $missing"; fi
fi

if [ "$fails" -ne 0 ]; then echo "weave tests: $fails FAILED"; exit 1; fi
echo "weave tests: all passed"
