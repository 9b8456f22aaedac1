#!/usr/bin/env bash
# tools/deps.sh [TOOL...] — install the tools the book needs, if any are
# missing; and the optional TOOLs named (valgrind, clang) for the targets
# that use them (make valgrind, make fuzz).
#
# Quiet and quick when everything is there (it runs before every build).
# On Debian and Ubuntu it installs the missing packages with apt-get,
# --no-install-recommends (noweb otherwise recommends all of TeX Live), using
# sudo when not root.  Elsewhere it says what to install and fails.
set -euo pipefail

missing=()
need() {  # need PACKAGE TEST...: PACKAGE is missing unless the test succeeds
    local pkg=$1; shift
    "$@" >/dev/null 2>&1 || missing+=("$pkg")
}
need build-essential            command -v cc
need noweb                      command -v notangle
need libcriterion-dev           test -f /usr/include/criterion/criterion.h
need pandoc                     command -v pandoc
need texlive-latex-recommended  command -v pdflatex
need lmodern                    test -d /usr/share/texmf/tex/latex/lm
need librsvg2-bin               command -v rsvg-convert
need fonts-dejavu-core          test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
need fonts-dejavu-extra         test -f /usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf
need python3                    command -v python3
need ca-certificates            test -d /etc/ssl/certs
for tool in "$@"; do
    case $tool in
    valgrind|clang) need "$tool" command -v "$tool" ;;
    *) echo "deps: no optional tool '$tool' (valgrind, clang)" >&2; exit 2 ;;
    esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: missing: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: this is not a Debian-like system (no apt-get)." >&2
    echo "deps: please install the equivalents of: ${missing[*]}" >&2
    echo "deps: (noweb, Criterion 2.4, pandoc >= 2.17, pdflatex with lmodern, rsvg-convert, python3)" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "deps: not root and no sudo: run as root: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: installed ${missing[*]}"
