#line 649 "chapters/03-network.nw"
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
#line 678 "chapters/03-network.nw"
static const char *opt_model, *opt_save;
static long opt_hidden, opt_layers, opt_seed, opt_steps, opt_chars;
static bool opt_skip_unknown;
static const Option options[] = {
    { "model",   OPT_STRING, &opt_model,  NULL,  0, 0, "FILE", "the model to evaluate (a model file or a checkpoint; without it, a random one)" },
    { "hidden",  OPT_INT,    &opt_hidden, "256", 1, MODEL_MAX_HIDDEN, "H", "hidden units per layer of a random model" },
    { "layers",  OPT_INT,    &opt_layers, "2",   1, MODEL_MAX_LAYERS, "L", "layers of a random model" },
    { "seed",    OPT_INT,    &opt_seed,   "1",   0, 4e9, "N", "seed of a random model" },
    { "save",    OPT_STRING, &opt_save,   NULL,  0, 0, "FILE", "also save the model evaluated to FILE" },
    { "steps",   OPT_INT,    &opt_steps,  "100", 1, 1e5, "T", "characters per forward pass; the result does not depend on it" },
    { "chars",   OPT_INT,    &opt_chars,  "0",   0, 1e15, "N", "evaluate only the first N characters; 0: all" },
    { "skip-unknown", OPT_FLAG, &opt_skip_unknown, NULL, 0, 0, NULL, "skip characters the model does not know, with a warning" },
    OPTIONS_END
};
static const Usage usage = {
    "lstm-eval [OPTIONS] TEXT",
    "Run an LSTM language model over TEXT (UTF-8) and print its mean cross-entropy\n"
    "in nats and bits per character and how often its best guess of the next\n"
    "character is right.  Without --model, the model is a random one over the\n"
    "characters of TEXT itself, which scores about ln V.",
    options, 1, 1
};
/* ⟨get the model lstm-eval is asked for⟩ */
#line 703 "chapters/03-network.nw"
static Model get_model(const Text *text)
{
    char why[512];
    Model m;
    if (opt_model) {
        if (!model_load(opt_model, &m, why, sizeof why)) die("%s", why);
        printf("model: %s\n", opt_model);
    } else {
        Vocab v = vocab_of(text->cp, text->n);
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

int main(int argc, char **argv)
{
    prog_name = "lstm-eval";
    parse_options(argc, argv, &usage);
    char why[512];
    Text text;
    if (!text_read(argv[1], &text, why, sizeof why)) die("%s", why);
    Model m = get_model(&text);
    /* ⟨turn the text into tokens and evaluate the model on them⟩ */
    #line 730 "chapters/03-network.nw"
    int *tokens = xalloc(text.n, sizeof *tokens);
    size_t n;
    if (!text_tokens(&text, &m.vocab, opt_skip_unknown, tokens, &n, why, sizeof why))
        die("%s: %s", argv[1], why);
    if (opt_chars > 0 && (size_t)opt_chars < n) n = (size_t)opt_chars;
    if (n < 2) die("%s: %zu characters are too few to predict anything (2 at least)", argv[1], n);
    if ((size_t)opt_steps > n - 1) opt_steps = (long)(n - 1);   /* no room for steps never taken */
    Trace tr = trace_new(&m, (int)opt_steps, 1);
    State state = state_new(&m, 1);
    double loss = 0, t0 = seconds_now();
    long correct = 0;
    for (size_t at = 0; at + 1 < n; at += (size_t)opt_steps) {
        int T = (int)(n - 1 - at < (size_t)opt_steps ? n - 1 - at : (size_t)opt_steps);
        loss += net_forward(&m, &tr, T, tokens + at, tokens + at + 1, &state, &correct);
    }
    double N = (double)(n - 1), secs = seconds_now() - t0;
    printf("characters: %zu (predictions: %zu)\n", n, n - 1);
    printf("loss: %.4f nats/char\n", loss / N);
    printf("bits: %.4f bits/char\n", loss / N / log(2.0));
    printf("accuracy: %.2f%%\n", 100.0 * (double)correct / N);
    printf("uniform: %.4f nats/char (ln V: a model that knows nothing)\n", log((double)m.V));
    fprintf(stderr, "%s: %.0f characters/s\n", prog_name, N / (secs > 0 ? secs : 1e-9));
    trace_free(&tr);
    state_free(&state);
    free(tokens);
    #line 671 "chapters/03-network.nw"
    model_free(&m);
    text_free(&text);
    return finish();
}
