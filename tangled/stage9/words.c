#line 735 "chapters/09-words.nw"
/* words.c — word tokens: the vocabulary of a text's words, and reading a
   text in them (chapter 9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base.h"
#include "text.h"

/* ⟨what a word is⟩ */
#line 539 "chapters/09-words.nw"
static bool is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Where the piece of cp[0 .. n) that starts at i ends: after a word (a space,
   if a letter follows it, then letters, with apostrophes between letters, at
   most VOCAB_WORD_MAX characters in all), or after the single character at i. */
static size_t piece_end(const uint32_t *cp, size_t n, size_t i)
{
    size_t j = i + (cp[i] == ' ' && i + 1 < n && is_letter(cp[i + 1]));
    if (!is_letter(cp[j])) return i + 1;
    size_t end = j + 1;
    while (end < n && end - i < VOCAB_WORD_MAX
           && (is_letter(cp[end]) || (cp[end] == '\'' && end + 1 < n && is_letter(cp[end + 1]))))
        end++;
    return end;
}
/* ⟨a table of words⟩ */
#line 13 "chapters/B6-word-table.nw"
typedef struct {
    size_t mask;              /* slots - 1; the slots are a power of 2 */
    int *slot;                /* an entry's number + 1, or 0: empty */
    const uint32_t **key;     /* entry e is key[e][0 .. len[e]) */
    int *len;
    long *count;              /* how often it occurs (when building a vocabulary) */
    int n, room;
} WordTable;

static uint64_t word_hash(const uint32_t *s, int len)   /* FNV-1a over the code points */
{
    uint64_t h = 14695981039346656037u;
    for (int i = 0; i < len; i++) h = (h ^ s[i]) * 1099511628211u;
    return h;
}

static WordTable table_new(void)
{
    WordTable w = { .mask = 255 };
    w.slot = xalloc(256, sizeof *w.slot);
    return w;
}

static void table_free(WordTable *w)
{
    free(w->slot); free(w->key); free(w->len); free(w->count);
    *w = (WordTable){0};
}

static void grow(void **p, int n, int room, size_t size)
{
    void *q = xalloc((size_t)room, size);
    if (n) memcpy(q, *p, (size_t)n * size);
    free(*p);
    *p = q;
}

/* The entry of s[0 .. len): added (counted 0) if it is not there and add is true; else -1. */
static int table_find(WordTable *w, const uint32_t *s, int len, bool add)
{
    size_t h = word_hash(s, len) & w->mask;
    for (; w->slot[h]; h = (h + 1) & w->mask) {
        int e = w->slot[h] - 1;
        if (w->len[e] == len && memcmp(w->key[e], s, (size_t)len * sizeof *s) == 0) return e;
    }
    if (!add) return -1;
    if (w->n == w->room) {
        int room = w->room ? 2 * w->room : 256;
        grow((void **)&w->key, w->n, room, sizeof *w->key);
        grow((void **)&w->len, w->n, room, sizeof *w->len);
        grow((void **)&w->count, w->n, room, sizeof *w->count);
        w->room = room;
    }
    int e = w->n++;
    w->key[e] = s, w->len[e] = len, w->count[e] = 0;
    w->slot[h] = e + 1;
    if (2 * (size_t)w->n > w->mask + 1) {                  /* more than half full: twice the slots */
        free(w->slot);
        w->mask = 2 * w->mask + 1;
        w->slot = xalloc(w->mask + 1, sizeof *w->slot);
        for (int f = 0; f < w->n; f++) {
            size_t g = word_hash(w->key[f], w->len[f]) & w->mask;
            while (w->slot[g]) g = (g + 1) & w->mask;
            w->slot[g] = f + 1;
        }
    }
    return e;
}
/* ⟨build a vocabulary of characters and the commonest words⟩ */
#line 568 "chapters/09-words.nw"
static const WordTable *sorting;   /* qsort's comparison needs the table */

static int commoner(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    if (sorting->count[x] != sorting->count[y]) return sorting->count[x] > sorting->count[y] ? -1 : 1;
    for (int i = 0; i < sorting->len[x] && i < sorting->len[y]; i++)
        if (sorting->key[x][i] != sorting->key[y][i]) return sorting->key[x][i] < sorting->key[y][i] ? -1 : 1;
    return sorting->len[x] - sorting->len[y];
}

Vocab words_vocab(const uint32_t *cp, size_t n, size_t n_train, int max_words)
{
    Vocab chars = vocab_of(cp, n);
    WordTable w = table_new();
    for (size_t i = 0, end; i < n_train; i = end) {
        end = piece_end(cp, n_train, i);
        if (end - i < 2) continue;
        int e = table_find(&w, cp + i, (int)(end - i), true);     /* may move w.count */
        w.count[e]++;
    }
    int *order = xalloc((size_t)w.n + 1, sizeof *order), kept = 0;
    for (int e = 0; e < w.n; e++)
        if (w.count[e] >= 2) order[kept++] = e;
    sorting = &w;
    qsort(order, (size_t)kept, sizeof *order, commoner);
    if (kept > max_words) kept = max_words;
    Vocab v = { .size = chars.size + kept, .words = kept };
    v.cp = xalloc((size_t)v.size, sizeof *v.cp);
    memcpy(v.cp, chars.cp, (size_t)chars.size * sizeof *v.cp);
    v.word_at = xalloc((size_t)kept + 1, sizeof *v.word_at);
    size_t letters = 0;
    for (int j = 0; j < kept; j++) letters += (size_t)w.len[order[j]];
    v.word_cp = xalloc(letters + 1, sizeof *v.word_cp);
    for (int j = 0; j < kept; j++) {
        int e = order[j];
        v.cp[chars.size + j] = VOCAB_WORD_BASE + (uint32_t)j;
        memcpy(v.word_cp + v.word_at[j], w.key[e], (size_t)w.len[e] * sizeof *v.word_cp);
        v.word_at[j + 1] = v.word_at[j] + (uint32_t)w.len[e];
    }
    free(order);
    table_free(&w);
    vocab_free(&chars);
    return v;
}
/* ⟨read a text in words, spelling out the rest⟩ */
#line 621 "chapters/09-words.nw"
static WordTable table_of(const Vocab *v)
{
    WordTable w = table_new();
    for (int j = 0; j < v->words; j++)
        table_find(&w, v->word_cp + v->word_at[j], (int)(v->word_at[j + 1] - v->word_at[j]), true);
    return w;
}

bool words_tokens(const Text *t, const Vocab *v, bool skip_unknown, int *tokens,
                  size_t *count, char *why, size_t whylen)
{
    WordTable w = table_of(v);
    int first_word = v->size - v->words;
    size_t k = 0, skipped = 0;
    for (size_t i = 0, end; i < t->n; i = end) {
        end = piece_end(t->cp, t->n, i);
        int e = end - i >= 2 ? table_find(&w, t->cp + i, (int)(end - i), false) : -1;
        if (e < 0 && t->cp[i] == ' ' && end - i >= 3) {         /* the space, then the word alone */
            int bare = table_find(&w, t->cp + i + 1, (int)(end - i - 1), false);
            if (bare >= 0) {
                tokens[k++] = vocab_find(v, ' ');
                e = bare;
            }
        }
        if (e >= 0) { tokens[k++] = first_word + e; continue; }
        for (size_t c = i; c < end; c++) {                     /* spelled out */
            int tok = vocab_find(v, t->cp[c]);
            if (tok >= 0) { tokens[k++] = tok; continue; }
            if (!skip_unknown) {
                size_t byte = t->byte0, line = 1;
                char buf[8], name[CHAR_NAME_MAX];
                for (size_t b = 0; b < c; b++) byte += (size_t)utf8_encode(t->cp[b], buf), line += t->cp[b] == '\n';
                snprintf(why, whylen, "%s at byte %zu (line %zu) is not in the model's "
                         "vocabulary (use --skip-unknown to skip such characters)",
                         char_name(t->cp[c], name), byte, line);
                table_free(&w);
                return false;
            }
            skipped++;
        }
    }
    if (skipped)
        warn("skipped %zu of the %zu characters: not in the model's vocabulary", skipped, t->n);
    table_free(&w);
    *count = k;
    return true;
}
/* ⟨copy a vocabulary, and check one of words⟩ */
#line 675 "chapters/09-words.nw"
const uint32_t *token_cp(const Vocab *v, int k, int *len)
{
    int j = k - (v->size - v->words);
    if (j < 0) { *len = 1; return &v->cp[k]; }
    *len = (int)(v->word_at[j + 1] - v->word_at[j]);
    return v->word_cp + v->word_at[j];
}

Vocab vocab_copy(const Vocab *v)
{
    Vocab c = { .size = v->size, .words = v->words };
    c.cp = xalloc((size_t)v->size, sizeof *c.cp);
    memcpy(c.cp, v->cp, (size_t)v->size * sizeof *c.cp);
    if (v->words) {
        size_t letters = v->word_at[v->words];
        c.word_at = xalloc((size_t)v->words + 1, sizeof *c.word_at);
        c.word_cp = xalloc(letters + 1, sizeof *c.word_cp);
        memcpy(c.word_at, v->word_at, ((size_t)v->words + 1) * sizeof *c.word_at);
        memcpy(c.word_cp, v->word_cp, letters * sizeof *c.word_cp);
    }
    return c;
}

const char *vocab_words_bad(const Vocab *v, int *which)
{
    WordTable w = table_new();
    const char *bad = NULL;
    for (int j = 0; j < v->words && !bad; j++) {
        *which = j;
        uint32_t len = v->word_at[j + 1] - v->word_at[j];
        const uint32_t *s = v->word_cp + v->word_at[j];
        if (len < 2 || len > VOCAB_WORD_MAX) bad = "is not 2 to 32 characters long";
        for (uint32_t i = 0; i < len && !bad; i++)
            if (s[i] >= VOCAB_WORD_BASE || vocab_find(v, s[i]) < 0) bad = "holds a character that is not in the vocabulary";
        if (!bad && table_find(&w, s, (int)len, false) >= 0) bad = "is in the vocabulary twice";
        if (!bad) table_find(&w, s, (int)len, true);
    }
    table_free(&w);
    return bad;
}
