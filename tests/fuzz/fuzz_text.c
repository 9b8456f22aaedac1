/* tests/fuzz/fuzz_text.c — the UTF-8 decoder and the corpus reader on any
 * bytes.  Properties: text that decodes encodes back to the same bytes, its
 * vocabulary is strictly increasing and holds every character, and it
 * tokenises whole; text that does not decode is refused at an offset inside
 * it, with a reason, and everything before that offset decodes; the corpus
 * reader agrees with the decoder, and its split is inside the text. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include "data.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    uint32_t *cp = malloc((n ? n : 1) * sizeof *cp);
    size_t bad = 0;
    const char *why = NULL;
    size_t k = utf8_decode(data, n, 0, cp, &bad, &why);
    if (k == (size_t)-1) {
        CHECK(bad < n, "refused at offset %zu of %zu", bad, n);
        CHECK(why && why[0], "refused without a reason");
        size_t bad2;
        const char *why2;
        CHECK(utf8_decode(data, bad, 0, cp, &bad2, &why2) != (size_t)-1,
              "the bytes before offset %zu do not decode either", bad);
    } else {
        size_t pos = 0;
        for (size_t i = 0; i < k; i++) {
            char out[4];
            int len = utf8_encode(cp[i], out);
            CHECK(pos + (size_t)len <= n && memcmp(out, data + pos, (size_t)len) == 0,
                  "character %zu does not encode back to its bytes", i);
            pos += (size_t)len;
        }
        CHECK(pos == n, "%zu characters encode to %zu bytes, not %zu", k, pos, n);
        Vocab v = vocab_of(cp, k);
        for (int j = 1; j < v.size; j++) CHECK(v.cp[j - 1] < v.cp[j], "vocabulary out of order at %d", j);
        int *tokens = malloc((k ? k : 1) * sizeof *tokens);
        size_t count = 0;
        char msg[600];
        Text t = { cp, k, 0 };
        CHECK(text_tokens(&t, &v, false, tokens, &count, msg, sizeof msg) && count == k,
              "the text does not tokenise with its own vocabulary: %s", msg);
        for (size_t i = 0; i < k; i++) CHECK(v.cp[tokens[i]] == cp[i], "token %zu is wrong", i);
        free(tokens);
        vocab_free(&v);
    }
    Corpus c;
    char msg[600] = "";
    bool loaded = corpus_load(fuzz_file(data, n), 0.1, &c, msg, sizeof msg);
    CHECK(!loaded || k != (size_t)-1, "the corpus reader accepted what the decoder refused");
    if (loaded) {
        CHECK(c.text.n == k && c.n_train <= c.text.n, "the corpus has %zu characters, %zu for training",
              c.text.n, c.n_train);
        char fit[600];
        (void)streams_fit(c.n_train, 32, 100, fit, sizeof fit);
        corpus_free(&c);
    } else {
        CHECK(msg[0] != '\0', "a corpus refused without a reason");
    }
    free(cp);
    return 0;
}
