#line 553 "chapters/05-train.nw"
/* train.h — a training run: its settings, its limits, its progress, and
   the phases it goes through. */
#ifndef TRAIN_H
#define TRAIN_H
#include "backprop.h"
#include "data.h"
#include "optim.h"
#include "runfolder.h"

/* ⟨the ranges of a run's settings⟩ */
#line 19 "chapters/C3-trainer.nw"
enum { RUN_MAX_HIDDEN = 4096, RUN_MAX_LAYERS = 16, RUN_MAX_BATCH = 4096, RUN_MAX_STEPS = 10000 };
#define RUN_MAX_SEED 4e9
#define RUN_LR_MIN 1e-7           /* the learning rate, and the cosine's final rate, at most: */
#define RUN_LR_MAX 10
#define RUN_MOMENTUM_MAX 0.999
#define RUN_DECAY_MIN 1e-3        /* the step schedule's factor, at most 1 */
#define RUN_DECAY_EVERY_MIN 1e-3  /* ... and its period in epochs */
#define RUN_DECAY_EVERY_MAX 1e6
#define RUN_CLIP_MAX 1e9
#define RUN_VAL_FRACTION_MIN 0.001
#define RUN_VAL_FRACTION_MAX 0.5
#define RUN_DROPOUT_MAX 0.9
#define RUN_EPOCHS_MAX 1e6
#define RUN_MAX_STEPS_MAX 1e12
#define RUN_MINUTES_MAX 1e6
#define RUN_EVERY_MAX 1e9         /* --val-every, --log-every, --sample-every */
#define RUN_SAMPLE_CHARS_MAX 1e6
enum { RUN_NOT_KNOWN = -1 };      /* a limit a version 2 checkpoint did not keep */
/* ⟨the ranges of a run's settings⟩, continued in 09-words.nw */
#line 376 "chapters/09-words.nw"
enum { RUN_MAX_EMBED = RUN_MAX_HIDDEN };
#line 761 "chapters/09-words.nw"
enum { RUN_TOKENS_CHARS = 0, RUN_TOKENS_WORDS = 1, RUN_MAX_WORDS = 65536 };
/* ⟨the settings and progress of a run⟩ */
#line 484 "chapters/05-train.nw"
typedef struct {
    /* the settings: fixed for a run */
    long hidden, layers, batch, steps;     /* H, L, B, T */
    uint64_t seed;
    OptimKind optimizer;
    double momentum;                       /* of SGD */
    Schedule schedule;
    double clip_norm, clip_value;          /* 0: not used */
    double val_fraction;
    double dropout;                        /* p of chapter 3's dropout; 0: none */
    /* ⟨the settings later chapters add to a run⟩ */
    /* ⟨the settings later chapters add to a run⟩, continued in 09-words.nw */
    #line 379 "chapters/09-words.nw"
    long embed;                            /* E of chapter 9's table; 0: one-hot input */
    #line 764 "chapters/09-words.nw"
    long tokens, words;                    /* RUN_TOKENS_CHARS or _WORDS; at most so many words */
    #line 495 "chapters/05-train.nw"
    /* the limits and the reporting: kept on --resume unless given again */
    long epochs, max_steps;                /* max_steps 0: no limit */
    double minutes;                        /* 0: no limit */
    long val_every, log_every, sample_every, sample_chars;
    /* the progress */
    long step;                             /* optimiser steps taken */
    long epoch;                            /* epochs completed */
    long batch_in_epoch;                   /* the Streams' batch counter */
    double best_val;                       /* the best validation loss so far (or INFINITY) */
    double smooth_loss;                    /* the training loss, smoothed */
    double seconds;                        /* training time so far, validations included */
    uint64_t corpus_n;                     /* characters in the corpus */
    uint32_t corpus_crc;                   /* and the CRC of their tokens */
} Run;
/* ⟨a training run in progress⟩ */
#line 522 "chapters/05-train.nw"
typedef struct {
    Run run;                    /* settings, limits, progress: what the checkpoint keeps */
    Corpus corpus;
    Model m, grad;
    Optimizer opt;
    State state;
    Rng rng;
    Streams streams;
    Trace tr;
    Backprop bp;
    int *tokens, *targets;      /* one batch, T x B each */
    RunFolder folder;           /* --out, locked while the run is on */
    char ckpt[4200], best[4200], last[4200], log[4200];   /* its files */
    bool resumed;
    /* this session */
    double started, seconds_before;   /* the clock when it started, and run.seconds then */
    double rate;                /* characters per second, smoothed */
    double val_seconds;         /* how long the last validation took */
    double loss, lr;            /* of the last step */
    double val, val_acc;        /* of the last validation */
    bool validated;             /* the last step ended with a validation */
    bool tty;                   /* progress goes to a terminal */
    char stopped[64];           /* what ended the run: "--epochs 16", "signal 2" */
} Training;

/* false, with the option's name and range, if a setting, limit or kind of r
   is out of the range the command line allows. */
bool run_check(const Run *r, char *why, size_t whylen);

/* A new run with these settings and limits, into the folder out; nothing is
   written yet. */
void training_new(Training *t, const Run *settings, const char *out);
/* The run in the folder out: locked, its checkpoint loaded. */
void training_resume(Training *t, const char *out);
/* Read the corpus and check it is the run's; allocate everything a step
   needs; then (a new run) make and lock the folder and start the log, or
   (a resumed run) cut the log back to the checkpoint. */
void training_prepare(Training *t, const char *corpus_path);
/* Whether the run should stop now: a limit reached, or a signal; says which
   in t->stopped. */
bool training_done(Training *t, int signal);
void training_step(Training *t);      /* one optimiser step on the next batch */
void training_report(Training *t);    /* validate, save, log, show progress, sample: as due */
void training_finish(Training *t);    /* the last validation, checkpoint and model; a summary */
void training_free(Training *t);
/* ⟨train.h declarations⟩ */
#line 587 "chapters/05-train.nw"
#endif
