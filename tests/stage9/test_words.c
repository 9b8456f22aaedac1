/* tests/stage9/test_words.c — word tokens (chapter 9): the tokenizer's
 * rules on hand-made lines, against a reading worked out by hand; the
 * tokens spell the text back exactly, on random texts; the vocabulary's
 * order and cap; a character outside it said where; a vocabulary of words
 * in the model file, round trip and refusals. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "modelfile.h"

static Text text_of(const char *s)
{
    size_t n = strlen(s), bad;
    const char *why;
    Text t = { .cp = malloc((n + 1) * sizeof(uint32_t)) };
    t.n = utf8_decode((const unsigned char *)s, n, 0, t.cp, &bad, &why);
    cr_assert(t.n != (size_t)-1);
    return t;
}

/* The tokens of s as strings, joined by '|', into out. */
static void read_as(const Vocab *v, const char *s, char *out, size_t room)
{
    Text t = text_of(s);
    int *tok = malloc((t.n + 1) * sizeof *tok);
    size_t n;
    char why[300];
    cr_assert(text_tokens(&t, v, false, tok, &n, why, sizeof why), "%s", why);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        char b[TOKEN_BYTES_MAX];
        int len = token_utf8(v, tok[i], b);
        cr_assert(at + (size_t)len + 2 < room);
        if (i) out[at++] = '|';
        memcpy(out + at, b, (size_t)len);
        at += (size_t)len;
    }
    out[at] = 0;
    free(tok);
    free(t.cp);
}

/* A training text in which " the", " king", "ROMEO", " I'll" and "soft" occur
   twice or more, " soft" and " queen" once; the vocabulary of its words. */
static const char *training =
    "ROMEO:\nBut soft, the king, the king! I'll go. I'll see the queen.\n"
    "ROMEO:\nsoft, the king.\nsoft!\n";

Test(words, the_vocabulary_is_the_characters_then_the_words_seen_twice_commonest_first)
{
    Text t = text_of(training);
    Vocab v = words_vocab(t.cp, t.n, t.n, 100);
    Vocab c = vocab_of(t.cp, t.n);
    cr_assert_eq(v.size - v.words, c.size, "every character of the text");
    cr_assert(memcmp(v.cp, c.cp, (size_t)c.size * sizeof *c.cp) == 0, "in code point order");
    /* by hand: " the" 4, " king" 3, "ROMEO" 2, " I'll" 2, "soft" 2 — ties by code points:
       " I'll" (0x20 0x49) < "ROMEO" (0x52) < "soft" (0x73) */
    const char *want[] = { " the", " king", " I'll", "ROMEO", "soft" };
    cr_assert_eq(v.words, 5, "%d words", v.words);
    for (int j = 0; j < 5; j++) {
        char b[TOKEN_BYTES_MAX];
        int len = token_utf8(&v, c.size + j, b);
        b[len] = 0;
        cr_assert_str_eq(b, want[j], "word %d", j);
        cr_assert_eq(v.cp[c.size + j], VOCAB_WORD_BASE + (uint32_t)j);
    }
    Vocab capped = words_vocab(t.cp, t.n, t.n, 2);
    cr_assert_eq(capped.words, 2);
    /* only the training part counts: cut before the second "ROMEO", it is seen once */
    Vocab part = words_vocab(t.cp, t.n, 66, 100);
    cr_assert(memcmp(t.cp + 66, (uint32_t[]){ 'R', 'O', 'M' }, 12) == 0, "the cut is before ROMEO");
    cr_assert_eq(part.size - part.words, c.size, "the characters still of the whole text");
    for (int j = 0; j < part.words; j++) {
        char b[TOKEN_BYTES_MAX];
        int len = token_utf8(&part, c.size + j, b);
        cr_assert(!(len == 5 && memcmp(b, "ROMEO", 5) == 0), "a word of the validation part");
    }
    vocab_free(&v); vocab_free(&c); vocab_free(&capped); vocab_free(&part);
    free(t.cp);
}

Test(words, a_line_is_read_as_the_rules_say)
{
    Text t = text_of(training);
    Vocab v = words_vocab(t.cp, t.n, t.n, 100);
    char got[600];
    /* " the" and " king" whole; "king" at the start of a line has no token of its own:
       spelled; " queen" (once) spelled with its space; ", " characters */
    read_as(&v, "ROMEO: the king\nking queen, I'll", got, sizeof got);
    cr_assert_str_eq(got, "ROMEO|:| the| king|\n|k|i|n|g| |q|u|e|e|n|,| I'll", "%s", got);
    /* a word the vocabulary has only with its space, at a line's start: spelled out;
       "soft" without a space, after one: the space, then "soft" */
    read_as(&v, "the soft", got, sizeof got);
    cr_assert_str_eq(got, "t|h|e| |soft", "%s", got);
    /* an apostrophe that starts a word is a character; one inside a word is the word's */
    read_as(&v, "'the the'", got, sizeof got);
    cr_assert_str_eq(got, "'|t|h|e| the|'", "%s", got);
    vocab_free(&v);
    free(t.cp);
}

Test(words, a_word_is_at_most_32_characters)
{
    char longer[80] = "x";
    for (int i = 1; i < 40; i++) strcat(longer, "a");   /* 40 letters */
    char doubled[3 * sizeof longer + 3];
    snprintf(doubled, sizeof doubled, "%s %s %s", longer, longer, longer);
    Text t = text_of(doubled);
    Vocab v = words_vocab(t.cp, t.n, t.n, 100);
    for (int j = 0; j < v.words; j++)
        cr_assert_leq(v.word_at[j + 1] - v.word_at[j], 32u);
    cr_assert_geq(v.words, 1, "the first 32 letters are a word seen three times");
    vocab_free(&v);
    free(t.cp);
}

/* Random texts over an alphabet of letters, spaces, apostrophes, newlines and
   punctuation: the tokens spell each text back, byte for byte. */
Test(words, the_tokens_spell_the_text_back)
{
    const char alphabet[] = "aabbcdeeeffghiijkllmnoopqrstuuvwxyzABCR  '\n,.!;:";
    Rng rng;
    rng_seed(&rng, 9, 1);
    for (int trial = 0; trial < 40; trial++) {
        size_t n = 200 + rng_below(&rng, 2000);
        char *s = malloc(n + 1);
        for (size_t i = 0; i < n; i++) s[i] = alphabet[rng_below(&rng, sizeof alphabet - 1)];
        s[n] = 0;
        Text t = text_of(s);
        Vocab v = words_vocab(t.cp, t.n, t.n / 2, 1 + (int)rng_below(&rng, 300));
        int *tok = malloc(n * sizeof *tok);
        size_t k;
        char why[300];
        cr_assert(text_tokens(&t, &v, false, tok, &k, why, sizeof why), "%s", why);
        char *back = malloc(n * TOKEN_BYTES_MAX + 1);
        size_t at = 0;
        for (size_t i = 0; i < k; i++) at += (size_t)token_utf8(&v, tok[i], back + at);
        cr_assert_eq(at, n, "trial %d: %zu bytes back from %zu", trial, at, n);
        cr_assert(memcmp(back, s, n) == 0, "trial %d: the tokens spell another text", trial);
        if (v.words) cr_assert_lt(k, n, "trial %d: words, yet as many tokens as characters", trial);
        free(back); free(tok); free(s); free(t.cp);
        vocab_free(&v);
    }
}

Test(words, a_character_outside_the_vocabulary_is_said_where)
{
    Text t = text_of(training);
    Vocab v = words_vocab(t.cp, t.n, t.n, 100);
    Text u = text_of("the king\nthe kin\xc3\xa9 again");   /* U+00E9 at byte 16, line 2 */
    int tok[64];
    size_t k;
    char why[300] = "", as_chars[300] = "";
    cr_assert_not(text_tokens(&u, &v, false, tok, &k, why, sizeof why));
    cr_assert(strstr(why, "U+00E9") && strstr(why, "byte 16") && strstr(why, "line 2"), "%s", why);
    Vocab c = vocab_of(t.cp, t.n);                      /* the same message as for characters */
    cr_assert_not(text_tokens(&u, &c, false, tok, &k, as_chars, sizeof as_chars));
    cr_assert_str_eq(why, as_chars);
    vocab_free(&c);
    cr_assert(text_tokens(&u, &v, true, tok, &k, why, sizeof why), "--skip-unknown: %s", why);
    vocab_free(&v);
    free(u.cp);
    free(t.cp);
}

/* ------------------------------------------------ in the model file */
static char dir[] = "/tmp/lstm-words-XXXXXX";

static Model word_model(void)
{
    Text t = text_of(training);
    Vocab v = words_vocab(t.cp, t.n, t.n, 100);
    Model m = model_new_embedded(&v, 3, 4, 2);
    Rng rng;
    rng_seed(&rng, 2, 1);
    model_init(&m, &rng);
    vocab_free(&v);
    free(t.cp);
    return m;
}

static unsigned char *bytes_of(const Model *m, size_t *n)
{
    if (dir[sizeof dir - 2] == 'X') cr_assert(mkdtemp(dir));
    char p[300], why[600];
    snprintf(p, sizeof p, "%s/w.bin", dir);
    cr_assert(model_save(m, p, why, sizeof why), "%s", why);
    unsigned char *b;
    cr_assert(file_read_all(p, 1 << 20, &b, n, why, sizeof why), "%s", why);
    return b;
}

static bool load(const unsigned char *b, size_t n, Model *k, char *why, size_t whylen)
{
    char p[300];
    snprintf(p, sizeof p, "%s/try.bin", dir);
    FILE *f = fopen(p, "wb");
    cr_assert_eq(fwrite(b, 1, n, f), n);
    fclose(f);
    return model_load(p, k, why, whylen);
}

Test(words_file, a_vocabulary_of_words_comes_back_and_its_bytes_are_where_B5_says)
{
    Model m = word_model();
    size_t n;
    unsigned char *b = bytes_of(&m, &n);
    int C = m.V - m.vocab.words;
    uint32_t W = m.vocab.word_at[m.vocab.words];
    cr_assert_eq(get_u32(b + 32), 1, "tokens: words");
    cr_assert_eq(get_u32(b + 36), (uint32_t)C);
    cr_assert_eq(get_u32(b + 40), W);
    cr_assert_eq(n, 48 + 4 * (size_t)m.V + 4 * (size_t)W + sizeof(real) * m.count + 4);
    cr_assert_eq(get_u32(b + 48 + 4 * (size_t)C), 4, "the first word, \" the\", is 4 long");
    cr_assert_eq(get_u32(b + 48 + 4 * (size_t)C + 4), ' ');
    Model k;
    char why[600];
    cr_assert(load(b, n, &k, why, sizeof why), "%s", why);
    cr_assert_eq(k.vocab.words, m.vocab.words);
    cr_assert(memcmp(k.vocab.cp, m.vocab.cp, (size_t)m.V * 4) == 0);
    cr_assert(memcmp(k.vocab.word_cp, m.vocab.word_cp, W * 4) == 0);
    cr_assert(memcmp(k.params, m.params, m.count * sizeof(real)) == 0);
    model_free(&k);
    free(b);
    model_free(&m);
}

static void refused_edit(const unsigned char *good, size_t n, size_t at, uint32_t v, const char *expect)
{
    unsigned char *b = malloc(n);
    memcpy(b, good, n);
    for (int i = 0; i < 4; i++) b[at + (size_t)i] = (unsigned char)(v >> 8 * i);
    uint32_t crc = crc32_update(0, b, n - 4);
    for (int i = 0; i < 4; i++) b[n - 4 + (size_t)i] = (unsigned char)(crc >> 8 * i);
    Model k;
    char why[600] = "";
    cr_assert_not(load(b, n, &k, why, sizeof why), "offset %zu = %u accepted", at, v);
    cr_assert_null(k.params);
    cr_assert(strstr(why, expect), "offset %zu = %u: '%s' lacks '%s'", at, v, why, expect);
    free(b);
}

Test(words_file, every_bad_word_is_refused_with_its_reason)
{
    Model m = word_model();
    size_t n;
    unsigned char *good = bytes_of(&m, &n);
    size_t C = (size_t)(m.V - m.vocab.words), w0 = 48 + 4 * C;   /* word 0: " the" */
    refused_edit(good, n, w0 + 4 * 2, 'Z', "word 0 of the vocabulary holds a character that is not");
    refused_edit(good, n, w0 + 4 * 1, 0x110000, "holds a character that is not");
    size_t w1 = w0 + 4 + 4 * 4;                                 /* word 1, " king" */
    refused_edit(good, n, w1, 30, "word 1 of the vocabulary claims 30 characters");
    refused_edit(good, n, w0, 1, "claims 1 characters");
    refused_edit(good, n, 36, 0, "a vocabulary of words has C = 0");
    refused_edit(good, n, 32, 2, "tokens are of kind 2");
    refused_edit(good, n, 44, 1, "reserved header field (bytes 44 to 47)");
    free(good);
    model_free(&m);
}

Test(words_file, a_word_twice_is_refused)
{
    /* by hand: characters ' ', a, b; words "ab", " ab", "ab" */
    uint32_t cps[6] = { ' ', 'a', 'b', VOCAB_WORD_BASE, VOCAB_WORD_BASE + 1, VOCAB_WORD_BASE + 2 };
    uint32_t at[4] = { 0, 2, 5, 7 }, letters[7] = { 'a', 'b', ' ', 'a', 'b', 'a', 'b' };
    Vocab v = { .size = 6, .cp = cps, .words = 3, .word_at = at, .word_cp = letters };
    int which = -1;
    const char *bad = vocab_words_bad(&v, &which);
    cr_assert(bad && strstr(bad, "twice"), "%s", bad ? bad : "(accepted)");
    cr_assert_eq(which, 2);
    letters[6] = 'a';                                  /* "aa": no longer twice */
    cr_assert_null(vocab_words_bad(&v, &which));
    letters[6] = 'c';                                  /* not a character of the vocabulary */
    bad = vocab_words_bad(&v, &which);
    cr_assert(bad && strstr(bad, "not in the vocabulary") && which == 2, "%s", bad ? bad : "(accepted)");
}

Test(words_file, every_truncation_and_every_damaged_byte_is_refused)
{
    Model m = word_model();
    size_t n;
    unsigned char *good = bytes_of(&m, &n);
    Model k;
    char why[600];
    for (size_t len = 0; len < n; len += len < 400 ? 1 : 13) {
        why[0] = 0;
        cr_assert_not(load(good, len, &k, why, sizeof why), "truncated to %zu: accepted", len);
        cr_assert(why[0]);
    }
    unsigned char *b = malloc(n);
    for (size_t i = 0; i < n; i += i < 600 ? 1 : 5) {
        memcpy(b, good, n);
        b[i] ^= (unsigned char)(1u << (i % 8));
        why[0] = 0;
        cr_assert_not(load(b, n, &k, why, sizeof why), "byte %zu flipped: accepted", i);
        cr_assert(why[0]);
    }
    free(b);
    free(good);
    model_free(&m);
}
