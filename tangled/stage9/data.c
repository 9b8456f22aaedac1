#line 562 "chapters/C3-trainer.nw"
/* data.c — the corpus, its split, and the streams batches are cut from. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "binio.h"
#include "data.h"

/* ⟨read and split the corpus⟩ */
#line 43 "chapters/05-train.nw"
bool corpus_load(const char *path, double val_fraction, Corpus *c, char *why, size_t whylen)
{
    *c = (Corpus){0};
    if (!text_read(path, 0, &c->text, why, whylen)) return false;
    c->vocab = vocab_of(c->text.cp, c->text.n);
    vocab_note_controls(&c->vocab, path);
    c->tokens = xalloc(c->text.n, sizeof *c->tokens);
    size_t n;
    if (!text_tokens(&c->text, &c->vocab, false, c->tokens, &n, why, whylen)) {
        corpus_free(c);
        return false;
    }
    size_t n_val = (size_t)((double)c->text.n * val_fraction);
    c->n_train = c->text.n - n_val;
    if (c->n_train < 2 || (val_fraction > 0 && n_val < 2)) {
        snprintf(why, whylen, "%s has %zu character%s: too few to split into training and "
                 "validation parts of 2 characters at least (--val-fraction %g holds out %zu)",
                 path, c->text.n, c->text.n == 1 ? "" : "s", val_fraction, n_val);
        corpus_free(c);
        return false;
    }
    c->n = c->text.n;
    c->crc = crc32_update(0, c->tokens, c->n * sizeof *c->tokens);
    return true;
}

void corpus_free(Corpus *c)
{
    text_free(&c->text);
    vocab_free(&c->vocab);
    free(c->tokens);
    *c = (Corpus){0};
}
/* ⟨cut a text into B streams, and batches from them⟩ */
#line 136 "chapters/05-train.nw"
Streams streams_new(const int *data, size_t n, int B, int T)
{
    if (B < 1 || T < 1 || n < 2) bug("streams_new: B = %d, T = %d, n = %zu", B, T, n);
    Streams s = { .B = B, .T = T, .data = data };
    s.start = xalloc((size_t)B + 1, sizeof *s.start);
    for (int b = 0; b <= B; b++)
        s.start[b] = (size_t)((uint64_t)b * (uint64_t)(n - 1) / (uint64_t)B);  /* < 2^52 */
    for (int b = 0; b < B; b++)
        if (s.start[b + 1] - s.start[b] > s.longest) s.longest = s.start[b + 1] - s.start[b];
    s.batches = (long)((s.longest + (size_t)T - 1) / (size_t)T);
    return s;
}

void streams_free(Streams *s)
{
    free(s->start);
    *s = (Streams){0};
}

/* The next batch: tokens and targets, T' x B each (time-major, as chapter 3
   wants), where T' <= T is returned.  When it returns, s->batch == 1 means
   this batch began an epoch. */
int streams_next(Streams *s, int *tokens, int *targets)
{
    if (s->batch == s->batches) s->batch = 0;                 /* a new epoch */
    size_t at = (size_t)s->batch * (size_t)s->T;
    int T = (int)(s->longest - at < (size_t)s->T ? s->longest - at : (size_t)s->T);
    for (int t = 0; t < T; t++)
        for (int b = 0; b < s->B; b++) {
            size_t k = s->start[b] + at + (size_t)t;          /* this stream's input */
            bool ended = k >= s->start[b + 1];
            tokens[t * s->B + b] = ended ? 0 : s->data[k];
            targets[t * s->B + b] = ended ? -1 : s->data[k + 1];
        }
    s->batch++;
    return T;
}
/* ⟨say whether the training text is long enough for B and T⟩ */
#line 181 "chapters/05-train.nw"
bool streams_fit(size_t n, int B, int T, char *why, size_t whylen)
{
    if (n >= 2 && (n - 1) / (size_t)B >= (size_t)T) return true;
    size_t p = n > 0 ? n - 1 : 0;
    snprintf(why, whylen, "the training text has %zu characters, too few for --batch %d "
             "streams of --steps %d characters (it needs %zu); with --steps %d, --batch "
             "can be at most %zu; with --batch %d, --steps can be at most %zu",
             n, B, T, (size_t)B * (size_t)T + 1, T, p / (size_t)T, B, p / (size_t)B);
    return false;
}
/* ⟨measure the loss on a text⟩ */
#line 199 "chapters/05-train.nw"
double evaluate(const Model *m, const int *data, size_t n, int B, int T, double *accuracy)
{
    if ((size_t)B > n - 1) B = (int)(n - 1);
    Streams s = streams_new(data, n, B, T);
    Trace tr = trace_new(m, T, B);
    State state = state_new(m, B);
    int *tokens = xalloc((size_t)T * (size_t)B, sizeof *tokens);
    int *targets = xalloc((size_t)T * (size_t)B, sizeof *targets);
    double loss = 0;
    long correct = 0;
    for (long k = 0; k < s.batches; k++) {
        int steps = streams_next(&s, tokens, targets);
        loss += net_forward(m, &tr, steps, tokens, targets, &state, &correct);
    }
    double predictions = (double)(n - 1);
    if (accuracy) *accuracy = (double)correct / predictions;
    free(tokens); free(targets);
    state_free(&state);
    trace_free(&tr);
    streams_free(&s);
    return loss / predictions;
}
/* ⟨data.c functions⟩ */
/* ⟨data.c functions⟩, continued in 09-words.nw */
#line 805 "chapters/09-words.nw"
bool corpus_words(Corpus *c, int max_words, const Vocab *given, char *why, size_t whylen)
{
    size_t split = c->n_train, a, b;                  /* in characters, as corpus_load cut it */
    Vocab v = given ? vocab_copy(given) : words_vocab(c->text.cp, c->text.n, split, max_words);
    Text train = { c->text.cp, split, c->text.byte0 }, val = { c->text.cp + split, c->text.n - split, 0 };
    if (!text_tokens(&train, &v, false, c->tokens, &a, why, whylen)
        || !text_tokens(&val, &v, false, c->tokens + a, &b, why, whylen)) {
        vocab_free(&v);
        return false;
    }
    if (b < 2) {
        snprintf(why, whylen, "the validation part is %zu token%s in words: too few (2 at least)",
                 b, b == 1 ? "" : "s");
        vocab_free(&v);
        return false;
    }
    vocab_free(&c->vocab);
    c->vocab = v;
    c->n = a + b;
    c->n_train = a;
    c->crc = crc32_update(0, c->tokens, c->n * sizeof *c->tokens);
    return true;
}
