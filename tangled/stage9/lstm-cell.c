#line 467 "chapters/02-cell.nw"
/* lstm-cell — step one small LSTM layer over a word and print every gate
   and state. */
#include <stdio.h>
#include <string.h>
#include "cell.h"
#include "prog.h"

/* ⟨the options of lstm-cell⟩ */
#line 505 "chapters/02-cell.nw"
static long opt_hidden, opt_seed;
static const char *opt_alphabet, *opt_word;
static const Option options[] = {
    { "hidden",   OPT_INT,    &opt_hidden,   "3",    1, 16,  "H", "cells in the layer" },
    { "seed",     OPT_INT,    &opt_seed,     "1",    0, 4e9, "N", "seed of the weights" },
    { "alphabet", OPT_STRING, &opt_alphabet, "abc",  0, 0,   "CHARS", "the vocabulary, printable ASCII characters" },
    { "word",     OPT_STRING, &opt_word,     "abba", 0, 0,   "WORD", "what the cell reads" },
    OPTIONS_END
};
static const Usage usage = {
    "lstm-cell [OPTIONS]",
    "Make one LSTM layer with seeded random weights (Xavier, forget-gate bias 1),\n"
    "feed it a word one character at a time, and print the four gates and the two\n"
    "states at every step.",
    options, 0, 0
};

int main(int argc, char **argv)
{
    prog_name = "lstm-cell";
    parse_options(argc, argv, &usage);
    int H = (int)opt_hidden, V = (int)strlen(opt_alphabet), n = (int)strlen(opt_word);
    /* ⟨check the word against the alphabet⟩ */
    #line 524 "chapters/02-cell.nw"
    if (V == 0) usage_error("--alphabet is empty");
    for (int a = 0; a < V; a++) {
        unsigned char ch = (unsigned char)opt_alphabet[a];
        if (ch < 0x21 || ch > 0x7E) usage_error("--alphabet: character %d is not printable ASCII", a + 1);
        if (strchr(opt_alphabet + a + 1, ch)) usage_error("--alphabet: '%c' appears twice", ch);
    }
    if (n == 0) usage_error("--word is empty");
    for (int t = 0; t < n; t++)
        if (!strchr(opt_alphabet, opt_word[t]))
            usage_error("--word: '%c' (character %d) is not in the alphabet \"%s\"",
                        opt_word[t], t + 1, opt_alphabet);
    #line 482 "chapters/02-cell.nw"
    Rng rng;
    rng_seed(&rng, (uint64_t)opt_seed, 2);
    LstmLayer l = layer_new(V, H);
    layer_init(&l, &rng);
    Matrix h[2] = { mat_new(1, H), mat_new(1, H) }, c[2] = { mat_new(1, H), mat_new(1, H) };
    Matrix Z = mat_new(1, 4 * H);
    printf("A layer of H = %d cells over the alphabet \"%s\" (V = %d), seed %ld,\n"
           "reading \"%s\" from a zero state.\n\n", H, opt_alphabet, V, opt_seed, opt_word);
    for (int t = 0; t < n; t++) {
        int k = (int)(strchr(opt_alphabet, opt_word[t]) - opt_alphabet);
        Matrix hp = h[t % 2], cp = c[t % 2], hn = h[(t + 1) % 2], cn = c[(t + 1) % 2];
        cell_input_tokens(&l, &k, Z);
        cell_recur(&l, hp, cp, Z, cn, hn);
        /* ⟨print the gates and states of one step⟩ */
        #line 538 "chapters/02-cell.nw"
        printf("step %d: reads '%c' (token %d)\n", t + 1, opt_word[t], k);
        static const char *names[] = { "i", "f", "g", "o" };
        for (int q = 0; q < 4; q++) {
            printf("  %s  ", names[q]);
            for (int j = 0; j < H; j++) printf(" %8.4f", (double)MAT(Z, 0, q * H + j));
            printf("\n");
        }
        printf("  c  ");
        for (int j = 0; j < H; j++) printf(" %8.4f", (double)MAT(cn, 0, j));
        printf("\n  h  ");
        for (int j = 0; j < H; j++) printf(" %8.4f", (double)MAT(hn, 0, j));
        printf("\n\n");
    #line 496 "chapters/02-cell.nw"
    }
    for (int q = 0; q < 2; q++) { mat_free(&h[q]); mat_free(&c[q]); }
    mat_free(&Z);
    layer_free(&l);
    return finish();
}
