#line 452 "chapters/B1-text.nw"
/* text.c — UTF-8 text as code points, and the vocabulary of a text. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base.h"
#include "text.h"

/* ⟨decode UTF-8, or say where and why it is not⟩ */
#line 48 "chapters/B1-text.nw"
size_t utf8_decode(const unsigned char *s, size_t n, size_t max, uint32_t *out,
                   size_t *bad, const char **why)
{
    size_t i = 0, k = 0;
    while (i < n && (max == 0 || k < max)) {
        unsigned b = s[i];
        uint32_t c, min;
        size_t len;
        if (b < 0x80) { out[k++] = b; i++; continue; }
        if (b >= 0xC2 && b <= 0xDF)      { len = 2; c = b & 0x1F; min = 0x80; }
        else if (b >= 0xE0 && b <= 0xEF) { len = 3; c = b & 0x0F; min = 0x800; }
        else if (b >= 0xF0 && b <= 0xF4) { len = 4; c = b & 0x07; min = 0x10000; }
        else {
            *why = b < 0xC0 ? "a continuation byte with no lead byte"
                 : b < 0xC2 ? "an overlong encoding"
                 : "a byte that never occurs in UTF-8";
            goto fail;
        }
        for (size_t j = 1; j < len; j++) {
            if (i + j >= n || (s[i + j] & 0xC0) != 0x80) {
                *why = i + j >= n ? "a sequence cut short by the end of the text"
                                  : "a sequence cut short (too few continuation bytes)";
                goto fail;
            }
            c = c << 6 | (s[i + j] & 0x3Fu);
        }
        if (c < min)                   { *why = "an overlong encoding"; goto fail; }
        if (c >= 0xD800 && c <= 0xDFFF) { *why = "a UTF-16 surrogate"; goto fail; }
        if (c > 0x10FFFF)              { *why = "a code point above U+10FFFF"; goto fail; }
        out[k++] = c;
        i += len;
    }
    return k;
fail:
    *bad = i;
    return (size_t)-1;
}
/* ⟨encode one code point as UTF-8⟩ */
#line 92 "chapters/B1-text.nw"
int utf8_encode(uint32_t c, char out[4])
{
    if (c < 0x80)    { out[0] = (char)c; return 1; }
    if (c < 0x800)   { out[0] = (char)(0xC0 | c >> 6);
                       out[1] = (char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) { out[0] = (char)(0xE0 | c >> 12);
                       out[1] = (char)(0x80 | (c >> 6 & 0x3F));
                       out[2] = (char)(0x80 | (c & 0x3F)); return 3; }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}
/* ⟨read a whole text file as code points⟩ */
#line 124 "chapters/B1-text.nw"
/* Read up to cap bytes of f into *bytes (grown as needed), and one more if
   there is one, so that the caller can tell "exactly cap" from "more". */
static bool read_bytes(FILE *f, size_t cap, unsigned char **bytes, size_t *n)
{
    size_t room = cap < (1 << 16) ? cap + 1 : 1 << 16;
    unsigned char *p = xalloc(room, 1);
    size_t got = 0;
    for (size_t k; got < cap + 1 && (k = fread(p + got, 1, room - got, f)) > 0; ) {
        got += k;
        if (got == room && room < cap + 1) {
            size_t more = room > (cap + 1) / 2 ? cap + 1 : 2 * room;
            unsigned char *q = xalloc(more, 1);
            memcpy(q, p, got);
            free(p);
            p = q;
            room = more;
        }
    }
    *bytes = p;
    *n = got;
    return !ferror(f);
}

bool text_read(const char *path, size_t max_chars, Text *t, char *why, size_t whylen)
{
    *t = (Text){0};
    size_t cap = max_chars > 0 && max_chars < TEXT_MAX_BYTES / 4 ? 4 * max_chars : TEXT_MAX_BYTES;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    bool stat_ok = fstat(fileno(f), &st) == 0;
    if (stat_ok && S_ISDIR(st.st_mode)) {
        snprintf(why, whylen, "%s is a directory, not a text file", path);
        fclose(f);
        return false;
    }
    if (stat_ok && S_ISREG(st.st_mode) && max_chars == 0 && (uintmax_t)st.st_size > TEXT_MAX_BYTES) {
        snprintf(why, whylen, "%s is %jd bytes: texts of at most %d MiB are read "
                 "(cut it, or give --chars)", path, (intmax_t)st.st_size, TEXT_MAX_BYTES >> 20);
        fclose(f);
        return false;
    }
    unsigned char *bytes;
    size_t n;
    bool read_ok = read_bytes(f, cap, &bytes, &n);
    int saved = errno;
    fclose(f);
    if (!read_ok) {
        snprintf(why, whylen, "cannot read %s: %s", path, strerror(saved));
        free(bytes);
        return false;
    }
    if (n > cap && max_chars == 0) {
        snprintf(why, whylen, "%s holds more than %d MiB: texts of at most that are read",
                 path, TEXT_MAX_BYTES >> 20);
        free(bytes);
        return false;
    }
    if (n > cap) n = cap;
    /* ⟨decode the bytes of a text, after a byte order mark if there is one⟩ */
    #line 197 "chapters/B1-text.nw"
    size_t skip = n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
    if (n - skip == 0) {
        snprintf(why, whylen, "%s is empty%s", path, skip ? " (but for a byte order mark)" : "");
        free(bytes);
        return false;
    }
    t->cp = xalloc(n - skip, sizeof *t->cp);
    t->byte0 = skip;
    size_t bad;
    const char *what;
    t->n = utf8_decode(bytes + skip, n - skip, max_chars, t->cp, &bad, &what);
    if (t->n == (size_t)-1) {
        size_t line = 1;
        for (size_t i = 0; i < skip + bad; i++) line += bytes[i] == '\n';
        snprintf(why, whylen, "%s is not valid UTF-8: %s at byte %zu (line %zu)",
                 path, what, skip + bad, line);
        free(bytes);
        text_free(t);
        return false;
    }
    free(bytes);
    return true;
#line 187 "chapters/B1-text.nw"
}

void text_free(Text *t)
{
    free(t->cp);
    *t = (Text){0};
}
/* ⟨build the vocabulary of a text, and look characters up in it⟩ */
#line 232 "chapters/B1-text.nw"
Vocab vocab_of(const uint32_t *cp, size_t n)
{
    enum { CODE_POINTS = 0x110000 };
    uint8_t *seen = xalloc(CODE_POINTS / 8, 1);
    Vocab v = {0};
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i], bit = 1u << c % 8;
        if (!(seen[c / 8] & bit)) {
            seen[c / 8] |= (uint8_t)bit;
            v.size++;
        }
    }
    v.cp = xalloc(v.size ? (size_t)v.size : 1, sizeof *v.cp);
    int k = 0;
    for (uint32_t byte = 0; byte < CODE_POINTS / 8; byte++)
        for (uint32_t c = 8 * byte; seen[byte] != 0 && c < 8 * byte + 8; c++)  /* most are 0 */
            if (seen[byte] & 1u << c % 8) v.cp[k++] = c;
    free(seen);
    return v;
}

int vocab_find(const Vocab *v, uint32_t c)
{
    int lo = 0, hi = v->size - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (v->cp[mid] == c) return mid;
        if (v->cp[mid] < c) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

void vocab_free(Vocab *v)
{
    free(v->cp);
    /* ⟨free the parts later chapters add to a vocabulary⟩ */
    /* ⟨free the parts later chapters add to a vocabulary⟩, continued in 09-words.nw */
    #line 523 "chapters/09-words.nw"
    free(v->word_at);
    free(v->word_cp);
    #line 268 "chapters/B1-text.nw"
    *v = (Vocab){0};
}
/* ⟨write a token as UTF-8⟩ */
#line 277 "chapters/B1-text.nw"
int token_utf8(const Vocab *v, int k, char out[TOKEN_BYTES_MAX])
{
    /* ⟨write a token of a later chapter's vocabulary, and return⟩ */
    /* ⟨write a token of a later chapter's vocabulary, and return⟩, continued in 09-words.nw */
    #line 527 "chapters/09-words.nw"
    if (k >= v->size - v->words) {                 /* a word: its characters, one after another */
        int j = k - (v->size - v->words), len = 0;
        for (uint32_t i = v->word_at[j]; i < v->word_at[j + 1]; i++)
            len += utf8_encode(v->word_cp[i], out + len);
        return len;
    }
    #line 280 "chapters/B1-text.nw"
    return utf8_encode(v->cp[k], out);
}
/* ⟨name a character for a message⟩ */
#line 372 "chapters/B1-text.nw"
const char *char_name(uint32_t c, char buf[CHAR_NAME_MAX])
{
    static const struct { uint32_t c; const char *name; } special[] = {
        { '\n', "newline" }, { '\t', "tab" }, { '\r', "carriage return" },
        { ' ', "space" }, { 0xA0, "no-break space" }, { 0xFEFF, "byte order mark" },
    };
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (special[i].c == c) {
            snprintf(buf, CHAR_NAME_MAX, "%s (U+%04" PRIX32 ")", special[i].name, c);
            return buf;
        }
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
        snprintf(buf, CHAR_NAME_MAX, "control character U+%04" PRIX32, c);
        return buf;
    }
    char u[5] = {0};
    utf8_encode(c, u);
    snprintf(buf, CHAR_NAME_MAX, "'%s' (U+%04" PRIX32 ")", u, c);
    return buf;
}
/* ⟨turn a text into tokens of a vocabulary⟩ */
#line 301 "chapters/B1-text.nw"
/* The bytes of c in UTF-8. */
static size_t utf8_length(uint32_t c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

bool text_tokens(const Text *t, const Vocab *v, bool skip_unknown, int *tokens,
                 size_t *count, char *why, size_t whylen)
{
    /* ⟨turn a text into the tokens of a later chapter's vocabulary, and return⟩ */
    /* ⟨turn a text into the tokens of a later chapter's vocabulary, and return⟩, continued in 09-words.nw */
    #line 535 "chapters/09-words.nw"
    if (v->words > 0) return words_tokens(t, v, skip_unknown, tokens, count, why, whylen);
    #line 311 "chapters/B1-text.nw"
    size_t k = 0, byte = t->byte0, line = 1, skipped = 0;
    uint32_t warned[8];
    int nwarned = 0;
    char name[CHAR_NAME_MAX];
    for (size_t i = 0; i < t->n; byte += utf8_length(t->cp[i]), line += t->cp[i] == '\n', i++) {
        int tok = vocab_find(v, t->cp[i]);
        if (tok >= 0) { tokens[k++] = tok; continue; }
        if (!skip_unknown) {
            snprintf(why, whylen, "%s at byte %zu (line %zu) is not in the model's "
                     "vocabulary (use --skip-unknown to skip such characters)",
                     char_name(t->cp[i], name), byte, line);
            return false;
        }
        skipped++;
        bool told = false;
        for (int w = 0; w < nwarned; w++) told |= warned[w] == t->cp[i];
        if (!told && nwarned < 8) {
            warned[nwarned++] = t->cp[i];
            warn("skipping %s (first at byte %zu, line %zu): not in the model's vocabulary",
                 char_name(t->cp[i], name), byte, line);
        }
    }
    if (skipped)
        warn("skipped %zu of the %zu characters: not in the model's vocabulary", skipped, t->n);
    *count = k;
    return true;
}
/* ⟨say which control characters a vocabulary holds⟩ */
#line 349 "chapters/B1-text.nw"
void vocab_note_controls(const Vocab *v, const char *source)
{
    char list[400] = "", name[CHAR_NAME_MAX];
    int found = 0;
    for (int k = 0; k < v->size; k++) {
        uint32_t c = v->cp[k];
        if (c == '\n' || c == '\t' || !(c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))) continue;
        if (found++ < 6) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", char_name(c, name));
        }
    }
    if (found)
        warn("%s has %d control character%s, which the model will read and write like any other "
             "character: %s%s", source, found, found == 1 ? "" : "s", list, found > 6 ? ", ..." : "");
}
/* ⟨text.c functions⟩ */
