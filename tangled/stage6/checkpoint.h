#line 678 "chapters/05-train.nw"
/* checkpoint.h — the whole state of a training run in one file. */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H
#include "net.h"
#include "optim.h"

/* ⟨the settings and progress of a run⟩ */
#line 496 "chapters/05-train.nw"
typedef struct {
    /* settings: fixed for a run */
    int hidden, layers, batch, steps;      /* H, L, B, T */
    uint64_t seed;
    OptimKind optimizer;
    Schedule schedule;
    double clip_norm, clip_value;          /* 0: not used */
    double val_fraction;
    double dropout;                        /* p of chapter 3's dropout; 0: none */
    /* progress */
    long step;                             /* optimiser steps taken */
    long epoch;                            /* epochs completed */
    long batch_in_epoch;                   /* the Streams' batch counter */
    double best_val;                       /* the best validation loss so far (or INFINITY) */
    double smooth_loss;                    /* the training loss, smoothed */
    double seconds;                        /* training time so far */
    uint64_t corpus_n;                     /* characters in the corpus */
    uint32_t corpus_crc;                   /* and their CRC */
} Run;

bool checkpoint_save(const char *path, const Run *r, const Model *m, const Optimizer *o,
                     const State *s, const Rng *rng, char *why, size_t whylen);
/* On success, m, o and s are new (free them); on failure nothing is left allocated. */
bool checkpoint_load(const char *path, Run *r, Model *m, Optimizer *o, State *s, Rng *rng,
                     char *why, size_t whylen);
/* ⟨checkpoint.h declarations⟩ */
#line 692 "chapters/05-train.nw"
#endif
