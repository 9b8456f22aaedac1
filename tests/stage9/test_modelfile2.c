/* tests/stage9/test_modelfile2.c — version 2 of the model file (appendix B5):
 * the bytes where the appendix says, a round trip bit for bit, version 1
 * kept for every model it can hold, and every damaged file refused with a
 * reason. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "modelfile.h"

static char folder[64];
static const char *tmp_path(const char *name)
{
    if (!folder[0]) {
        strcpy(folder, "/tmp/lstm-model2-XXXXXX");
        cr_assert_not_null(mkdtemp(folder));
    }
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    return path;
}

static Model embedded_model(int V, int E, int H, int L, uint64_t seed)
{
    uint32_t cps[8] = { '\n', ' ', 'a', 'b', 0xE9, 0x20AC, 0x1F600, 0x10FFFF };
    Vocab v = { .size = V, .cp = cps + (8 - V) };
    Model m = model_new_embedded(&v, E, H, L);
    Rng rng;
    rng_seed(&rng, seed, 1);
    model_init(&m, &rng);
    mat_uniform(m.b_y, -1, 1, &rng);   /* make every tensor nonzero */
    return m;
}

static unsigned char *saved_bytes(const Model *m, size_t *n)
{
    char why[512];
    const char *p = tmp_path("m.bin");
    cr_assert(model_save(m, p, why, sizeof why), "%s", why);
    FILE *f = fopen(p, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    unsigned char *b = malloc(*n);
    cr_assert_eq(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> 8 * i);
}

/* Load bytes from a file; true if accepted (k then holds the model). */
static bool load_bytes(const unsigned char *b, size_t n, Model *k, char *why, size_t whylen)
{
    const char *p = tmp_path("try.bin");
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(b, 1, n, f), n);
    fclose(f);
    return model_load(p, k, why, whylen);
}

static void refused(const unsigned char *b, size_t n, const char *expect, const char *what)
{
    Model k;
    char why[512] = "";
    cr_assert_not(load_bytes(b, n, &k, why, sizeof why), "%s: the file was accepted", what);
    cr_assert_null(k.params, "%s: a refused load left a model behind", what);
    cr_assert(strstr(why, expect), "%s: message '%s' lacks '%s'", what, why, expect);
}

/* Change a copy with the field at offset set to v, the CRC put right. */
static void refused_field(const unsigned char *good, size_t n, size_t at, uint32_t v,
                          const char *expect, const char *what)
{
    unsigned char *b = malloc(n);
    memcpy(b, good, n);
    put_le32(b + at, v);
    put_le32(b + n - 4, crc32_update(0, b, n - 4));
    refused(b, n, expect, what);
    free(b);
}

Test(model_file_2, bytes_are_where_appendix_B5_says)
{
    int V = 3, E = 2, H = 2, L = 2;
    Model m = embedded_model(V, E, H, L, 3);
    size_t n;
    unsigned char *b = saved_bytes(&m, &n);
    size_t N = (size_t)(4 * H * (E + H + 1) + (L - 1) * 4 * H * (2 * H + 1) + V * H + V + V * E);
    cr_assert_eq(m.count, N, "the count of appendix B5's formula");
    cr_assert_eq(n, 48 + 4 * (size_t)V + sizeof(real) * N + 4);
    cr_assert(memcmp(b, "LSTMCHAR", 8) == 0);
    cr_assert_eq(le32(b + 8), 2);
    cr_assert_eq(le32(b + 12), sizeof(real));
    cr_assert_eq(le32(b + 16), (uint32_t)V);
    cr_assert_eq(le32(b + 20), (uint32_t)H);
    cr_assert_eq(le32(b + 24), (uint32_t)L);
    cr_assert_eq(le32(b + 28), (uint32_t)E);
    cr_assert_eq(le32(b + 32), 0, "tokens: characters");
    cr_assert_eq(le32(b + 36), (uint32_t)V, "C: every token a character");
    cr_assert_eq(le32(b + 40), 0, "W: no words");
    cr_assert_eq(le32(b + 44), 0, "reserved");
    cr_assert_eq(le32(b + 48), 0x20AC);
    cr_assert_eq(le32(b + 56), 0x10FFFF);
    /* the table is the last tensor, right before the checksum */
    cr_assert(memcmp(b + n - 4 - sizeof(real) * (size_t)(V * E), m.emb.data,
                     sizeof(real) * (size_t)(V * E)) == 0);
    /* and layer 1's W_ih, 4H x E, the first */
    cr_assert(memcmp(b + 48 + 4 * V, m.layer[0].W_ih.data, sizeof(real) * (size_t)(4 * H * E)) == 0);
    cr_assert_eq(le32(b + n - 4), crc32_update(0, b, n - 4));
    free(b);
    model_free(&m);
}

Test(model_file_2, round_trip_is_bit_for_bit)
{
    for (int L = 1; L <= 3; L++) {
        Model m = embedded_model(5, L + 1, 4, L, (uint64_t)L);
        size_t n;
        unsigned char *b = saved_bytes(&m, &n);
        Model k;
        char why[512];
        cr_assert(load_bytes(b, n, &k, why, sizeof why), "%s", why);
        cr_assert_eq(k.E, m.E);
        cr_assert_eq(k.count, m.count);
        cr_assert(memcmp(k.vocab.cp, m.vocab.cp, (size_t)m.V * 4) == 0);
        cr_assert(memcmp(k.params, m.params, m.count * sizeof(real)) == 0);
        cr_assert(k.emb.data == k.params + k.count - (size_t)k.V * (size_t)k.E, "the table is a view, last");
        model_free(&k);
        free(b);
        model_free(&m);
    }
}

Test(model_file_2, a_model_version_1_can_hold_is_written_as_version_1)
{
    uint32_t cps[3] = { 'a', 'b', 'c' };
    Model m = model_new(&(Vocab){ .size = 3, .cp = cps }, 2, 1);
    size_t n;
    unsigned char *b = saved_bytes(&m, &n);
    cr_assert_eq(le32(b + 8), 1);
    cr_assert_eq(n, 32 + 12 + sizeof(real) * m.count + 4);
    free(b);
    model_free(&m);
}

/* Version 1's file, rewritten as version 2 with E = 0: the same model. */
Test(model_file_2, a_version_2_file_without_a_table_is_the_one_hot_model)
{
    uint32_t cps[3] = { 'a', 'b', 'c' };
    Model m = model_new(&(Vocab){ .size = 3, .cp = cps }, 3, 2);
    Rng rng;
    rng_seed(&rng, 4, 1);
    model_init(&m, &rng);
    size_t n;
    unsigned char *v1 = saved_bytes(&m, &n);
    unsigned char *v2 = malloc(n + 16);
    memcpy(v2, v1, 32);
    put_le32(v2 + 8, 2);
    put_le32(v2 + 32, 0);                               /* characters */
    put_le32(v2 + 36, 3);                               /* C = V */
    put_le32(v2 + 40, 0);                               /* W */
    put_le32(v2 + 44, 0);
    memcpy(v2 + 48, v1 + 32, n - 32 - 4);
    put_le32(v2 + n + 12, crc32_update(0, v2, n + 12));
    Model k;
    char why[512];
    cr_assert(load_bytes(v2, n + 16, &k, why, sizeof why), "%s", why);
    cr_assert_eq(k.E, 0);
    cr_assert_eq(k.count, m.count);
    cr_assert(memcmp(k.params, m.params, m.count * sizeof(real)) == 0);
    model_free(&k);
    free(v1);
    free(v2);
    model_free(&m);
}

Test(model_file_2, every_bad_header_field_is_refused_with_its_reason)
{
    Model m = embedded_model(3, 2, 2, 1, 5);
    size_t n;
    unsigned char *good = saved_bytes(&m, &n);
    refused_field(good, n, 8, 3, "version 3 is not supported (this program reads versions 1 and 2)",
                  "version 3");
    refused_field(good, n, 8, 0, "version 0 is not supported", "version 0");
    refused_field(good, n, 28, 65537, "E = 65537 is out of range (0..65536)", "E too large");
    refused_field(good, n, 28, 60000, "the sizes in its header make", "E = 60000 in a small file");
    refused_field(good, n, 28, 0, "the sizes in its header make", "E = 0 for a file with a table");
    refused_field(good, n, 32, 2, "tokens are of kind 2", "tokens of kind 2");
    refused_field(good, n, 32, 1, "a vocabulary of words has C = 3 characters of V = 3", "words, but none");
    refused_field(good, n, 36, 2, "a vocabulary of characters has C = 2", "C below V for characters");
    refused_field(good, n, 40, 5, "W = 5, not V = 3 and 0", "W for characters");
    refused_field(good, n, 44, 9, "reserved header field (bytes 44 to 47) is 9", "reserved set");
    refused_field(good, n, 48, 0xDFFF, "is a UTF-16 surrogate", "a surrogate in the vocabulary");
    if (sizeof(real) == 4)   /* a NaN in the table, the last tensor */
        refused_field(good, n, n - 8, 0x7FC00000u, "infinite or NaN", "NaN in the table");
    else
        refused_field(good, n, n - 8, 0x7FF80000u, "infinite or NaN", "NaN in the table");
    free(good);
    model_free(&m);
}

Test(model_file_2, every_truncation_and_every_damaged_byte_is_refused)
{
    Model m = embedded_model(4, 3, 2, 2, 6);
    size_t n;
    unsigned char *good = saved_bytes(&m, &n);
    for (size_t len = 0; len < n; len++) {
        char what[64];
        snprintf(what, sizeof what, "truncated to %zu bytes", len);
        refused(good, len, len < 32 ? "too short" : len < 48 ? "ends inside its header" : "truncated", what);
    }
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
