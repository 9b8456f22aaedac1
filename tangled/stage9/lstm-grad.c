#line 707 "chapters/04-backprop.nw"
/* lstm-grad — the gradient of the mean loss of a model on a text, written
   as a model file, and checked against five-point differences. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "gradcheck.h"
#include "modelfile.h"
#include "prog.h"

/* ⟨the options of lstm-grad⟩ */
#line 757 "chapters/04-backprop.nw"
static const char *opt_model, *opt_out;
static long opt_hidden, opt_layers, opt_seed, opt_chars, opt_samples, opt_digits;
static bool opt_skip_unknown, opt_no_check;
/* ⟨the variables of the options later chapters give a random model⟩ */
/* ⟨the variables of the options later chapters give a random model⟩, continued in 09-words.nw */
#line 351 "chapters/09-words.nw"
static long opt_embed;
#line 761 "chapters/04-backprop.nw"
static const Option options[] = {
    { "digits",  OPT_INT,    &opt_digits, "6",  1, 17, "N", "decimals of the loss" },
    { "model",   OPT_STRING, &opt_model,  NULL, 0, 0, "FILE", "the model (a model file or a checkpoint; without it, a random one over TEXT's characters)" },
    { "hidden",  OPT_INT,    &opt_hidden, "32", 1, MODEL_MAX_HIDDEN, "H", "hidden units per layer of a random model" },
    { "layers",  OPT_INT,    &opt_layers, "2",  1, MODEL_MAX_LAYERS, "L", "layers of a random model" },
    { "seed",    OPT_INT,    &opt_seed,   "1",  0, 4e9, "N", "seed of the random model and of the samples checked" },
    { "chars",   OPT_INT,    &opt_chars,  "50", 2, 1e5, "N", "use the first N characters of TEXT as one sequence" },
    { "out",     OPT_STRING, &opt_out,    NULL, 0, 0, "FILE", "write the gradient to FILE, in the model-file format" },
    { "samples", OPT_INT,    &opt_samples, "40", 0, 1e9, "K", "check K random elements per tensor; 0: all" },
    { "no-check", OPT_FLAG,  &opt_no_check, NULL, 0, 0, NULL, "do not run the gradient check" },
    { "skip-unknown", OPT_FLAG, &opt_skip_unknown, NULL, 0, 0, NULL, "skip characters the model does not know" },
    /* ⟨the options later chapters give a random model⟩ */
    /* ⟨the options later chapters give a random model⟩, continued in 09-words.nw */
    #line 354 "chapters/09-words.nw"
    { "embed", OPT_INT, &opt_embed, "0", 0, MODEL_MAX_EMBED, "E",
      "a random model with an embedding of E numbers per token (0: one-hot input)" },
    #line 773 "chapters/04-backprop.nw"
    OPTIONS_END
};
static const Usage usage = {
    "lstm-grad [OPTIONS] TEXT",
    "Compute the gradient of a model's mean loss on the first characters of TEXT\n"
    "(backpropagation through time), optionally write it to a file in the\n"
    "model-file format, and check it against five-point differences of the loss,\n"
    "printing the worst relative error of each tensor.  The check is only tight\n"
    "in the double build (real = double).",
    options, 1, 1
};

/* The model asked for: --model's, or a random one over the text's characters. */
static Model get_model(const Text *text, const char *path)
{
    char why[512];
    Model m;
    if (opt_model) {
        if (!model_load(opt_model, &m, why, sizeof why)) die("%s", why);
        return m;
    }
    Vocab v = vocab_of(text->cp, text->n);
    vocab_note_controls(&v, path);
    m = model_new(&v, (int)opt_hidden, (int)opt_layers);
    /* ⟨give the random model m the kind the options of later chapters ask for⟩ */
    /* ⟨give the random model m the kind the options of later chapters ask for⟩, continued in 09-words.nw */
    #line 358 "chapters/09-words.nw"
    if (opt_embed > 0) {
        model_free(&m);
        m = model_new_embedded(&v, (int)opt_embed, (int)opt_hidden, (int)opt_layers);
    }
    #line 732 "chapters/04-backprop.nw"
    vocab_free(&v);
    Rng init;
    rng_seed(&init, (uint64_t)opt_seed, 3);
    model_init(&m, &init);
    return m;
}

int main(int argc, char **argv)
{
    prog_name = "lstm-grad";
    parse_options(argc, argv, &usage);
    char why[512];
    Text text;
    if (!text_read(argv[1], (size_t)opt_chars, &text, why, sizeof why)) die("%s", why);
    Model m = get_model(&text, argv[1]);
    /* ⟨compute the gradient of the mean loss on the first characters⟩ */
    #line 790 "chapters/04-backprop.nw"
    int *tokens = xalloc(text.n, sizeof *tokens);
    size_t n;
    if (!text_tokens(&text, &m.vocab, opt_skip_unknown, tokens, &n, why, sizeof why))
        die("%s: %s", argv[1], why);
    if ((size_t)opt_chars < n) n = (size_t)opt_chars;
    if (n < 2) die("%s: %zu character%s too few (2 at least)", argv[1], n, n == 1 ? " is" : "s are");
    int T = (int)n - 1;
    real scale = (real)1 / (real)T;
    Trace tr = trace_new(&m, T, 1);
    State state = state_new(&m, 1), init = state_new(&m, 1);
    Backprop bp = backprop_new(&m, T, 1);
    Model grad = model_like(&m);
    double loss = scale * net_forward(&m, &tr, T, tokens, tokens + 1, &state, NULL);
    net_backward(&m, &tr, T, tokens, tokens + 1, scale, &grad, &bp, NULL, NULL);
    double norm = 0;
    for (size_t i = 0; i < grad.count; i++) norm += (double)grad.params[i] * (double)grad.params[i];
    printf("real: %s\n", REAL_NAME);
    printf("model: V = %d, H = %d, L = %d, %zu parameters\n", m.V, m.H, m.L, m.count);
    /* ⟨print the sizes later chapters add to a model⟩ */
    /* ⟨print the sizes later chapters add to a model⟩, continued in 09-words.nw */
    #line 364 "chapters/09-words.nw"
    if (m.E > 0) printf("embedding: E = %d numbers per token\n", m.E);
    #line 809 "chapters/04-backprop.nw"
    printf("sequence: %d steps\n", T);
    printf("loss: %.*f nats/char\n", (int)opt_digits, loss);
    printf("gradient norm: %.6g\n", sqrt(norm));
    if (opt_out) {
        if (!model_save(&grad, opt_out, why, sizeof why)) die("%s", why);
        printf("gradient written to %s\n", opt_out);
    }
    trace_free(&tr);
    backprop_free(&bp);
    state_free(&state);
    /* ⟨check the gradient, tensor by tensor⟩ */
    #line 822 "chapters/04-backprop.nw"
    if (!opt_no_check) {
        double eps = sizeof(real) == sizeof(double) ? 1e-3 : 3e-2;
        Rng rng;
        rng_seed(&rng, (uint64_t)opt_seed, 4);
        TensorCheck *res = xalloc((size_t)model_tensor_count(&m), sizeof *res);
        grad_check(&m, &grad, T, 1, tokens, tokens + 1, &init, scale, eps, (int)opt_samples, &rng, res);
        printf("\ngradient check: five-point differences, epsilon %g, %s\n", eps,
               opt_samples ? "random elements of each tensor" : "every element");
        printf("%-14s %8s %12s %14s %14s\n", "tensor", "checked", "worst error", "backprop", "numeric");
        double worst = 0;
        for (int k = 0; k < model_tensor_count(&m); k++) {
            printf("%-14s %8zu %12.2e %14.6e %14.6e\n", res[k].name, res[k].checked, res[k].worst,
                   res[k].analytic, res[k].numeric);
            worst = fmax(worst, res[k].worst);
        }
        printf("\nworst: %.2e\n", worst);
        if (sizeof(real) != sizeof(double))
            printf("(a float build: errors near 1e-2 are expected; build with -DLSTM_DOUBLE to check)\n");
        else if (worst > GRADCHECK_BOUND) {
            free(res);
            die("the gradient check failed: worst relative error %.2e > %.0e", worst, GRADCHECK_BOUND);
        }
        free(res);
    }
    state_free(&init);
    free(tokens);
    #line 749 "chapters/04-backprop.nw"
    model_free(&grad);
    model_free(&m);
    text_free(&text);
    return finish();
}
