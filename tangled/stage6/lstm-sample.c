#line 242 "chapters/06-sample.nw"
/* lstm-sample — write text with a trained model. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "modelfile.h"
#include "prog.h"
#include "sample.h"

/* ⟨the options of lstm-sample⟩ */
#line 288 "chapters/06-sample.nw"
static const char *opt_prime, *opt_prime_file;
static long opt_chars, opt_seed, opt_top_k, opt_samples;
static double opt_temperature, opt_top_p;
static bool opt_greedy, opt_skip_unknown;
static const Option options[] = {
    { "chars",       OPT_INT,    &opt_chars,       "500", 0, 1e9, "N", "characters to write after the prompt" },
    { "prime",       OPT_STRING, &opt_prime,       NULL, 0, 0, "TEXT", "the prompt (without it, a newline if the model knows one, else nothing)" },
    { "prime-file",  OPT_STRING, &opt_prime_file,  NULL, 0, 0, "FILE", "read the prompt from FILE (UTF-8)" },
    { "temperature", OPT_REAL,   &opt_temperature, "1",   1e-3, 100, "TAU", "below 1 safer, above 1 wilder" },
    { "top-k",       OPT_INT,    &opt_top_k,       "0",   0, 1e7, "K", "draw only from the K likeliest characters; 0: all" },
    { "top-p",       OPT_REAL,   &opt_top_p,       "1",   1e-6, 1, "P", "draw only from the likeliest characters adding up to P; 1: all" },
    { "greedy",      OPT_FLAG,   &opt_greedy,      NULL, 0, 0, NULL, "always the likeliest character (not with --temperature, --top-k, --top-p)" },
    { "seed",        OPT_INT,    &opt_seed,        "1",   0, 4e9, "N", "seed of the random draws" },
    { "samples",     OPT_INT,    &opt_samples,     "1",   1, 1000, "N", "write N samples, each from the prompt" },
    { "skip-unknown", OPT_FLAG,  &opt_skip_unknown, NULL, 0, 0, NULL, "leave out prompt characters the model does not know" },
    OPTIONS_END
};
static const Usage usage = {
    "lstm-sample [OPTIONS] MODEL",
    "Write text with a trained model (a model file, or a checkpoint of lstm-train):\n"
    "prime it with a prompt, then draw one character at a time and write it out.\n"
    "The same options and seed give the same text.",
    options, 1, 1
};
/* ⟨load the model⟩ */
#line 325 "chapters/06-sample.nw"
static Model load_model(const char *path)
{
    char why[800];
    Model m;
    if (!model_load(path, &m, why, sizeof why)) die("%s", why);
    return m;
}

int main(int argc, char **argv)
{
    prog_name = "lstm-sample";
    parse_options(argc, argv, &usage);
    /* ⟨check the sampling options⟩ */
    #line 315 "chapters/06-sample.nw"
    if (opt_prime && opt_prime_file) usage_error("give --prime or --prime-file, not both");
    SampleRule rule = { .temperature = opt_temperature, .top_k = (int)opt_top_k,
                        .top_p = opt_top_p, .greedy = opt_greedy };
    #line 261 "chapters/06-sample.nw"
    Model m = load_model(argv[1]);
    /* ⟨turn the prompt into tokens⟩ */
    #line 342 "chapters/06-sample.nw"
    char why[600];
    Text text = {0};
    unsigned char *prompt_bytes;
    size_t prompt_len;
    if (opt_prime_file) {
        if (!text_read(opt_prime_file, &text, why, sizeof why)) die("--prime-file: %s", why);
    } else {
        const char *p = opt_prime ? opt_prime : "\n";
        size_t len = strlen(p), bad;
        const char *what;
        if (len == 0) usage_error("--prime is empty; leave it out to start from a newline");
        text.cp = xalloc(len, sizeof *text.cp);
        text.n = utf8_decode((const unsigned char *)p, len, text.cp, &bad, &what);
        if (text.n == (size_t)-1) usage_error("--prime is not valid UTF-8: %s at byte %zu", what, bad);
    }
    int *prompt = xalloc(text.n, sizeof *prompt);
    size_t n_prompt;
    if (!text_tokens(&text, &m.vocab, opt_skip_unknown, prompt, &n_prompt, why, sizeof why))
        die("the prompt: %s", why);
    if (n_prompt == 0) die("none of the prompt's characters is in the model's vocabulary");
    prompt_bytes = xalloc(4 * n_prompt, 1);
    prompt_len = 0;
    for (size_t i = 0; i < n_prompt; i++)
        prompt_len += (size_t)utf8_encode(m.vocab.cp[prompt[i]], (char *)prompt_bytes + prompt_len);
    if (!opt_prime && !opt_prime_file) prompt_len = 0;   /* the default newline is not echoed */
    text_free(&text);
    #line 263 "chapters/06-sample.nw"
    Rng rng;
    rng_seed(&rng, (uint64_t)opt_seed, 6);
    bool tty = isatty(fileno(stdout));
    for (long k = 0; k < opt_samples; k++) {
        if (opt_samples > 1) printf("%s--- sample %ld ---\n", k ? "\n" : "", k + 1);
        fwrite(prompt_bytes, 1, prompt_len, stdout);
        Sampler s = sampler_new(&m);
        sampler_prime(&s, prompt, n_prompt);
        for (long i = 0; i < opt_chars; i++) {
            char bytes[4];
            int t = sampler_next(&s, &rule, &rng);
            fwrite(bytes, 1, (size_t)utf8_encode(m.vocab.cp[t], bytes), stdout);
            if (tty) fflush(stdout);
        }
        sampler_free(&s);
    }
    printf("\n");
    free(prompt);
    free(prompt_bytes);
    model_free(&m);
    return finish();
}
