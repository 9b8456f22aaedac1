/* tests/fuzz/fuzz_files.c — the model and checkpoint loaders on any bytes.
 * Each input is tried as it is, and with its last four bytes replaced by the
 * right CRC-32, so that the fuzzer gets past the checksum to the parsing
 * behind it.  Properties: a refusal says why; a model that loads, written
 * again, gives back the same bytes (when its numbers are as wide as ours);
 * a checkpoint that loads has a model, moments and state of the sizes its
 * settings say, and it is then used as the trainer uses it: a corpus split
 * by its validation fraction, streams cut for its B and T, a batch taken
 * from where it says it is (a crafted fraction once sent the trainer past
 * the end of its corpus).  Any crash, leak or undefined behaviour is a
 * failure. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include "checkpoint.h"
#include "fuzz.h"
#include "modelfile.h"

static void try_model(const uint8_t *data, size_t n)
{
    Reader r = { data, n, 0 };
    Model m;
    char why[600] = "";
    if (!model_get(&r, &m, why, sizeof why)) {
        CHECK(why[0] != '\0', "a model refused without a reason");
        return;
    }
    uint32_t width;
    memcpy(&width, data + 12, 4);                      /* little-endian, as we run */
    if (width == sizeof(real)) {
        Buf b = {0};
        model_put(&b, &m);
        uint32_t crc = crc32_update(0, b.p, b.n);
        buf_u32(&b, crc);
        CHECK(b.n == n && memcmp(b.p, data, n) == 0, "a loaded model does not write back the same %zu bytes", n);
        buf_free(&b);
    }
    model_free(&m);
}

static void try_checkpoint(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n);
    Run run;
    Model m;
    Optimizer o;
    State s;
    Rng rng;
    char why[600] = "";
    if (!checkpoint_load(path, &run, &m, &o, &s, &rng, why, sizeof why)) {
        CHECK(why[0] != '\0', "a checkpoint refused without a reason");
        return;
    }
    CHECK(m.H == run.hidden && m.L == run.layers && s.B == run.batch && s.L == m.L && s.H == m.H,
          "the checkpoint's parts disagree with its settings");
    /* As the trainer does: a corpus of 3000 characters split by the run's
       fraction, streams for its B and T if they fit, the batch it is at. */
    enum { N = 3000 };
    static int tokens[N];
    for (size_t i = 0; i < N; i++) tokens[i] = (int)(i % (size_t)m.V);
    size_t n_val = (size_t)((double)N * run.val_fraction), n_train = N - n_val;
    CHECK(n_val < N, "a validation fraction of %g leaves no training text", run.val_fraction);
    char fit[600];
    if (n_train >= 2 && streams_fit(n_train, (int)run.batch, (int)run.steps, fit, sizeof fit)) {
        Streams st = streams_new(tokens, n_train, (int)run.batch, (int)run.steps);
        if (run.batch_in_epoch < st.batches) {
            st.batch = run.batch_in_epoch;
            int *tok = malloc((size_t)run.batch * (size_t)run.steps * sizeof *tok);
            int *tgt = malloc((size_t)run.batch * (size_t)run.steps * sizeof *tgt);
            int T = streams_next(&st, tok, tgt);
            for (int k = 0; k < T * (int)run.batch; k++)
                CHECK(tok[k] >= 0 && tok[k] < m.V && tgt[k] >= -1 && tgt[k] < m.V, "a batch out of range");
            free(tok);
            free(tgt);
        }
        streams_free(&st);
    }
    model_free(&m);
    optim_free(&o);
    state_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    try_model(data, n);
    try_checkpoint(data, n);
    if (n >= 4 && n <= (1u << 24)) {
        uint8_t *fixed = malloc(n);
        memcpy(fixed, data, n);
        uint32_t crc = crc32_update(0, fixed, n - 4);
        for (int k = 0; k < 4; k++) fixed[n - 4 + (size_t)k] = (uint8_t)(crc >> (8 * k));
        try_model(fixed, n);
        try_checkpoint(fixed, n);
        free(fixed);
    }
    return 0;
}
