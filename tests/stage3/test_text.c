/* tests/stage3/test_text.c — UTF-8 decoding and encoding against byte strings
 * written out by hand from the UTF-8 table, the vocabulary, and the errors of
 * reading a text: each says what is wrong and where. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "text.h"

static size_t decode(const char *bytes, size_t n, uint32_t *out, size_t *bad, const char **why)
{
    *bad = 12345;
    *why = NULL;
    return utf8_decode((const unsigned char *)bytes, n, 0, out, bad, why);
}

Test(utf8, decodes_one_to_four_byte_sequences)
{
    /* a, e-acute (C3 A9), euro sign (E2 82 AC), grinning face (F0 9F 98 80),
       and the largest code point (F4 8F BF BF) */
    const char s[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF";
    uint32_t out[sizeof s];
    size_t bad;
    const char *why;
    size_t n = decode(s, sizeof s - 1, out, &bad, &why);
    cr_assert_eq(n, 5);
    cr_assert_eq(out[0], 0x61);
    cr_assert_eq(out[1], 0xE9);
    cr_assert_eq(out[2], 0x20AC);
    cr_assert_eq(out[3], 0x1F600);
    cr_assert_eq(out[4], 0x10FFFF);
}

static void refused(const char *s, size_t len, size_t where, const char *what)
{
    uint32_t out[16];
    size_t bad;
    const char *why;
    size_t n = decode(s, len, out, &bad, &why);
    cr_assert_eq(n, (size_t)-1, "accepted %zu bytes that should be refused (%s)", len, what);
    cr_assert_eq(bad, where, "%s: reported at byte %zu, not %zu", what, bad, where);
    cr_assert(why && strstr(why, what), "%s: the reason given was '%s'", what, why ? why : "(none)");
}

Test(utf8, refuses_what_is_not_utf8_and_says_where)
{
    refused("\x80", 1, 0, "continuation byte with no lead");
    refused("ab\xBF", 3, 2, "continuation byte with no lead");
    refused("a\xC0\xAF", 3, 1, "overlong");            /* '/' in two bytes */
    refused("\xC1\xBF", 2, 0, "overlong");
    refused("\xE0\x80\xAF", 3, 0, "overlong");         /* '/' in three bytes */
    refused("\xF0\x8F\xBF\xBF", 4, 0, "overlong");     /* U+FFFF in four bytes */
    refused("xy\xED\xA0\x80", 5, 2, "surrogate");      /* U+D800 */
    refused("\xED\xBF\xBF", 3, 0, "surrogate");        /* U+DFFF */
    refused("\xF4\x90\x80\x80", 4, 0, "above U+10FFFF");
    refused("\xF5\x80\x80\x80", 4, 0, "never occurs");
    refused("\xFF", 1, 0, "never occurs");
    refused("a\xE2\x82", 3, 1, "cut short by the end");
    refused("\xE2\x41\x42", 3, 0, "too few continuation");
    refused("\xF0\x9F\x98 ", 4, 0, "too few continuation");
}

Test(utf8, encoding_matches_the_table_and_decodes_back)
{
    static const struct { uint32_t c; int len; } cases[] = {
        { 0, 1 }, { 0x7F, 1 }, { 0x80, 2 }, { 0x7FF, 2 }, { 0x800, 3 }, { 0xD7FF, 3 },
        { 0xE000, 3 }, { 0xFFFF, 3 }, { 0x10000, 4 }, { 0x10FFFF, 4 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[4];
        int len = utf8_encode(cases[i].c, buf);
        cr_assert_eq(len, cases[i].len, "U+%04X: %d bytes", (unsigned)cases[i].c, len);
        uint32_t back[4];
        size_t bad;
        const char *why;
        cr_assert_eq(decode(buf, (size_t)len, back, &bad, &why), 1);
        cr_assert_eq(back[0], cases[i].c);
    }
    char buf[4];
    utf8_encode(0x20AC, buf);   /* the euro sign is E2 82 AC */
    cr_assert(memcmp(buf, "\xE2\x82\xAC", 3) == 0);
}

Test(vocab, is_the_sorted_set_of_characters)
{
    const uint32_t s[] = { 'h', 'e', 'l', 'l', 'o', 0xE9, ' ', 'h' };
    Vocab v = vocab_of(s, 8);
    const uint32_t want[] = { ' ', 'e', 'h', 'l', 'o', 0xE9 };
    cr_assert_eq(v.size, 6);
    for (int k = 0; k < 6; k++) {
        cr_assert_eq(v.cp[k], want[k]);
        cr_assert_eq(vocab_find(&v, want[k]), k);
    }
    cr_assert_eq(vocab_find(&v, 'a'), -1);
    cr_assert_eq(vocab_find(&v, 0x10FFFF), -1);
    cr_assert_eq(vocab_find(&v, 0), -1);
    vocab_free(&v);
}

static char folder[64];
static char *write_file(const char *name, const char *bytes, size_t n)
{
    if (!folder[0]) {
        strcpy(folder, "/tmp/lstm-test-XXXXXX");
        cr_assert_not_null(mkdtemp(folder));
    }
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fwrite(bytes, 1, n, f);
    fclose(f);
    return path;
}

static void read_fails(const char *path, const char *expect)
{
    Text t;
    char why[512] = "";
    cr_assert_not(text_read(path, 0, &t, why, sizeof why), "%s was read", path);
    cr_assert(strstr(why, expect), "message '%s' lacks '%s'", why, expect);
    cr_assert_null(t.cp);
}

Test(text, reads_utf8_files)
{
    const char *p = write_file("good.txt", "to be\n\xC3\xA9t\xC3\xA9", 11);
    Text t;
    char why[512];
    cr_assert(text_read(p, 0, &t, why, sizeof why), "%s", why);
    cr_assert_eq(t.n, 9);
    cr_assert_eq(t.cp[5], '\n');
    cr_assert_eq(t.cp[6], 0xE9);
    text_free(&t);
}

Test(text, says_what_is_wrong_with_a_file)
{
    read_fails("/nonexistent/corpus.txt", "No such file");
    read_fails(write_file("empty.txt", "", 0), "is empty");
    char *dir = write_file("x", "", 0);
    strcpy(strrchr(dir, '/'), "");
    read_fails(dir, "is a directory");
    /* the bad byte is the seventh (offset 6) and on the third line */
    read_fails(write_file("bad.txt", "ab\ncd\n\xFFz", 8), "at byte 6 (line 3)");
    read_fails(write_file("cut.txt", "abc\xE2\x82", 5), "cut short by the end of the text at byte 3");
}

Test(text, names_a_character_outside_the_vocabulary, .init = cr_redirect_stderr)
{
    const uint32_t train[] = { 'a', 'b', '\n' };
    Vocab v = vocab_of(train, 3);
    /* "ab\nb\xE9" : the e-acute is the fifth character, at byte 4 on line 2 */
    Text t = { .n = 6, .cp = (uint32_t[]){ 'a', 'b', '\n', 'b', 0xE9, 'a' } };
    int tokens[6];
    size_t count;
    char why[512] = "";
    cr_assert_not(text_tokens(&t, &v, false, tokens, &count, why, sizeof why));
    cr_assert(strstr(why, "'\xC3\xA9' (U+00E9) at byte 4 (line 2)"), "message: %s", why);
    cr_assert(text_tokens(&t, &v, true, tokens, &count, why, sizeof why));
    cr_assert_eq(count, 5);
    const int want[] = { 1, 2, 0, 2, 1 };   /* vocabulary: newline, a, b */
    for (int i = 0; i < 5; i++) cr_assert_eq(tokens[i], want[i]);
    vocab_free(&v);
}

Test(text, names_invisible_characters)
{
    char buf[CHAR_NAME_MAX];
    cr_assert_str_eq(char_name('\n', buf), "newline (U+000A)");
    cr_assert_str_eq(char_name(0x07, buf), "control character U+0007");
    cr_assert_str_eq(char_name('q', buf), "'q' (U+0071)");
}
