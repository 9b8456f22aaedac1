/* tests/stage3/test_model.c — the parameter count worked out by hand, CRC-32
 * against its published check value, the model file byte by byte as appendix A
 * describes it, save/load round trips, and every kind of bad file refused. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "modelfile.h"

Test(model, parameter_count_by_hand)
{
    /* V = 3, H = 2, L = 1: W_ih 8x3, W_hh 8x2, b 8, W_y 3x2, b_y 3 */
    cr_assert_eq(model_param_count(3, 2, 1), 24 + 16 + 8 + 6 + 3);
    /* The default model: layer 1 has 1024 x 65 + 1024 x 256 + 1024, layer 2
       1024 x 256 + 1024 x 256 + 1024, the decoder 65 x 256 + 65. */
    cr_assert_eq(model_param_count(65, 256, 2),
                 (size_t)(66560 + 262144 + 1024) + (262144 + 262144 + 1024) + (16640 + 65));
}

Test(model, tensors_tile_the_parameter_block_in_file_order)
{
    uint32_t cps[] = { 'a', 'b', 'c', 'd', 'e' };
    Vocab v = { .size = 5, .cp = cps };
    Model m = model_new(&v, 3, 2);
    real *p = m.params;
    const int rows[] = { 12, 12, 1, 12, 12, 1, 5, 1 }, cols[] = { 5, 3, 12, 3, 3, 12, 3, 5 };
    const char *names[] = { "layer 1 W_ih", "layer 1 W_hh", "layer 1 b", "layer 2 W_ih",
                            "layer 2 W_hh", "layer 2 b", "W_y", "b_y" };
    cr_assert_eq(model_tensor_count(&m), 8);
    for (int k = 0; k < 8; k++) {
        char name[MODEL_TENSOR_NAME_MAX];
        Matrix t = model_tensor(&m, k, name);
        cr_assert_str_eq(name, names[k]);
        cr_assert_eq(t.data, p, "%s does not start where the previous tensor ends", name);
        cr_assert_eq(t.rows, rows[k]);
        cr_assert_eq(t.cols, cols[k]);
        cr_assert_eq(t.stride, t.cols);
        p += (size_t)t.rows * (size_t)t.cols;
    }
    cr_assert_eq((size_t)(p - m.params), m.count);
    model_free(&m);
}

Test(crc32, published_check_value)
{
    cr_assert_eq(crc32_update(0, "123456789", 9), 0xCBF43926u);
    cr_assert_eq(crc32_update(crc32_update(0, "1234", 4), "56789", 5), 0xCBF43926u);
    cr_assert_eq(crc32_update(0, "", 0), 0);
}

/* ---------------------------------------------------------------- files */
static char folder[64];
static const char *tmp_path(const char *name)
{
    if (!folder[0]) {
        strcpy(folder, "/tmp/lstm-model-XXXXXX");
        cr_assert_not_null(mkdtemp(folder));
    }
    static char path[2][128];
    static int which;
    which ^= 1;
    snprintf(path[which], sizeof path[which], "%s/%s", folder, name);
    return path[which];
}

static Model small_model(int V, int H, int L, uint64_t seed)
{
    uint32_t cps[8] = { '\n', ' ', 'a', 'b', 0xE9, 0x20AC, 0x1F600, 0x10FFFF };
    Vocab v = { .size = V, .cp = cps + (8 - V) };
    Model m = model_new(&v, H, L);
    Rng rng;
    rng_seed(&rng, seed, 1);
    model_init(&m, &rng);
    mat_uniform(m.b_y, -1, 1, &rng);   /* make every tensor nonzero */
    return m;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    unsigned char *p = malloc(*n + 1);
    cr_assert_eq(fread(p, 1, *n, f), *n);
    fclose(f);
    return p;
}

static void spit(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(p, 1, n, f), n);
    fclose(f);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> 8 * i);
}

Test(model_file, round_trip_is_bit_for_bit)
{
    for (int L = 1; L <= 3; L++) {
        Model m = small_model(5, 4, L, (uint64_t)L);
        char why[512];
        const char *p = tmp_path("m.bin");
        cr_assert(model_save(&m, p, why, sizeof why), "%s", why);
        Model k;
        cr_assert(model_load(p, &k, why, sizeof why), "%s", why);
        cr_assert_eq(k.V, m.V);
        cr_assert_eq(k.H, m.H);
        cr_assert_eq(k.L, m.L);
        cr_assert_eq(k.count, m.count);
        cr_assert(memcmp(k.vocab.cp, m.vocab.cp, (size_t)m.V * 4) == 0);
        cr_assert(memcmp(k.params, m.params, m.count * sizeof(real)) == 0);
        model_free(&k);
        model_free(&m);
    }
}

Test(model_file, bytes_are_where_appendix_A_says)
{
    Model m = small_model(3, 2, 1, 7);
    char why[512];
    const char *p = tmp_path("layout.bin");
    cr_assert(model_save(&m, p, why, sizeof why), "%s", why);
    size_t n;
    unsigned char *f = slurp(p, &n);
    size_t w = sizeof(real);
    cr_assert_eq(n, 32 + 4 * 3 + w * m.count + 4);
    cr_assert(memcmp(f, "LSTMCHAR", 8) == 0);
    cr_assert_eq(le32(f + 8), 1);          /* version */
    cr_assert_eq(le32(f + 12), w);         /* bytes per number */
    cr_assert_eq(le32(f + 16), 3);         /* V */
    cr_assert_eq(le32(f + 20), 2);         /* H */
    cr_assert_eq(le32(f + 24), 1);         /* L */
    cr_assert_eq(le32(f + 28), 0);         /* reserved */
    cr_assert_eq(le32(f + 32), 0x20AC);    /* the vocabulary: U+20AC, U+1F600, U+10FFFF */
    cr_assert_eq(le32(f + 36), 0x1F600);
    cr_assert_eq(le32(f + 40), 0x10FFFF);
    /* W_ih element (1, 2) is parameter 1 * 3 + 2; W_y element (2, 1) comes
       after W_ih (24), W_hh (16) and b (8): parameter 48 + 2 * 2 + 1 */
    size_t at[2] = { 1 * 3 + 2, 48 + 2 * 2 + 1 };
    real want[2] = { MAT(m.layer[0].W_ih, 1, 2), MAT(m.W_y, 2, 1) };
    for (int q = 0; q < 2; q++) {
        const unsigned char *b = f + 44 + w * at[q];
        real got;
        if (w == 4) { uint32_t u = le32(b); float x; memcpy(&x, &u, 4); got = (real)x; }
        else { uint64_t u = le32(b) | (uint64_t)le32(b + 4) << 32; double x; memcpy(&x, &u, 8); got = (real)x; }
        cr_assert_eq(got, want[q], "parameter %zu", at[q]);
    }
    cr_assert_eq(le32(f + n - 4), crc32_update(0, f, n - 4));
    free(f);
    model_free(&m);
}

/* Write bytes to a file, load it, and insist on a refusal whose message says expect. */
static void refused(const unsigned char *bytes, size_t n, const char *expect, const char *what)
{
    const char *p = tmp_path("bad.bin");
    spit(p, bytes, n);
    Model k;
    char why[512] = "";
    bool ok = model_load(p, &k, why, sizeof why);
    cr_assert_not(ok, "%s: the file was accepted", what);
    cr_assert_null(k.params, "%s: a refused load left a model behind", what);
    cr_assert(strstr(why, expect), "%s: message '%s' lacks '%s'", what, why, expect);
    cr_assert(strstr(why, p), "%s: message '%s' does not name the file", what, why);
}

/* Change the file with f, put a correct CRC back, so that the check that
   must fire is the one under test and not the checksum. */
static void refused_with_crc(const unsigned char *good, size_t n, void (*f)(unsigned char *),
                             const char *expect, const char *what)
{
    unsigned char *b = malloc(n);
    memcpy(b, good, n);
    f(b);
    put_le32(b + n - 4, crc32_update(0, b, n - 4));
    refused(b, n, expect, what);
    free(b);
}
static void bad_magic(unsigned char *b) { b[0] = 'X'; }
static void bad_version(unsigned char *b) { put_le32(b + 8, 7); }   /* a version no stage reads */
static void bad_width(unsigned char *b) { put_le32(b + 12, 2); }
static void huge_V(unsigned char *b) { put_le32(b + 16, 0x80000000u); }
static void zero_H(unsigned char *b) { put_le32(b + 20, 0); }
static void many_layers(unsigned char *b) { put_le32(b + 24, 1000); }
static void big_but_legal_H(unsigned char *b) { put_le32(b + 20, 60000); }
static void flags_set(unsigned char *b) { put_le32(b + 28, 1); }
static void vocab_out_of_order(unsigned char *b) { put_le32(b + 36, 'a'); }  /* U+20AC, 'a', ... */
static void vocab_surrogate(unsigned char *b) { put_le32(b + 40, 0xD800); }
static void vocab_beyond_unicode(unsigned char *b) { put_le32(b + 40, 0x110000); }
static void nan_parameter(unsigned char *b)
{
    if (sizeof(real) == 4) put_le32(b + 44 + 4 * 10, 0x7FC00000u);
    else { put_le32(b + 44 + 8 * 10, 0); put_le32(b + 44 + 8 * 10 + 4, 0x7FF80000u); }
}

Test(model_file, every_kind_of_bad_file_is_refused)
{
    Model m = small_model(3, 2, 1, 9);
    char why[512];
    const char *p = tmp_path("good.bin");
    cr_assert(model_save(&m, p, why, sizeof why), "%s", why);
    size_t n;
    unsigned char *good = slurp(p, &n);
    refused_with_crc(good, n, bad_magic, "not a model file", "wrong magic");
    refused_with_crc(good, n, bad_version, "version 7 is not supported", "version 7");
    refused_with_crc(good, n, bad_width, "2 bytes wide", "width 2");
    refused_with_crc(good, n, huge_V, "out of range", "V = 2^31");
    refused_with_crc(good, n, zero_H, "out of range", "H = 0");
    refused_with_crc(good, n, many_layers, "out of range", "L = 1000");
    refused_with_crc(good, n, big_but_legal_H, "sizes in its header", "H = 60000 in a small file");
    refused_with_crc(good, n, flags_set, "reserved", "reserved field set");
    refused_with_crc(good, n, vocab_out_of_order, "vocabulary entry 1", "vocabulary out of order");
    refused_with_crc(good, n, vocab_surrogate, "vocabulary entry 2 (U+D800) is a UTF-16 surrogate",
                     "surrogate in the vocabulary");
    refused_with_crc(good, n, vocab_beyond_unicode, "(U+110000) is beyond U+10FFFF",
                     "U+110000 in the vocabulary");
    refused_with_crc(good, n, vocab_out_of_order, "is not greater than the entry before it",
                     "vocabulary out of order, said so");
    refused_with_crc(good, n, nan_parameter, "parameter 10", "a NaN parameter");
    unsigned char *longer = malloc(n + 1);
    memcpy(longer, good, n);
    longer[n] = 0;
    refused(longer, n + 1, "appended", "a byte appended");
    free(longer);
    refused(good, 0, "too short", "an empty file");
    free(good);
    model_free(&m);
}

/* A double-width file whose parameter is finite but too large for a float:
   the float build says it overflows, not that it is infinite. */
Test(model_file, a_double_too_large_for_a_float_is_called_that)
{
    Model m = small_model(3, 2, 1, 9);
    Buf b = {0};
    model_put(&b, &m);                 /* in our width; rewrite it as a width-8 file */
    size_t head = 32 + 4 * 3, N = m.count;
    Buf w = {0};
    buf_bytes(&w, b.p, head);
    put_le32(w.p + 12, 8);
    real *big = malloc(N * sizeof *big);
    memcpy(big, m.params, N * sizeof *big);
    buf_reals(&w, big, N, 8);
    double huge = 1e300;
    uint64_t u;
    memcpy(&u, &huge, 8);
    put_le32(w.p + head + 8 * 7, (uint32_t)u);
    put_le32(w.p + head + 8 * 7 + 4, (uint32_t)(u >> 32));
    buf_u32(&w, crc32_update(0, w.p, w.n));
    if (sizeof(real) == 4)
        refused(w.p, w.n, "parameter 7 is 1e+300, too large for a float", "1e300 in a float build");
    else {
        const char *p = tmp_path("huge.bin");
        spit(p, w.p, w.n);
        Model k;
        char why[512];
        cr_assert(model_load(p, &k, why, sizeof why), "the double build refused 1e300: %s", why);
        model_free(&k);
    }
    free(big); buf_free(&b); buf_free(&w); model_free(&m);
}

Test(model_file, every_truncation_and_every_damaged_byte_is_refused)
{
    Model m = small_model(3, 2, 1, 11);
    char why[512];
    const char *p = tmp_path("good2.bin");
    cr_assert(model_save(&m, p, why, sizeof why), "%s", why);
    size_t n;
    unsigned char *good = slurp(p, &n);
    for (size_t len = 0; len < n; len++) {
        char what[64];
        snprintf(what, sizeof what, "truncated to %zu bytes", len);
        refused(good, len, len < 32 ? "too short" : "truncated", what);
    }
    /* One flipped bit anywhere: the checksum catches it, unless the flip
       makes the header itself wrong, which is caught (and said) first. */
    unsigned char *b = malloc(n);
    for (size_t i = 0; i < n; i++)
        for (int bit = 0; bit < 8; bit += 3) {
            memcpy(b, good, n);
            b[i] ^= (unsigned char)(1u << bit);
            char what[64];
            snprintf(what, sizeof what, "bit %d of byte %zu flipped", bit, i);
            refused(b, n, "", what);
        }
    free(b);
    free(good);
    model_free(&m);
}

Test(model_file, missing_and_directory_paths_are_refused)
{
    Model k;
    char why[512] = "";
    cr_assert_not(model_load("/nonexistent/model.bin", &k, why, sizeof why));
    cr_assert(strstr(why, "No such file"), "%s", why);
    cr_assert_not(model_load("/tmp", &k, why, sizeof why));
    cr_assert(strstr(why, "not a regular file"), "%s", why);
}

Test(model_file, a_failed_save_keeps_the_old_file)
{
    Model m = small_model(3, 2, 1, 12);
    char why[512] = "";
    cr_assert_not(model_save(&m, "/nonexistent-folder/model.bin", why, sizeof why));
    cr_assert(strstr(why, "No such file"), "%s", why);
    const char *p = tmp_path("keep.bin");
    cr_assert(model_save(&m, p, why, sizeof why), "%s", why);
    size_t n0;
    unsigned char *before = slurp(p, &n0);
    if (geteuid() != 0) {   /* root may write anywhere, so this part needs a normal user */
        char dir[128];
        snprintf(dir, sizeof dir, "%s", p);
        *strrchr(dir, '/') = 0;
        chmod(dir, 0500);
        Model other = small_model(3, 2, 1, 13);
        cr_assert_not(model_save(&other, p, why, sizeof why));
        chmod(dir, 0700);
        model_free(&other);
        size_t n1;
        unsigned char *after = slurp(p, &n1);
        cr_assert(n1 == n0 && memcmp(before, after, n0) == 0);
        free(after);
    }
    free(before);
    model_free(&m);
}
