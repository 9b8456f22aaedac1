#line 799 "chapters/03-network.nw"
/* lstm-eval — the loss of a model on a text, in nats and bits per character. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "modelfile.h"
#include "net.h"
#include "prog.h"
#include "text.h"

/* ⟨the options of lstm-eval⟩ */
#line 840 "chapters/03-network.nw"
static const char *opt_model, *opt_save;
static long opt_hidden, opt_layers, opt_seed, opt_steps, opt_chars, opt_streams, opt_digits;
static bool opt_skip_unknown;
static const Option options[] = {
    { "model",   OPT_STRING, &opt_model,  NULL,  0, 0, "FILE", "the model to evaluate (a model file or a checkpoint; without it, a random one)" },
    { "digits",  OPT_INT,    &opt_digits, "4",   1, 17, "N", "decimals of the loss and the bits" },
    { "hidden",  OPT_INT,    &opt_hidden, "256", 1, MODEL_MAX_HIDDEN, "H", "hidden units per layer of a random model" },
    { "layers",  OPT_INT,    &opt_layers, "2",   1, MODEL_MAX_LAYERS, "L", "layers of a random model" },
    { "seed",    OPT_INT,    &opt_seed,   "1",   0, 4e9, "N", "seed of a random model" },
    { "save",    OPT_STRING, &opt_save,   NULL,  0, 0, "FILE", "also save the model evaluated to FILE" },
    { "steps",   OPT_INT,    &opt_steps,  "100", 1, 1e5, "T", "characters per forward pass; the result does not depend on it" },
    { "chars",   OPT_INT,    &opt_chars,  "0",   0, 1e15, "N", "read and evaluate only the first N characters; 0: all" },
    { "streams", OPT_INT,    &opt_streams, "0",  0, 4096, "B", "read the text as B streams, each from a zero state, as lstm-train validates; 0: one stream" },
    { "skip-unknown", OPT_FLAG, &opt_skip_unknown, NULL, 0, 0, NULL, "skip characters the model does not know, with a warning" },
    OPTIONS_END
};
static const Usage usage = {
    "lstm-eval [OPTIONS] TEXT",
    "Run an LSTM language model over TEXT (UTF-8, at most 256 MiB) and print its mean cross-entropy\n"
    "in nats and bits per character and how often its best guess of the next\n"
    "character is right.  Without --model, the model is a random one over the\n"
    "characters of TEXT itself, which scores about ln V.",
    options, 1, 1
};
/* ⟨get the model lstm-eval is asked for⟩ */
#line 867 "chapters/03-network.nw"
static Model get_model(const Text *text, const char *path)
{
    char why[800];
    Model m;
    if (opt_model) {
        if (!model_load(opt_model, &m, why, sizeof why)) die("%s", why);
        printf("model: %s\n", opt_model);
    } else {
        Vocab v = vocab_of(text->cp, text->n);
        vocab_note_controls(&v, path);
        m = model_new(&v, (int)opt_hidden, (int)opt_layers);
        vocab_free(&v);
        Rng rng;
        rng_seed(&rng, (uint64_t)opt_seed, 3);
        model_init(&m, &rng);
        printf("model: random, seed %ld\n", opt_seed);
    }
    printf("sizes: V = %d, H = %d, L = %d\n", m.V, m.H, m.L);
    printf("parameters: %zu\n", m.count);
    if (opt_save && !model_save(&m, opt_save, why, sizeof why)) die("%s", why);
    return m;
}
/* ⟨score a text as one stream⟩ */
#line 895 "chapters/03-network.nw"
typedef struct { double loss; long correct; const char *read_as; } Score;

/* The summed loss of tokens[from .. to] read as one stream from a zero
   state: to - from predictions, in pieces of --steps. */
static Score score_piecewise(const Model *m, const int *tokens, size_t from, size_t to)
{
    size_t T_max = (size_t)opt_steps < to - from ? (size_t)opt_steps : to - from;
    Trace tr = trace_new(m, (int)T_max, 1);
    State state = state_new(m, 1);
    Score s = { 0, 0, NULL };
    for (size_t at = from; at < to; at += T_max) {
        int T = (int)(to - at < T_max ? to - at : T_max);
        s.loss += net_forward(m, &tr, T, tokens + at, tokens + at + 1, &state, &s.correct);
    }
    trace_free(&tr);
    state_free(&state);
    return s;
}

static Score score_stream(const Model *m, const int *tokens, size_t n)
{
    Score s = score_piecewise(m, tokens, 0, n - 1);
    s.read_as = "one stream, from the start";
    return s;
}
/* ⟨score a text as B streams, as the trainer validates⟩ */
#line 929 "chapters/03-network.nw"
static Score score_streams(const Model *m, const int *tokens, size_t n, size_t B)
{
    if (B > n - 1) B = n - 1;
    Score s = { 0, 0, NULL };
    for (size_t b = 0; b < B; b++) {   /* stream b: the predictions s_b + 1 .. s_(b+1) */
        size_t from = (size_t)((uint64_t)b * (n - 1) / B), to = (size_t)((uint64_t)(b + 1) * (n - 1) / B);
        if (to == from) continue;
        Score one = score_piecewise(m, tokens, from, to);
        s.loss += one.loss;
        s.correct += one.correct;
    }
    static char read_as[80];
    snprintf(read_as, sizeof read_as, "%zu streams, each from a zero state (as lstm-train validates)", B);
    s.read_as = read_as;
    return s;
}
/* ⟨report the loss⟩ */
#line 948 "chapters/03-network.nw"
static void report(const Model *m, Score s, size_t n)
{
    double N = (double)(n - 1);
    printf("characters: %zu (predictions: %zu)\n", n, n - 1);
    printf("read as: %s\n", s.read_as);
    printf("loss: %.*f nats/char\n", (int)opt_digits, s.loss / N);
    printf("bits: %.*f bits/char\n", (int)opt_digits, s.loss / N / log(2.0));
    printf("accuracy: %.2f%%\n", 100.0 * (double)s.correct / N);
    printf("uniform: %.4f nats/char (ln V: a model that knows nothing)\n", log((double)m->V));
}

int main(int argc, char **argv)
{
    prog_name = "lstm-eval";
    parse_options(argc, argv, &usage);
    char why[800];
    Text text;
    if (!text_read(argv[1], (size_t)opt_chars, &text, why, sizeof why)) die("%s", why);
    Model m = get_model(&text, argv[1]);
    int *tokens = xalloc(text.n, sizeof *tokens);
    size_t n;
    if (!text_tokens(&text, &m.vocab, opt_skip_unknown, tokens, &n, why, sizeof why))
        die("%s: %s", argv[1], why);
    if (n < 2) die("%s: %zu character%s too few to predict anything (2 at least)", argv[1], n,
                   n == 1 ? " is" : "s are");
    Score score = opt_streams > 0 ? score_streams(&m, tokens, n, (size_t)opt_streams)
                                  : score_stream(&m, tokens, n);
    report(&m, score, n);
    free(tokens);
    model_free(&m);
    text_free(&text);
    return finish();
}
