#line 536 "chapters/C3-trainer.nw"
/* data.h — the corpus, its split, and the streams batches are cut from. */
#ifndef DATA_H
#define DATA_H
#include "net.h"

/* ⟨the corpus⟩ */
#line 32 "chapters/05-train.nw"
typedef struct {
    Text text;          /* the whole corpus, as code points */
    Vocab vocab;        /* its sorted characters */
    int *tokens;        /* n tokens: one per character (chapter 9's words: fewer) */
    size_t n;
    size_t n_train;     /* tokens[0 .. n_train) train, [n_train .. n) validate */
    uint32_t crc;       /* CRC-32 of the tokens: which corpus a checkpoint was made on */
} Corpus;
/* ⟨the streams that batches are cut from⟩ */
#line 125 "chapters/05-train.nw"
typedef struct {
    int B, T;
    const int *data;    /* the tokens streamed over */
    size_t *start;      /* B + 1 boundaries: stream b is data[start[b] .. start[b+1]] */
    size_t longest;     /* predictions in the longest stream */
    long batch;         /* batches taken in the current epoch */
    long batches;       /* batches per epoch */
} Streams;

/* Read a UTF-8 corpus, make its vocabulary and tokens, and split it: the last
   val_fraction of it is the validation part. */
bool corpus_load(const char *path, double val_fraction, Corpus *c, char *why, size_t whylen);
void corpus_free(Corpus *c);

Streams streams_new(const int *data, size_t n, int B, int T);
void streams_free(Streams *s);
int  streams_next(Streams *s, int *tokens, int *targets);
bool streams_fit(size_t n, int B, int T, char *why, size_t whylen);

/* The mean loss (nats per predicted character) of m on data[0 .. n), read as
   B streams from a zero state, T steps at a time; the accuracy if asked. */
double evaluate(const Model *m, const int *data, size_t n, int B, int T, double *accuracy);
/* ⟨data.h declarations⟩ */
/* ⟨data.h declarations⟩, continued in 09-words.nw */
#line 830 "chapters/09-words.nw"
/* The corpus read in words (chapter 9): its vocabulary of characters and of
   at most max_words words of the training part, or a copy of given; its
   training and validation parts tokenized apart.  False with a reason. */
bool corpus_words(Corpus *c, int max_words, const Vocab *given, char *why, size_t whylen);
#line 558 "chapters/C3-trainer.nw"
#endif
