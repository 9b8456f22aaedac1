#!/usr/bin/env bash
# tests/stage1/options.sh — every program of the stage against wrong command
# lines: each numeric option given a value below its range, above it, not a
# number, empty, NaN or infinite; an unknown option; too many arguments; and
# each file argument missing, empty or a folder.  Each must be refused with
# the right exit status (2 for a wrong command line, 1 for a bad file) and a
# message that names what is wrong — never a crash, a hang or a success —
# and nothing is left behind (no run folder for a corpus that is refused).
set -euo pipefail
bin=${STAGE_BIN:?set STAGE_BIN to the build folder of a stage}
bin=$(cd "$bin" && pwd)
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fail() { echo "options.sh: $*"; exit 1; }
cd "$t"                                 # programs that write (lstm-train's run/) write here
mkdir folder; : > empty.txt
tried=0
expect() {   # expect STATUS PATTERN PROGRAM ARGS...
    local want=$1 pattern=$2 prog=$3; shift 3
    local status=0
    timeout 20 "$bin/$prog" "$@" > out.txt 2> err.txt < /dev/null || status=$?
    tried=$((tried + 1))
    [ "$status" -eq "$want" ] \
        || fail "$prog $*: exit status $status, not $want ($(head -c 200 err.txt))"
    grep -qF -- "$pattern" err.txt || fail "$prog $*: the message does not say '$pattern': $(head -c 300 err.txt)"
}
programs=$(cd "$bin" && ls lstm-* | grep -v '\.d$')
for p in $programs; do
    help=$("$bin/$p" --help) || fail "$p --help failed"
    grep -q "^Usage: $p" <<< "$help" || fail "$p --help has no usage line"
    synopsis=$(sed -n 's/^Usage: //p' <<< "$help")
    nargs=$(wc -w <<< "${synopsis//\[OPTIONS\]/}"); nargs=$((nargs - 1))
    expect 2 "unknown option '--no-such-option'" "$p" --no-such-option
    expect 2 "expected" "$p" a b c d e f g
    # the numeric options, with their ranges as --help prints them: --name ARG ... [min..max]
    while read -r name min max; do
        expect 2 "--$name" "$p" "--$name" abc
        expect 2 "--$name" "$p" "--$name" ""
        expect 2 "--$name" "$p" "--$name" nan
        expect 2 "--$name" "$p" "--$name" inf
        expect 2 "--$name" "$p" "--$name" 1e999
        expect 2 "--$name" "$p" "--$name" "$(awk -v m="$max" 'BEGIN { printf "%.17g", m * 10 + 1 }')"
        below=$(awk -v m="$min" 'BEGIN { printf "%.17g", (m >= 1 ? m - 1 : (m > 0 ? m / 10 : m - 1)) }')
        expect 2 "--$name" "$p" "--$name" "$below"
        expect 2 "--$name" "$p" "--$name"              # no value at all
    done < <(sed -n 's/^  --\([a-z-]*\) [A-Z].*\[\([-0-9.e+]*\)\.\.\([-0-9.e+]*\)\]$/\1 \2 \3/p' <<< "$help")
    # each file argument: missing, empty, a folder (the same for all of them)
    if [ "$nargs" -ge 1 ]; then
        for bad in no-such-file empty.txt folder; do
            args=(); for ((i = 0; i < nargs; i++)); do args+=("$bad"); done
            [ "$p" = lstm-plot ] && args[1]=plots        # its second argument is a folder to write
            expect 1 "$bad" "$p" "${args[@]}"
        done
    fi
done
[ -z "$(ls -A | grep -v '^folder$\|^empty.txt$\|^out.txt$\|^err.txt$')" ] \
    || fail "refused command lines left files behind: $(ls)"
echo "options.sh: $tried wrong command lines and files refused by $(wc -w <<< "$programs") programs, each with its message"
