#!/usr/bin/env python3
"""tangle.py - write the root chunks of some noweb files as source files.

    tools/tangle.py --out DIR FILE.nw...     tangle every root into DIR/
    tools/tangle.py --roots FILE.nw...       list the roots, one a line

noweb's own parser (`markup`, in noweb's lib folder) reads the files, in the
order given; the definitions of a chunk in several places are joined in that
order, as notangle joins them.  Unlike notangle, this tangler writes C that a
reader can follow in an editor:

  * each expansion keeps the indentation of its reference, line by line;
  * above each expansion, a comment names the chunk, as the book does:
        /* <<check the product kernels>> */   (with the book's angle brackets)
    and a piece of a chunk that another file defines says which file;
  * `#line` directives point every line back at its .nw file, so compiler
    messages and gdb name the line of the chapter.

Files that are not C (build.sh, the Python readers) get the indentation only.
A chunk is used on a line of its own (the indentation of a use inside a line
would be the column it starts at, which is rarely what the code wants).
Every root must be a real file name (a misspelt continuation of a chunk
silently becomes a new root, and this is where it is caught); a use of a chunk
that is never defined is an error naming the file and line.  A file is only
rewritten when its contents change, so an unchanged re-tangle rebuilds
nothing, and files of DIR that are no longer roots are removed.
"""
import argparse
import os
import re
import subprocess
import sys

ROOT_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*\.(c|h|sh|py)$")


class TangleError(Exception):
    pass


class Piece:
    """One definition of a chunk: where its body starts, and its lines, each a
    list of ("text", s) and ("use", name, line) items."""
    def __init__(self, file, line):
        self.file, self.line, self.lines = file, line, [[]]


def normalise(name):
    return " ".join(name.split())


def read_chunks(files):
    lib = os.environ.get("NOWEB_LIB", "/usr/lib/noweb")
    try:
        out = subprocess.run([os.path.join(lib, "markup")] + files, check=True,
                             capture_output=True, text=True).stdout
    except FileNotFoundError:
        raise TangleError(f"noweb's markup is not in {lib} (install noweb, or set NOWEB_LIB)")
    except subprocess.CalledProcessError as e:
        raise TangleError(f"markup failed: {e.stderr.strip()}")
    chunks, order = {}, []          # name -> [Piece]; names in order of first definition
    uses = []                       # (name, file, line)
    fname, line, piece, in_code, fresh = "?", 1, None, False, False
    for raw in out.split("\n"):
        key, _, arg = raw.partition(" ")
        if key == "@file":
            fname, line = arg, 1
        elif key == "@begin":
            in_code = arg.split()[0] == "code"
            piece = None
        elif key == "@end":
            in_code, piece = False, None
        elif key == "@defn" and in_code:
            name = normalise(arg)
            piece = Piece(fname, line + 1)
            fresh = True                            # the next @nl ends the <<name>>= line
            if name not in chunks:
                chunks[name] = []
                order.append(name)
            chunks[name].append(piece)
        elif key == "@nl":
            line += 1
            if piece is not None:
                if fresh:
                    fresh = False
                else:
                    piece.lines.append([])
        elif key == "@text" and piece is not None:
            piece.lines[-1].append(("text", arg))
        elif key == "@use" and piece is not None:
            name = normalise(arg)
            piece.lines[-1].append(("use", name, line))
            uses.append((name, fname, line))
    for p in (p for ps in chunks.values() for p in ps):
        if p.lines and p.lines[-1] == []:          # the line of the closing @
            p.lines.pop()
    for name, f, l in uses:
        if name not in chunks:
            raise TangleError(f"{f}:{l}: <<{name}>> is used but never defined")
    used = {name for name, _, _ in uses}
    roots = [n for n in order if n not in used]
    return chunks, roots


def comment_name(name):
    """A chunk name as a C comment can hold it: [[code]] unquoted."""
    plain = re.sub(r"\[\[(.*?)\]\]", r"\1", name).replace("*/", "* /")
    return "\u27e8" + plain + "\u27e9"


class Writer:
    """Writes the expansion of a root.  A #line directive is kept pending until
    a line of code needs it, so that one expansion following another, or a
    blank line, does not leave a directive behind that nothing uses."""
    def __init__(self, chunks, c_like):
        self.chunks, self.c_like, self.out = chunks, c_like, []
        self.active, self.pending = [], None

    def code(self, text, line, file):
        blank = text.strip() == ""
        if self.c_like and not blank and self.pending != (line, file):
            indent = text[:len(text) - len(text.lstrip())]
            self.out.append(f'{indent}#line {line} "{file}"')
        self.pending = (line + 1, file)
        self.out.append("" if blank else text.rstrip())

    def expand(self, name, indent, where):
        if name in self.active:
            raise TangleError(f"{where}: <<{name}>> uses itself")
        self.active.append(name)
        last_file = None
        for k, piece in enumerate(self.chunks[name]):
            if self.c_like and k > 0 and piece.file != last_file:
                self.out.append(f"{indent}/* {comment_name(name)}, continued in "
                                f"{os.path.basename(piece.file)} */")
                self.pending = None
            last_file = piece.file
            for i, items in enumerate(piece.lines):
                self.emit_line(items, indent, piece, piece.line + i)
        self.active.pop()

    def emit_line(self, items, indent, piece, lineno):
        uses = [it for it in items if it[0] == "use"]
        if not uses:
            self.code(indent + "".join(it[1] for it in items), lineno, piece.file)
            return
        lead = items[0][1] if items[0][0] == "text" else ""
        if len(uses) > 1 or any(it[0] == "text" and it[1].strip() for it in items):
            raise TangleError(f"{piece.file}:{lineno}: a chunk must be used on a line of its "
                              f"own (this tangler keeps the indentation of each use)")
        name, where = uses[0][1], f"{piece.file}:{lineno}"
        if self.c_like:
            self.out.append(f"{indent + lead}/* {comment_name(name)} */")
        self.pending = None
        self.expand(name, indent + lead, where)
        self.pending = None      # the next line of this piece needs its directive


def tangle_root(chunks, root):
    c_like = root.endswith((".c", ".h"))
    w = Writer(chunks, c_like)
    w.expand(root, "", root)
    return "\n".join(w.out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--roots", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    try:
        chunks, roots = read_chunks(a.files)
        for r in roots:
            if not ROOT_NAME.match(r):
                raise TangleError(f"root chunk <<{r}>> is not a file name (a misspelt chunk "
                                  f"name? roots must look like name.c, name.h, name.sh, name.py)")
        if a.roots:
            print("\n".join(roots))
            return 0
        if not a.out:
            raise TangleError("give --out DIR or --roots")
        os.makedirs(a.out, exist_ok=True)
        for r in roots:
            text = tangle_root(chunks, r)
            path = os.path.join(a.out, r)
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() == text:
                        continue
            except FileNotFoundError:
                pass
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(path + ".tmp", path)
        for f in sorted(os.listdir(a.out)):
            if f not in roots:
                print(f"tangle: removing stale {os.path.join(a.out, f)}", file=sys.stderr)
                os.remove(os.path.join(a.out, f))
    except TangleError as e:
        print(f"tangle: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
