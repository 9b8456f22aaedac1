#!/usr/bin/env python3
"""weave.py - turn the book's noweb chapters into one pandoc Markdown file.

    tools/weave.py [--outputs DIR] CHAPTER.nw... > build/book.md

noweb's own parser (`markup`, in noweb's lib folder) reads the chapters; this
filter numbers the code chunks in order of appearance and writes each as

    [⟨name N⟩≡]  (or +≡ for a continuation), with an anchor #chunk-N
    a fenced code block, where a use of another chunk reads ⟨name M⟩
    a line of links: uses, continues, continued in, used in, tangled to

and ends the book with an index of chunks.  In the prose it

    * turns [[code]] into inline code,
    * links ⟨chunk name⟩ to the chunk (a name that is no chunk is an error),
    * replaces the directives that put program output into the book:
        {{include FILE}}              FILE (from --outputs) as a block, on a line of its own
        {{include FILE lines A-B}}    only lines A..B of it
                                      (a FILE named *.md is Markdown, a table say,
                                      and goes in as text, not as a block)
        {{value FILE KEY}}            the value on FILE's line "KEY: value" (KEY may have spaces)
        {{figure FILE caption...}}    an image (SVG) with a caption, on a line of its own;
                                      figures are numbered through the book, and the
                                      anchor of figures/cell.svg is #fig-cell
        {{fig NAME}}                  (inline) "Figure N", a link to the figure whose
                                      file is called NAME.svg
        {{from stage N}}              (in an appendix) the first stage its code is part of;
                                      tools/stage-files.sh reads it, the book says it

Any problem (a missing output, an unknown key, a reference to no chunk) is
an error that names the chapter file and line, and the exit status is 1.
"""
import argparse
import os
import re
import subprocess
import sys

QB, QE = "\x01", "\x02"   # [[ and ]] in prose, as markup reports them


class WeaveError(Exception):
    pass


def md_escape(s):
    """Escape text so pandoc's Markdown reader shows it literally."""
    return re.sub(r"([\\`*_{}\[\]<>#+!|^~$@'\"])", r"\\\1", s)


def inline_code(s):
    """Inline code containing s, with a fence longer than any run of backticks in s."""
    runs = [len(r) for r in re.findall(r"`+", s)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def fence_for(text, ch="~"):
    runs = [len(r) for r in re.findall(re.escape(ch) + "+", text)]
    return ch * max(4, max(runs, default=0) + 1)


def name_md(name):
    """A chunk name, as noweb gives it (with [[code]]), in Markdown."""
    parts = re.split(r"\[\[(.*?)\]\]", name)
    return "".join(inline_code(p) if i % 2 else md_escape(p) for i, p in enumerate(parts))


def name_plain(name):
    return re.sub(r"\[\[(.*?)\]\]", r"\1", name)


def normalise(name):
    return " ".join(name.split())


# ------------------------------------------------------------ reading markup
class Chunk:
    def __init__(self, num, name, where):
        self.num, self.name, self.where = num, name, where
        self.lines = [[]]          # each line a list of ("text", s) / ("use", name)
        self.after_defn = False


class Docs:
    def __init__(self, where):
        self.where = where         # (file, line) of its first line
        self.lines = [""]          # prose with QB/QE around [[quoted code]]


def read_markup(files):
    lib = os.environ.get("NOWEB_LIB", "/usr/lib/noweb")
    try:
        out = subprocess.run([os.path.join(lib, "markup")] + files, check=True,
                             capture_output=True, text=True).stdout
    except FileNotFoundError:
        raise WeaveError(f"noweb's markup is not in {lib} (install noweb, or set NOWEB_LIB)")
    except subprocess.CalledProcessError as e:
        raise WeaveError(f"markup failed: {e.stderr.strip()}")
    blocks, cur, fname, line, nchunks = [], None, "?", 1, 0
    for raw in out.split("\n"):
        key, _, arg = raw.partition(" ")
        if key == "@file":
            fname, line = arg, 1
        elif key == "@begin":
            kind = arg.split()[0]
            if kind == "code":
                nchunks += 1
                cur = Chunk(nchunks, None, (fname, line))
            else:
                cur = Docs((fname, line))
            blocks.append(cur)
        elif key == "@end":
            cur = None
        elif key == "@defn":
            cur.name = normalise(arg)
            cur.after_defn = True            # the next @nl ends the <<name>>= line
        elif key == "@nl":
            line += 1
            if isinstance(cur, Chunk):
                if cur.after_defn:
                    cur.after_defn = False
                else:
                    cur.lines.append([])
            elif cur is not None:
                cur.lines.append("")
        elif key == "@text":
            if isinstance(cur, Chunk):
                cur.lines[-1].append(("text", arg))
            else:
                cur.lines[-1] += arg
        elif key == "@use":
            cur.lines[-1].append(("use", normalise(arg)))
        elif key == "@quote":
            cur.lines[-1] += QB
        elif key == "@endquote":
            cur.lines[-1] += QE
    for b in blocks:   # drop the empty line after each block's last newline
        if isinstance(b, Chunk):
            if b.lines and b.lines[-1] == []:
                b.lines.pop()
        elif b.lines and b.lines[-1] == "":
            b.lines.pop()
    return blocks


# ------------------------------------------------------------ cross-reference
class Xref:
    def __init__(self, chunks):
        self.defs, self.users, self.uses = {}, {}, {}
        for c in chunks:
            self.defs.setdefault(c.name, []).append(c.num)
        for c in chunks:
            for ln in c.lines:
                for kind, val in ln:
                    if kind == "use":
                        if val not in self.defs:
                            raise WeaveError(f"{c.where[0]}: chunk ⟨{c.name}⟩ uses ⟨{val}⟩, "
                                             "which is never defined")
                        self.users.setdefault(val, [])
                        if c.num not in self.users[val]:
                            self.users[val].append(c.num)
                        self.uses.setdefault(c.num, [])
                        if val not in self.uses[c.num]:
                            self.uses[c.num].append(val)
        self.roots = {n for n in self.defs if n not in self.users}
        self.chunk_of = {c.num: c for c in chunks}

    def first(self, name):
        return self.defs[name][0]

    def files_of(self, name, seen=()):
        """The root files a chunk's code ends up in."""
        if name in self.roots:
            return {name}
        out = set()
        for u in self.users.get(name, []):
            parent = self.chunk_of[u].name
            if parent not in seen:
                out |= self.files_of(parent, seen + (name,))
        return out


def link(num):
    return f"[{num}](#chunk-{num})"


def links(nums):
    return ", ".join(link(n) for n in nums)


LANG = {".c": "c", ".h": "c", ".sh": "bash", ".py": "python", ".mk": "makefile"}


def render_chunk(c, x):
    first = x.first(c.name)
    cont = c.num != first
    out = [f"::: {{.chunk #chunk-{c.num}}}",
           f"[⟨{name_md(c.name)} {c.num}⟩{'+' if cont else ''}≡]{{.chunkname}}", ""]
    files = x.files_of(c.name)
    exts = {os.path.splitext(f)[1] for f in files}
    lang = LANG.get(exts.pop(), "c") if len(exts) == 1 else "c"
    code = []
    for ln in c.lines:
        s = ""
        for kind, val in ln:
            s += val if kind == "text" else f"⟨{name_plain(val)} {x.first(val)}⟩"
        code.append(s)
    if any(s.strip() for s in code):
        body = "\n".join(code)
        f = fence_for(body)
        out += [f"{f} {{.{lang}}}", body, f, ""]
    else:
        out += ["*(Empty for now: a later chapter continues it.)*", ""]
    notes = []
    if c.num in x.uses:
        notes.append("Uses " + "; ".join(f"⟨{name_md(n)}⟩ {link(x.first(n))}" for n in x.uses[c.num]) + ".")
    nums = x.defs[c.name]
    i = nums.index(c.num)
    if cont:
        notes.append(f"Continues {link(nums[i - 1])}.")
    if i + 1 < len(nums):
        notes.append(f"Continued in {link(nums[i + 1])}.")
    if c.name in x.roots:
        notes.append(f"This is the file {inline_code(name_plain(c.name))}.")
    elif not cont:
        notes.append(f"Used in {links(x.users[c.name])}.")
    out += [f"[{' '.join(notes)}]{{.chunkxref}}", ":::", ""]
    return out


# ------------------------------------------------------------ prose
class Outputs:
    def __init__(self, folder):
        self.folder = folder

    def path(self, name, where):
        p = os.path.join(self.folder, name)
        if not os.path.isfile(p):
            raise WeaveError(f"{where}: {p} does not exist (is it made in tools/outputs.mk?)")
        return p

    def text(self, name, where):
        with open(self.path(name, where), encoding="utf-8") as f:
            return f.read()

    def value(self, name, key, where):
        for ln in self.text(name, where).splitlines():
            k, sep, v = ln.partition(":")
            if sep and k.strip() == key:
                return v.strip()
        raise WeaveError(f"{where}: {self.folder}/{name} has no line '{key}: ...'")


DIRECTIVE = re.compile(r"\{\{\s*(\w+)\s*(.*?)\s*\}\}")


def render_docs(d, x, outs):
    fname, line0 = d.where
    original = "\n".join(d.lines)
    for m in re.finditer(r"⟨([^⟩]*)⟩", original):
        name = normalise(m.group(1).replace(QB, "[[").replace(QE, "]]"))
        if name not in x.defs:
            line = line0 + original.count("\n", 0, m.start())
            raise WeaveError(f"{fname}:{line}: ⟨{name_plain(name)}⟩ names no chunk")
    out = []
    for k, ln in enumerate(d.lines):
        where = f"{fname}:{line0 + k}"
        m = DIRECTIVE.fullmatch(ln.strip())
        if m and m.group(1) in ("include", "figure"):
            out += block_directive(m.group(1), m.group(2), where, outs)
            continue
        if m and m.group(1) == "from":
            s = re.fullmatch(r"stage\s+(\d+)", m.group(2))
            if not s:
                raise WeaveError(f"{where}: write {{{{from stage N}}}}, not '{ln.strip()}'")
            out.append(f"*Its code is part of stage {s.group(1)} and of every "
                       f"stage after it.*")
            continue

        def inline(m):
            kind, args = m.group(1), m.group(2).split(None, 1)
            if kind == "fig" and len(args) == 1:
                if args[0] not in outs.figures:
                    raise WeaveError(f"{where}: {{{{fig {args[0]}}}}}: no figure's file is called {args[0]}.svg")
                outs.cited.add(args[0])
                return f"[Figure {outs.figures[args[0]]}](#fig-{args[0]})"
            if kind != "value" or len(args) != 2:
                raise WeaveError(f"{where}: {{{{{m.group(1)} {m.group(2)}}}}} is not a directive "
                                 "(inline: {{value FILE KEY}}, {{fig NAME}}; on a line of its own: "
                                 "{{include FILE [lines A-B]}}, {{figure FILE caption}})")
            return md_escape(outs.value(args[0], args[1], where))
        out.append(DIRECTIVE.sub(inline, ln))
    text = "\n".join(out)

    def chunkref(m):
        name = normalise(m.group(1).replace(QB, "[[").replace(QE, "]]"))
        return f"[⟨{name_md(name)}⟩](#chunk-{x.first(name)})"
    text = re.sub(r"⟨([^⟩]*)⟩", chunkref, text)
    text = re.sub(f"{QB}(.*?){QE}", lambda m: inline_code(m.group(1)), text, flags=re.S)
    return text.split("\n") + [""]


def block_directive(kind, args, where, outs):
    parts = args.split()
    if not parts:
        raise WeaveError(f"{where}: {{{{{kind}}}}} needs a file name")
    if kind == "figure":
        caption = " ".join(parts[1:])
        if not caption:
            raise WeaveError(f"{where}: {{{{figure {parts[0]}}}}} needs a caption")
        p = outs.path(parts[0], where)
        # pandoc's PDF writer converts each SVG to a PDF named after the file
        # alone, so two figures called loss.svg would both show the second.
        seen = outs.__dict__.setdefault("figure_names", {})
        base = os.path.basename(parts[0])
        if seen.get(base, parts[0]) != parts[0]:
            raise WeaveError(f"{where}: figure {parts[0]} has the same file name as {seen[base]}; "
                             "the PDF would show one picture twice: give it a name of its own")
        seen[base] = parts[0]
        label = figure_label(parts[0])
        number = outs.figures[label]
        return ["", f"![Figure {number}: {caption}]({p}){{#fig-{label}}}", ""]
    text = outs.text(parts[0], where)
    lines = text.rstrip("\n").split("\n")
    if len(parts) > 1:
        m = re.fullmatch(r"lines\s+(\d+)-(\d+)", " ".join(parts[1:]))
        if not m:
            raise WeaveError(f"{where}: write {{{{include FILE lines A-B}}}}, not '{args}'")
        a, b = int(m.group(1)), int(m.group(2))
        if not 1 <= a <= b <= len(lines):
            raise WeaveError(f"{where}: {parts[0]} has {len(lines)} lines, not {a}-{b}")
        lines = lines[a - 1:b]
    body = "\n".join(lines)
    if parts[0].endswith(".md"):
        return ["", body, ""]
    f = fence_for(body)
    return ["", f"{f} {{.output}}", body, f, ""]


def figure_label(path):
    return re.sub(r"[^A-Za-z0-9-]", "-", os.path.splitext(os.path.basename(path))[0])


def number_figures(blocks):
    """Figure numbers, 1, 2, ... in the order of the book, by label."""
    numbers = {}
    for b in blocks:
        if isinstance(b, Chunk):
            continue
        for ln in b.lines:
            m = DIRECTIVE.fullmatch(ln.strip())
            if m and m.group(1) == "figure" and m.group(2).split():
                label = figure_label(m.group(2).split()[0])
                numbers.setdefault(label, len(numbers) + 1)
    return numbers


# ------------------------------------------------------------ the book
def weave(files, outputs):
    blocks = read_markup(files)
    chunks = [b for b in blocks if isinstance(b, Chunk)]
    x = Xref(chunks)
    outs = Outputs(outputs)
    outs.figures = number_figures(blocks)
    outs.cited = set()
    md = []
    for b in blocks:
        md += render_chunk(b, x) if isinstance(b, Chunk) else render_docs(b, x, outs)
    uncited = [f for f in outs.figures if f not in outs.cited]
    if uncited:     # every figure is cited in the text, so none is an orphan
        raise WeaveError("figures never cited with {{fig NAME}}: " + ", ".join(uncited))
    md += ["", "# Index of chunks {.unnumbered}", ""]
    for name in sorted(x.defs, key=lambda n: name_plain(n).lower()):
        entry = f"⟨{name_md(name)}⟩: defined in {links(x.defs[name])}"
        if name in x.roots:
            entry += "; the file itself"
        else:
            entry += f"; used in {links(x.users[name])}"
        md += [f"- {entry}."]
    return "\n".join(md) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--outputs", default="build/out", help="folder of the programs' outputs")
    ap.add_argument("chapters", nargs="+")
    a = ap.parse_args()
    try:
        sys.stdout.write(weave(a.chapters, a.outputs))
    except WeaveError as e:
        print(f"weave: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
