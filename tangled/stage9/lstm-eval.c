#line 810 "chapters/03-network.nw"
/* lstm-eval — the loss of a model on a text, in nats and bits per character. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "modelfile.h"
#include "net.h"
#include "prog.h"
#include "text.h"

/* ⟨the options of lstm-eval⟩ */
#line 855 "chapters/03-network.nw"
static const char *opt_model, *opt_save;
static long opt_hidden, opt_layers, opt_seed, opt_steps, opt_chars, opt_streams, opt_digits;
static bool opt_skip_unknown, opt_per_char;
/* ⟨the variables of the options later chapters give a random model⟩ */
/* ⟨the variables of the options later chapters give a random model⟩, continued in 09-words.nw */
#line 351 "chapters/09-words.nw"
static long opt_embed;
#line 859 "chapters/03-network.nw"
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
    { "per-char", OPT_FLAG, &opt_per_char, NULL, 0, 0, NULL, "also the mean loss of each class of character and of each character predicted, the largest first" },
    /* ⟨the options later chapters give a random model⟩ */
    /* ⟨the options later chapters give a random model⟩, continued in 09-words.nw */
    #line 354 "chapters/09-words.nw"
    { "embed", OPT_INT, &opt_embed, "0", 0, MODEL_MAX_EMBED, "E",
      "a random model with an embedding of E numbers per token (0: one-hot input)" },
    #line 872 "chapters/03-network.nw"
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
#line 885 "chapters/03-network.nw"
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
        /* ⟨give the random model m the kind the options of later chapters ask for⟩ */
        /* ⟨give the random model m the kind the options of later chapters ask for⟩, continued in 09-words.nw */
        #line 358 "chapters/09-words.nw"
        if (opt_embed > 0) {
            model_free(&m);
            m = model_new_embedded(&v, (int)opt_embed, (int)opt_hidden, (int)opt_layers);
        }
        #line 897 "chapters/03-network.nw"
        vocab_free(&v);
        Rng rng;
        rng_seed(&rng, (uint64_t)opt_seed, 3);
        model_init(&m, &rng);
        printf("model: random, seed %ld\n", opt_seed);
    }
    printf("sizes: V = %d, H = %d, L = %d\n", m.V, m.H, m.L);
    /* ⟨print the sizes later chapters add to a model⟩ */
    /* ⟨print the sizes later chapters add to a model⟩, continued in 09-words.nw */
    #line 364 "chapters/09-words.nw"
    if (m.E > 0) printf("embedding: E = %d numbers per token\n", m.E);
    #line 905 "chapters/03-network.nw"
    printf("parameters: %zu\n", m.count);
    if (opt_save && !model_save(&m, opt_save, why, sizeof why)) die("%s", why);
    return m;
}
/* ⟨add up the loss of each character and class of character⟩ */
#line 16 "chapters/B4-per-char.nw"
enum { NEWLINE, SPACE, CAPITAL_AFTER_NEWLINE, LETTER, PUNCTUATION, OTHER, CLASSES };
static const char *const class_name[CLASSES] = { "newline", "space", "capital after a newline",
                                                 "letter", "punctuation", "other" };
static double *char_loss, class_loss[CLASSES];   /* --per-char: summed losses */
static long *char_count, class_count[CLASSES];   /* and numbers of predictions */
/* ⟨the tallies later chapters add⟩ */
/* ⟨the tallies later chapters add⟩, continued in 09-words.nw */
#line 913 "chapters/09-words.nw"
enum { WHOLE_WORD, SPELLED, OTHER_CHAR, KINDS };
static const char *const kind_name[KINDS] = { "a word of the vocabulary", "a letter spelled out",
                                              "another character" };
static double kind_loss[KINDS];
static long kind_count[KINDS];

/* The class of character c predicted after the character prev (ASCII). */
static int char_class(uint32_t prev, uint32_t c)
{
    if (c == '\n') return NEWLINE;
    if (c == ' ') return SPACE;
    if (c >= 'A' && c <= 'Z') return prev == '\n' ? CAPITAL_AFTER_NEWLINE : LETTER;
    if (c >= 'a' && c <= 'z') return LETTER;
    if (c < 128 && ispunct((int)c)) return PUNCTUATION;
    return OTHER;
}

/* Add the T predictions of a piece read from tokens[0]: tokens[t + 1]
   predicted with log-probability logp[t][tokens[t + 1]]. */
static void add_per_char(const Model *m, const Trace *tr, const int *tokens, int T)
{
    if (!char_loss) {
        char_loss = xalloc((size_t)m->V, sizeof *char_loss);
        char_count = xalloc((size_t)m->V, sizeof *char_count);
    }
    /* ⟨add the losses of a later chapter's tokens character by character, and return⟩ */
    /* ⟨add the losses of a later chapter's tokens character by character, and return⟩, continued in 09-words.nw */
    #line 888 "chapters/09-words.nw"
    if (m->vocab.words > 0) {
        for (int t = 0; t < T; t++) {
            int y = tokens[t + 1], len, before;
            const uint32_t *s = token_cp(&m->vocab, y, &len), *p = token_cp(&m->vocab, tokens[t], &before);
            double loss = -(double)MAT(tr->logp, t, y) / len;
            int kind = len > 1 ? WHOLE_WORD : s[0] < 128 && isalpha((int)s[0]) ? SPELLED : OTHER_CHAR;
            kind_loss[kind] += loss * len, kind_count[kind] += len;
            for (int i = 0; i < len; i++) {
                int c = vocab_find(&m->vocab, s[i]), k = char_class(i ? s[i - 1] : p[before - 1], s[i]);
                char_loss[c] += loss, char_count[c]++;
                class_loss[k] += loss, class_count[k]++;
            }
        }
        return;
    }
    #line 43 "chapters/B4-per-char.nw"
    for (int t = 0; t < T; t++) {
        int y = tokens[t + 1], k = char_class(m->vocab.cp[tokens[t]], m->vocab.cp[y]);
        double loss = -(double)MAT(tr->logp, t, y);
        char_loss[y] += loss, char_count[y]++;
        class_loss[k] += loss, class_count[k]++;
    }
}
/* ⟨score a text as one stream⟩ */
#line 939 "chapters/03-network.nw"
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
        if (opt_per_char) add_per_char(m, &tr, tokens + at, T);
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
#line 974 "chapters/03-network.nw"
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
#line 993 "chapters/03-network.nw"
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

/* ⟨let a later chapter's kind of model report its own loss⟩ */
#line 41 "chapters/A5-places.nw"
/* A kind of model a later chapter adds may report its loss its own way
   (chapter 9's words, per token and per character): true if it did. */
static bool report_of_a_later_kind(const Model *m, Score s, const int *tokens, size_t n)
{
    /* ⟨report the loss of a later chapter's kind of model, and return⟩ */
    /* ⟨report the loss of a later chapter's kind of model, and return⟩, continued in 09-words.nw */
    #line 864 "chapters/09-words.nw"
    if (m->vocab.words > 0) {
        size_t chars = 0;
        for (size_t i = 1; i < n; i++) {
            int len;
            token_cp(&m->vocab, tokens[i], &len);
            chars += (size_t)len;
        }
        double N = (double)(n - 1);
        printf("tokens: %zu (predictions: %zu), %zu characters predicted\n", n, n - 1, chars);
        printf("read as: %s\n", s.read_as);
        printf("loss: %.*f nats/token\n", (int)opt_digits, s.loss / N);
        printf("per character: %.*f nats/char, %.*f bits/char\n", (int)opt_digits, s.loss / (double)chars,
               (int)opt_digits, s.loss / (double)chars / log(2.0));
        printf("accuracy: %.2f%% of the tokens\n", 100.0 * (double)s.correct / N);
        printf("uniform: %.4f nats/token (ln V: a model that knows nothing)\n", log((double)m->V));
        return true;
    }
    #line 46 "chapters/A5-places.nw"
    (void)m, (void)s, (void)tokens, (void)n;
    return false;
}
/* ⟨report the loss of each class of character and of each character⟩ */
#line 67 "chapters/B4-per-char.nw"
/* Print n rows, given their names, numbers of predictions and summed
   losses, the largest mean loss first (ties: the first row first). */
static void print_by_mean(int n, const char *const name[], const long count[], const double loss[],
                          double total)
{
    int *order = xalloc((size_t)n, sizeof *order), shown = 0;
    for (int i = 0; i < n; i++)
        if (count[i] > 0) order[shown++] = i;
    for (int a = 1; a < shown; a++)   /* insertion sort: stable, and n is small */
        for (int b = a; b > 0 && loss[order[b]] / (double)count[order[b]]
                                     > loss[order[b - 1]] / (double)count[order[b - 1]]; b--) {
            int swap = order[b]; order[b] = order[b - 1]; order[b - 1] = swap;
        }
    for (int r = 0; r < shown; r++) {
        int i = order[r];
        printf("  %-26s %9ld %*.*f nats %7.2f%%\n", name[i], count[i], (int)opt_digits + 3,
               (int)opt_digits, loss[i] / (double)count[i], total > 0 ? 100 * loss[i] / total : 0.0);
    }
    free(order);
}

static void report_per_char(const Model *m, double total)
{
    printf("\nper class of the character predicted: predictions, mean loss, share of the loss\n");
    print_by_mean(CLASSES, class_name, class_count, class_loss, total);
    /* ⟨report the losses of a later chapter's kinds of token⟩ */
    /* ⟨report the losses of a later chapter's kinds of token⟩, continued in 09-words.nw */
    #line 920 "chapters/09-words.nw"
    if (m->vocab.words > 0) {
        printf("\nper kind of token: characters, mean loss, share of the loss\n");
        print_by_mean(KINDS, kind_name, kind_count, kind_loss, total);
    }
    #line 93 "chapters/B4-per-char.nw"
    printf("\nper character predicted: predictions, mean loss, share of the loss\n");
    char (*buf)[CHAR_NAME_MAX] = xalloc((size_t)m->V, sizeof *buf);
    const char **names = xalloc((size_t)m->V, sizeof *names);
    for (int k = 0; k < m->V; k++)   /* a token beyond Unicode is none of its characters: no row */
        names[k] = m->vocab.cp[k] <= 0x10FFFF ? char_name(m->vocab.cp[k], buf[k]) : "";
    print_by_mean(m->V, names, char_count, char_loss, total);
    free(names);
    free(buf);
    free(char_loss);
    free(char_count);
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
    if (!report_of_a_later_kind(&m, score, tokens, n)) report(&m, score, n);
    if (opt_per_char) report_per_char(&m, score.loss);
    free(tokens);
    model_free(&m);
    text_free(&text);
    return finish();
}
