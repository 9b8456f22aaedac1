#line 263 "chapters/06-sample.nw"
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
#line 321 "chapters/06-sample.nw"
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
#line 365 "chapters/06-sample.nw"
static Model load_model(const char *path)
{
    char why[800];
    Model m;
    if (!model_load(path, &m, why, sizeof why)) die("%s", why);
    return m;
}
/* ⟨check the sampling options⟩ */
#line 348 "chapters/06-sample.nw"
static SampleRule sampling_rule(void)
{
    if (opt_prime && opt_prime_file) usage_error("give --prime or --prime-file, not both");
    if (opt_greedy && (option_given(options, "temperature") || option_given(options, "top-k")
                       || option_given(options, "top-p")))
        usage_error("--greedy always takes the likeliest character, so --temperature, --top-k "
                    "and --top-p would change nothing: give one or the others");
    return (SampleRule){ .temperature = opt_temperature, .top_k = (int)opt_top_k,
                         .top_p = opt_top_p, .greedy = opt_greedy };
}
/* ⟨turn the prompt into tokens⟩ */
#line 388 "chapters/06-sample.nw"
typedef struct {
    int *tokens;          /* n of them; n = 0: start from the zero state */
    size_t n;
    unsigned char *bytes; /* what is echoed before the sample */
    size_t len;
} Prompt;

static void prompt_free(Prompt *p)
{
    free(p->tokens);
    free(p->bytes);
    *p = (Prompt){0};
}

/* The prompt the options give, as code points; false if none was given. */
static bool prompt_text(Text *text)
{
    char why[800];
    *text = (Text){0};
    if (opt_prime_file) {
        if (!text_read(opt_prime_file, 0, text, why, sizeof why)) die("--prime-file: %s", why);
        return true;
    }
    if (!opt_prime) return false;
    size_t len = strlen(opt_prime), bad;
    const char *what;
    if (len == 0) usage_error("--prime is empty; leave it out to start from a newline");
    text->cp = xalloc(len, sizeof *text->cp);
    text->n = utf8_decode((const unsigned char *)opt_prime, len, 0, text->cp, &bad, &what);
    if (text->n == (size_t)-1) usage_error("--prime is not valid UTF-8: %s at byte %zu", what, bad);
    return true;
}

static Prompt read_prompt(const Model *m)
{
    char why[800];
    Text text;
    Prompt p = {0};
    if (!prompt_text(&text)) {             /* none given: a newline, if the model knows one */
        int nl = vocab_find(&m->vocab, '\n');
        p.tokens = xalloc(1, sizeof *p.tokens);
        p.tokens[0] = nl;
        p.n = nl >= 0;                     /* not echoed: len stays 0 */
        p.bytes = xalloc(1, 1);
        return p;
    }
    p.tokens = xalloc(text.n, sizeof *p.tokens);
    if (!text_tokens(&text, &m->vocab, opt_skip_unknown, p.tokens, &p.n, why, sizeof why))
        die("the prompt: %s", why);
    if (p.n == 0) die("none of the prompt's characters is in the model's vocabulary");
    p.bytes = xalloc(TOKEN_BYTES_MAX * p.n, 1);
    for (size_t i = 0; i < p.n; i++)
        p.len += (size_t)token_utf8(&m->vocab, p.tokens[i], (char *)p.bytes + p.len);
    text_free(&text);
    return p;
}
/* ⟨write one sample⟩ */
#line 304 "chapters/06-sample.nw"
static void write_sample(const Model *m, const Prompt *p, const SampleRule *rule, Rng *rng)
{
    bool tty = isatty(fileno(stdout));
    fwrite(p->bytes, 1, p->len, stdout);
    Sampler s = sampler_new(m);
    sampler_prime(&s, p->tokens, p->n);
    for (long i = 0; i < opt_chars; i++) {
        char bytes[TOKEN_BYTES_MAX];
        int t = sampler_next(&s, rule, rng);
        fwrite(bytes, 1, (size_t)token_utf8(&m->vocab, t, bytes), stdout);
        if (tty) fflush(stdout);
    }
    sampler_free(&s);
}

int main(int argc, char **argv)
{
    prog_name = "lstm-sample";
    parse_options(argc, argv, &usage);
    SampleRule rule = sampling_rule();
    Model m = load_model(argv[1]);
    Prompt prompt = read_prompt(&m);
    Rng rng;
    rng_seed(&rng, (uint64_t)opt_seed, 6);
    for (long k = 0; k < opt_samples; k++) {
        if (opt_samples > 1) printf("%s--- sample %ld ---\n", k ? "\n" : "", k + 1);
        write_sample(&m, &prompt, &rule, &rng);
    }
    printf("\n");
    prompt_free(&prompt);
    model_free(&m);
    return finish();
}
