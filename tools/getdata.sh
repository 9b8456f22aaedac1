#!/usr/bin/env bash
# tools/getdata.sh [PATH] — put the default corpus in data/ and verify it.
#
# Where the corpus comes from, in order: the PATH given (make data DATA=PATH),
# a copy in ../shared/data/, or a download from Karpathy's char-rnn repository.
# Whatever the source, the file must match data/SHA256SUMS, byte for byte.
set -euo pipefail
name=tinyshakespeare.txt
dest=data/$name
url=https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt
given=${1:-}

verify() {  # verify FILE: does FILE have the checksum data/SHA256SUMS gives?
    local want got
    want=$(awk -v n="$name" '$2 == n { print $1 }' data/SHA256SUMS)
    got=$(sha256sum "$1" | cut -d' ' -f1)
    [ "$want" = "$got" ]
}

if [ -f "$dest" ] && [ -z "$given" ] && verify "$dest"; then exit 0; fi

tmp=$(mktemp "data/.$name.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if [ -n "$given" ]; then
    [ -f "$given" ] || { echo "getdata: $given: no such file (give the path of tinyshakespeare.txt)" >&2; exit 1; }
    cp "$given" "$tmp"; src=$given
elif [ -f ../shared/data/$name ]; then
    cp ../shared/data/$name "$tmp"; src=../shared/data/$name
else
    src=$url
    echo "getdata: downloading $url"
    if command -v curl >/dev/null 2>&1; then curl -fsSL "$url" -o "$tmp"
    elif command -v wget >/dev/null 2>&1; then wget -q "$url" -O "$tmp"
    else echo "getdata: need curl or wget to download $url (or: make data DATA=/path/to/$name)" >&2; exit 1
    fi
fi
if ! verify "$tmp"; then
    echo "getdata: $src is not the expected $name (SHA-256 differs from data/SHA256SUMS)" >&2
    exit 1
fi
chmod 644 "$tmp"
mv "$tmp" "$dest"
trap - EXIT
echo "getdata: $dest ($(wc -c < "$dest") bytes, SHA-256 verified) from $src"
