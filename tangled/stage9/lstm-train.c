#line 907 "chapters/05-train.nw"
/* lstm-train — train an LSTM language model on a UTF-8 text. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prog.h"
#include "train.h"

/* ⟨the options of lstm-train⟩ */
#line 84 "chapters/C3-trainer.nw"
static const char *opt_out, *opt_optimizer, *opt_schedule, *opt_plan;
static long opt_hidden, opt_layers, opt_batch, opt_steps, opt_seed;
static long opt_epochs, opt_max_steps, opt_val_every, opt_log_every;
static long opt_sample_every, opt_sample_chars;
static double opt_lr, opt_momentum, opt_decay, opt_decay_every;
static double opt_lr_min, opt_clip, opt_clip_value, opt_val_fraction;
static double opt_dropout;
static double opt_minutes;
static bool opt_resume;
/* ⟨the variables of the options later chapters give lstm-train⟩ */
/* ⟨the variables of the options later chapters give lstm-train⟩, continued in 09-words.nw */
#line 382 "chapters/09-words.nw"
static long opt_embed;
#line 767 "chapters/09-words.nw"
static long opt_words;
static const char *opt_tokens;
#line 94 "chapters/C3-trainer.nw"
static const Option options[] = {
    { "out",        OPT_STRING, &opt_out,        "run", 0, 0, "DIR", "folder for the checkpoint, best model, log and plots" },
    { "resume",     OPT_FLAG,   &opt_resume,     NULL, 0, 0, NULL, "continue the run in DIR from its checkpoint" },
    { "hidden",     OPT_INT,    &opt_hidden,     "256", 1, RUN_MAX_HIDDEN, "H", "hidden units per layer [run]" },
    { "layers",     OPT_INT,    &opt_layers,     "2", 1, RUN_MAX_LAYERS, "L", "layers [run]" },
    { "batch",      OPT_INT,    &opt_batch,      "32", 1, RUN_MAX_BATCH, "B", "streams per batch [run]" },
    { "steps",      OPT_INT,    &opt_steps,      "50", 1, RUN_MAX_STEPS, "T", "characters per stream per batch, the BPTT length [run]" },
    { "optimizer",  OPT_CHOICE, &opt_optimizer,  "adam", 0, 0, "adam|sgd", "the optimiser [run]" },
    { "lr",         OPT_REAL,   &opt_lr,         "0.002", RUN_LR_MIN, RUN_LR_MAX, "RATE", "learning rate [run]" },
    { "momentum",   OPT_REAL,   &opt_momentum,   "0.9", 0, RUN_MOMENTUM_MAX, "MU", "momentum of sgd [run]" },
    { "schedule",   OPT_CHOICE, &opt_schedule,   "constant", 0, 0, "constant|step|cosine", "the learning-rate schedule [run]" },
    { "decay",      OPT_REAL,   &opt_decay,      "0.5", RUN_DECAY_MIN, 1, "F", "step schedule: multiply the rate by F ... [run]" },
    { "decay-every", OPT_REAL,  &opt_decay_every, "10", RUN_DECAY_EVERY_MIN, RUN_DECAY_EVERY_MAX, "E", "... every E epochs [run]" },
    { "lr-min",     OPT_REAL,   &opt_lr_min,     "0.0001", 0, RUN_LR_MAX, "RATE", "cosine schedule: the final rate (at most --lr) [run]" },
    { "clip",       OPT_REAL,   &opt_clip,       "5", 0, RUN_CLIP_MAX, "C", "clip the gradient's global norm to C; 0: do not [run]" },
    { "clip-value", OPT_REAL,   &opt_clip_value, "0", 0, RUN_CLIP_MAX, "C", "clip each gradient element to [-C, C]; 0: do not [run]" },
    { "val-fraction", OPT_REAL, &opt_val_fraction, "0.1", RUN_VAL_FRACTION_MIN, RUN_VAL_FRACTION_MAX, "F", "the last F of the corpus is for validation [run]" },
    { "dropout",    OPT_REAL,   &opt_dropout,    "0", 0, RUN_DROPOUT_MAX, "P", "drop each value passed up between layers with chance P while training [run]" },
    { "seed",       OPT_INT,    &opt_seed,       "1", 0, RUN_MAX_SEED, "N", "seed of the initial weights, the dropout and the samples [run]" },
    { "epochs",     OPT_INT,    &opt_epochs,     "50", 1, RUN_EPOCHS_MAX, "N", "stop after N epochs [limit]" },
    { "max-steps",  OPT_INT,    &opt_max_steps,  "0", 0, RUN_MAX_STEPS_MAX, "N", "stop after N steps in all; 0: no limit [limit]" },
    { "minutes",    OPT_REAL,   &opt_minutes,    "0", 0, RUN_MINUTES_MAX, "M", "stop within M minutes of training in all, the last validation counted in; 0: no limit [limit]" },
    { "val-every",  OPT_INT,    &opt_val_every,  "500", 1, RUN_EVERY_MAX, "N", "validate (and save a checkpoint) every N steps, and at each epoch's end [limit]" },
    { "log-every",  OPT_INT,    &opt_log_every,  "50", 1, RUN_EVERY_MAX, "N", "a log row every N steps [limit]" },
    { "sample-every", OPT_INT,  &opt_sample_every, "0", 0, RUN_EVERY_MAX, "N", "print a sample every N steps; 0: only at the end [limit]" },
    { "sample-chars", OPT_INT,  &opt_sample_chars, "300", 0, RUN_SAMPLE_CHARS_MAX, "N", "characters per sample; 0: no samples [limit]" },
    { "plan",       OPT_CHOICE, &opt_plan,       "limits", 0, 0, "limits|minutes", "plan a cosine over the steps of --epochs (or --max-steps), or over those --minutes allow at the speed of the first 50 steps" },
    /* ⟨the options later chapters give lstm-train⟩ */
    /* ⟨the options later chapters give lstm-train⟩, continued in 09-words.nw */
    #line 385 "chapters/09-words.nw"
    { "embed", OPT_INT, &opt_embed, "0", 0, RUN_MAX_EMBED, "E",
      "an embedding of E numbers per token in front of the first layer; 0: one-hot input [run]" },
    #line 771 "chapters/09-words.nw"
    { "tokens", OPT_CHOICE, &opt_tokens, "chars", 0, 0, "chars|words",
      "read the corpus in characters, or in words (and characters) [run]" },
    { "words", OPT_INT, &opt_words, "4000", 1, RUN_MAX_WORDS, "K",
      "with --tokens words: at most K words in the vocabulary, the commonest [run]" },
    #line 122 "chapters/C3-trainer.nw"
    OPTIONS_END
};
static const Usage usage = {
    "lstm-train [OPTIONS] TEXT",
    "Train a character-level LSTM language model on TEXT (UTF-8, at most 256 MiB).\n"
    "The last --val-fraction of TEXT is held out for validation.  Checkpoints, the\n"
    "best model, a CSV log and SVG plots go into --out DIR, which one trainer at a\n"
    "time may write; Ctrl-C saves a checkpoint and stops, and --resume continues\n"
    "exactly where the run stopped.  On --resume, the [run] settings are the run's:\n"
    "given again, they must be the run's own values.  The [limit] options are the\n"
    "run's too unless given again, and then the new ones count (except --epochs and\n"
    "--max-steps on a cosine schedule, which was planned over them).",
    options, 1, 1
};
/* ⟨turn the options into the settings of a new run⟩ */
#line 139 "chapters/C3-trainer.nw"
static Run new_run(void)
{
    Run r = { .hidden = opt_hidden, .layers = opt_layers, .batch = opt_batch,
              .steps = opt_steps, .seed = (uint64_t)opt_seed, .momentum = opt_momentum,
              .clip_norm = opt_clip, .clip_value = opt_clip_value, .val_fraction = opt_val_fraction,
              .dropout = opt_dropout, .epochs = opt_epochs, .max_steps = opt_max_steps,
              .minutes = opt_minutes, .val_every = opt_val_every, .log_every = opt_log_every,
              .sample_every = opt_sample_every, .sample_chars = opt_sample_chars };
    r.optimizer = strcmp(opt_optimizer, "sgd") == 0 ? OPTIM_SGD : OPTIM_ADAM;
    r.schedule = (Schedule){ .lr = opt_lr, .factor = opt_decay, .every = opt_decay_every,
                             .lr_min = opt_lr_min };
    r.schedule.kind = strcmp(opt_schedule, "step") == 0 ? SCHEDULE_STEP
                    : strcmp(opt_schedule, "cosine") == 0 ? SCHEDULE_COSINE : SCHEDULE_CONSTANT;
    if (opt_lr_min > opt_lr) {
        if (option_given(options, "lr-min"))
            usage_error("--lr-min %g is above --lr %g: a cosine schedule goes down", opt_lr_min, opt_lr);
        r.schedule.lr_min = opt_lr;       /* the default 0.0001 under a smaller --lr */
    }
    /* ⟨take the settings later chapters add from the options⟩ */
    /* ⟨take the settings later chapters add from the options⟩, continued in 09-words.nw */
    #line 389 "chapters/09-words.nw"
    r.embed = opt_embed;
    #line 777 "chapters/09-words.nw"
    r.tokens = strcmp(opt_tokens, "words") == 0 ? RUN_TOKENS_WORDS : RUN_TOKENS_CHARS;
    r.words = opt_words;
    if (r.tokens == RUN_TOKENS_WORDS && r.embed == 0)
        usage_error("--tokens words needs --embed E: a vocabulary of words is read through a table");
    #line 158 "chapters/C3-trainer.nw"
    return r;
}
/* ⟨hold the options given against the run being resumed⟩ */
#line 187 "chapters/C3-trainer.nw"
static void keep(const char *name, double asked, double kept)
{
    if (option_given(options, name) && asked != kept)
        usage_error("--%s %.10g: this run has --%s %.10g, and a resumed run keeps its settings",
                    name, asked, name, kept);
}

static void keep_choice(const char *name, const char *asked, const char *kept)
{
    if (option_given(options, name) && strcmp(asked, kept) != 0)
        usage_error("--%s %s: this run has --%s %s, and a resumed run keeps its settings",
                    name, asked, name, kept);
}

/* A limit: the run's, unless given (or not known: a version 2 checkpoint). */
static void take(const char *name, long *kept, long asked)
{
    if (option_given(options, name) || *kept == RUN_NOT_KNOWN) *kept = asked;
}

static void take_the_options_given(Run *r)
{
    static const char *const schedules[] = { "constant", "step", "cosine" };
    keep("hidden", (double)opt_hidden, (double)r->hidden);
    keep("layers", (double)opt_layers, (double)r->layers);
    keep("batch", (double)opt_batch, (double)r->batch);
    keep("steps", (double)opt_steps, (double)r->steps);
    keep("seed", (double)opt_seed, (double)r->seed);
    keep_choice("optimizer", opt_optimizer, r->optimizer == OPTIM_SGD ? "sgd" : "adam");
    keep("lr", opt_lr, r->schedule.lr);
    keep("momentum", opt_momentum, r->momentum);
    keep_choice("schedule", opt_schedule, schedules[r->schedule.kind]);
    keep("decay", opt_decay, r->schedule.factor);
    keep("decay-every", opt_decay_every, r->schedule.every);
    keep("lr-min", opt_lr_min, r->schedule.lr_min);
    keep("clip", opt_clip, r->clip_norm);
    keep("clip-value", opt_clip_value, r->clip_value);
    keep("val-fraction", opt_val_fraction, r->val_fraction);
    keep("dropout", opt_dropout, r->dropout);
    /* ⟨hold the settings later chapters add against the run being resumed⟩ */
    /* ⟨hold the settings later chapters add against the run being resumed⟩, continued in 09-words.nw */
    #line 395 "chapters/09-words.nw"
    keep("embed", (double)opt_embed, (double)r->embed);
    #line 787 "chapters/09-words.nw"
    keep_choice("tokens", opt_tokens, r->tokens == RUN_TOKENS_WORDS ? "words" : "chars");
    keep("words", (double)opt_words, (double)r->words);
    #line 227 "chapters/C3-trainer.nw"
    if (r->schedule.kind == SCHEDULE_COSINE) {       /* the plan of its rate */
        keep("epochs", (double)opt_epochs, (double)r->epochs);
        keep("max-steps", (double)opt_max_steps, (double)r->max_steps);
    }
    take("epochs", &r->epochs, opt_epochs);
    take("max-steps", &r->max_steps, opt_max_steps);
    if (option_given(options, "minutes") || r->minutes == RUN_NOT_KNOWN) r->minutes = opt_minutes;
    take("val-every", &r->val_every, opt_val_every);
    take("log-every", &r->log_every, opt_log_every);
    take("sample-every", &r->sample_every, opt_sample_every);
    take("sample-chars", &r->sample_chars, opt_sample_chars);
}

/* ⟨plan a cosine over the minutes that are left⟩ */
#line 298 "chapters/C3-trainer.nw"
enum { PLAN_STEPS = 50 };      /* steps timed, at the least, before the plan */

static void check_the_plan(const Run *r)
{
    if (strcmp(opt_plan, "minutes") != 0) return;
    if (r->schedule.kind != SCHEDULE_COSINE || r->minutes <= 0)
        usage_error("--plan minutes plans a cosine over the run's minutes: it needs "
                    "--schedule cosine and --minutes");
}

static void plan_over_the_minutes(Training *t)
{
    static long first = -1, validations;     /* this session's */
    static bool planned;
    Run *r = &t->run;
    if (strcmp(opt_plan, "minutes") != 0 || planned) return;
    if (first < 0) first = r->step - 1;
    if (t->validated) validations++;
    long steps = r->step - first;
    if (steps < PLAN_STEPS || validations == 0 || t->rate <= 0) return;
    double elapsed = seconds_now() - t->started;
    double t_s = (double)(r->batch * r->steps) / t->rate;
    double t_v = fmax(0, elapsed - (double)steps * t_s) / (double)validations;
    double n_v = 1 / (1.0 / (double)r->val_every + 1.0 / (double)t->streams.batches);
    double m = 60 * r->minutes - (t->seconds_before + elapsed);
    long S = r->step + (long)fmax(1, (m - t_v) / (t_s + t_v / n_v));
    long cap = r->max_steps > 0 ? r->max_steps : r->epochs * t->streams.batches;
    r->schedule.total = S < cap ? S : cap;
    planned = true;
    printf("cosine planned over: %ld steps, what %g minutes allow at %.0f ms a step and %.0f ms "
           "a validation\n", r->schedule.total, r->minutes, 1e3 * t_s, 1e3 * t_v);
    fflush(stdout);
}

static void say_the_run_is_complete(const Training *t)
{
    fprintf(stderr, "%s: the run in %s is complete: it reached %s at step %ld; give a larger "
            "--epochs, --max-steps or --minutes to train it further\n", prog_name, t->folder.dir,
            t->stopped, t->run.step);
    printf("steps: %ld\nstopped by: %s (nothing to do)\n", t->run.step, t->stopped);
}
/* ⟨stop cleanly on Ctrl-C⟩ */
#line 259 "chapters/C3-trainer.nw"
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    stop_requested = sig;
    signal(sig, SIG_DFL);   /* a second one kills */
}

static void catch_signals(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
}

int main(int argc, char **argv)
{
    prog_name = "lstm-train";
    parse_options(argc, argv, &usage);
    Training t;
    if (opt_resume) {
        training_resume(&t, opt_out);
        take_the_options_given(&t.run);
    } else {
        Run settings = new_run();
        training_new(&t, &settings, opt_out);
    }
    check_the_plan(&t.run);
    training_prepare(&t, argv[1]);
    catch_signals();
    if (training_done(&t, 0)) {
        say_the_run_is_complete(&t);
    } else {
        while (!training_done(&t, stop_requested)) {
            training_step(&t);
            training_report(&t);
            plan_over_the_minutes(&t);
        }
        training_finish(&t);
    }
    training_free(&t);
    return finish();
}
