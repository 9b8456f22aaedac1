#!/usr/bin/env python3
"""check-bars.py - the structure the book promises, measured.

    tools/check-bars.py [--report]

Fails (exit 1), naming what is wrong, unless
  * no numbered chapter is over 1,100 lines of .nw;
  * in chapters 2 to 4 (the cell, the network and its loss, BPTT) code is at
    most half the lines;
  * no function of the last stage is over 80 lines (#line directives aside);
  * at least 80% of the chunk names of each stage appear in its tangled code;
  * chapter 8, the fast one, changes at most 30 lines of the files stage 7
    has (#line directives aside): it adds files and registers in lists, it
    does not rewrite.  (A handout that stops before stage 8 has no such bar.)
With --report it prints the figures too.
"""
import glob
import os
import re
import subprocess
import sys

CHAPTER = re.compile(r"^(\d\d)-.*\.nw$")


def code_lines(path):
    total = code = 0
    inside = False
    for line in open(path, encoding="utf-8"):
        total += 1
        if re.match(r"^<<.*>>=\s*$", line):
            inside = True
            code += 1
        elif inside and re.match(r"^@(\s|$)", line):
            inside = False
        elif inside:
            code += 1
    return total, code


def functions(path):
    """(lines, name) of each function defined at the top level of a C file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith("{") and i > 0:
            j = i - 1
            while j > 0 and not re.search(r"\w+\s*\(", lines[j]):
                j -= 1
            name = re.search(r"(\w+)\s*\(", lines[j])
            depth, k, n = 1, i + 1, 0
            while k < len(lines) and depth > 0:
                depth += lines[k].count("{") - lines[k].count("}")
                if not lines[k].lstrip().startswith("#line"):
                    n += 1
                k += 1
            out.append((n, name.group(1) if name else "?"))
            i = k
        else:
            i += 1
    return out


def main():
    report = "--report" in sys.argv
    problems = []
    chapters = sorted(f for f in glob.glob("chapters/*.nw") if CHAPTER.match(os.path.basename(f)))
    for f in chapters:
        n = int(CHAPTER.match(os.path.basename(f)).group(1))
        total, code = code_lines(f)
        if report:
            print(f"{f}: {total} lines, {code} of code ({100 * code / total:.0f}%)")
        if n >= 1 and total > 1100:
            problems.append(f"{f} has {total} lines (at most 1,100)")
        if 2 <= n <= 4 and 2 * code > total:
            problems.append(f"{f} is {100 * code / total:.1f}% code (at most half)")
    stages = sorted(int(d[len("tangled/stage"):]) for d in glob.glob("tangled/stage*"))
    last = stages[-1]
    for path in sorted(glob.glob(f"tangled/stage{last}/*.c")):
        for n, name in functions(path):
            if n > 80:
                problems.append(f"{path}: {name} is {n} lines (at most 80)")
    for s in stages:
        files = subprocess.run(["tools/stage-files.sh", str(s)], capture_output=True,
                               text=True, check=True).stdout.split()
        out = subprocess.run([os.path.join(os.environ.get("NOWEB_LIB", "/usr/lib/noweb"), "markup")]
                             + files, capture_output=True, text=True, check=True).stdout
        names = {" ".join(l[6:].split()) for l in out.split("\n") if l.startswith("@defn ")}
        text = "".join(open(p, encoding="utf-8").read() for p in glob.glob(f"tangled/stage{s}/*"))
        plain = lambda x: re.sub(r"\[\[(.*?)\]\]", r"\1", x)
        found = [x for x in names if re.match(r"^[\w.-]+\.(c|h|sh|py)$", x)
                 or "\u27e8" + plain(x) + "\u27e9" in text]
        share = len(found) / len(names)
        if report:
            print(f"stage {s}: {len(found)} of {len(names)} chunk names in the tangled code ({100 * share:.0f}%)")
        if share < 0.8:
            problems.append(f"stage {s}: only {100 * share:.0f}% of its chunk names are in its tangled code")
    if 7 in stages and 8 in stages:
        a, b = "tangled/stage7", "tangled/stage8"
        changed = 0
        for f in sorted(os.listdir(a)):
            if not os.path.exists(os.path.join(b, f)):
                continue
            d = subprocess.run(["diff", os.path.join(a, f), os.path.join(b, f)],
                               capture_output=True, text=True).stdout
            changed += sum(1 for l in d.split("\n") if l[:2] in ("< ", "> ") and "#line" not in l)
        if report:
            print(f"{a} -> {b}: {changed} lines of the files {a} has change")
        if changed > 30:
            problems.append(f"{b} changes {changed} lines of the files {a} has (at most 30)")
    for p in problems:
        print(f"check-bars: {p}", file=sys.stderr)
    if not problems:
        print("check-bars: chapters, functions, chunk names and stage diffs within their bars")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
