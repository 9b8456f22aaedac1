#line 610 "chapters/C3-trainer.nw"
/* train.c — a training run, phase by phase. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkpoint.h"
#include "modelfile.h"
#include "plot.h"
#include "train.h"

/* ⟨check a run's settings against their ranges⟩ */
#line 40 "chapters/C3-trainer.nw"
#define OUT_OF(name, v, lo, hi) \
    do { if (!((v) >= (lo) && (v) <= (hi))) { \
        snprintf(why, whylen, "--%s %g is out of range (%g..%g)", name, (double)(v), \
                 (double)(lo), (double)(hi)); \
        return false; } } while (0)

bool run_check(const Run *r, char *why, size_t whylen)
{
    OUT_OF("hidden", r->hidden, 1, RUN_MAX_HIDDEN);
    OUT_OF("layers", r->layers, 1, RUN_MAX_LAYERS);
    OUT_OF("batch", r->batch, 1, RUN_MAX_BATCH);
    OUT_OF("steps", r->steps, 1, RUN_MAX_STEPS);
    OUT_OF("seed", (double)r->seed, 0, RUN_MAX_SEED);
    OUT_OF("optimizer (as a number)", r->optimizer, 0, OPTIM_SGD);
    OUT_OF("schedule (as a number)", r->schedule.kind, 0, SCHEDULE_COSINE);
    OUT_OF("lr", r->schedule.lr, RUN_LR_MIN, RUN_LR_MAX);
    OUT_OF("momentum", r->momentum, 0, RUN_MOMENTUM_MAX);
    OUT_OF("decay", r->schedule.factor, RUN_DECAY_MIN, 1);
    OUT_OF("decay-every", r->schedule.every, RUN_DECAY_EVERY_MIN, RUN_DECAY_EVERY_MAX);
    OUT_OF("lr-min", r->schedule.lr_min, 0, r->schedule.lr);
    OUT_OF("clip", r->clip_norm, 0, RUN_CLIP_MAX);
    OUT_OF("clip-value", r->clip_value, 0, RUN_CLIP_MAX);
    OUT_OF("val-fraction", r->val_fraction, RUN_VAL_FRACTION_MIN, RUN_VAL_FRACTION_MAX);
    OUT_OF("dropout", r->dropout, 0, RUN_DROPOUT_MAX);
    OUT_OF("epochs", r->epochs, 1, RUN_EPOCHS_MAX);
    OUT_OF("max-steps", r->max_steps, 0, RUN_MAX_STEPS_MAX);
    OUT_OF("minutes", r->minutes, 0, RUN_MINUTES_MAX);
    OUT_OF("val-every", r->val_every, 1, RUN_EVERY_MAX);
    OUT_OF("log-every", r->log_every, 1, RUN_EVERY_MAX);
    OUT_OF("sample-every", r->sample_every, 0, RUN_EVERY_MAX);
    OUT_OF("sample-chars", r->sample_chars, 0, RUN_SAMPLE_CHARS_MAX);
    /* ⟨check the settings later chapters add to a run⟩ */
    /* ⟨check the settings later chapters add to a run⟩, continued in 09-words.nw */
    #line 392 "chapters/09-words.nw"
    OUT_OF("embed", r->embed, 0, RUN_MAX_EMBED);
    #line 783 "chapters/09-words.nw"
    OUT_OF("tokens (as a number)", r->tokens, RUN_TOKENS_CHARS, RUN_TOKENS_WORDS);
    OUT_OF("words", r->words, 0, RUN_MAX_WORDS);
    #line 72 "chapters/C3-trainer.nw"
    return true;
}
#undef OUT_OF
/* ⟨set up a new run, or the run in a folder⟩ */
#line 602 "chapters/05-train.nw"
static void name_files(Training *t, const char *out)
{
    snprintf(t->ckpt, sizeof t->ckpt, "%s/checkpoint.bin", out);
    snprintf(t->best, sizeof t->best, "%s/best.model", out);
    snprintf(t->last, sizeof t->last, "%s/last.model", out);
    snprintf(t->log, sizeof t->log, "%s/log.csv", out);
    snprintf(t->folder.dir, sizeof t->folder.dir, "%s", out);
    t->folder.lock = -1;
}

void training_new(Training *t, const Run *settings, const char *out)
{
    *t = (Training){ .run = *settings };
    t->run.best_val = INFINITY;
    name_files(t, out);
}

void training_resume(Training *t, const char *out)
{
    char why[800];
    *t = (Training){ .resumed = true };
    name_files(t, out);
    if (!run_folder_lock(&t->folder, out, false, why, sizeof why)) die("cannot resume: %s", why);
    if (!checkpoint_load(t->ckpt, &t->run, &t->m, &t->opt, &t->state, &t->rng, why, sizeof why))
        die("cannot resume: %s", why);
}
/* ⟨prepare a run: its corpus, its buffers, its folder⟩ */
#line 640 "chapters/05-train.nw"
static void check_corpus(Training *t, const char *path)
{
    const Corpus *c = &t->corpus;
    bool same = t->run.corpus_n == c->text.n && t->run.corpus_crc == c->crc
                && c->vocab.size == t->m.vocab.size
                && memcmp(c->vocab.cp, t->m.vocab.cp, (size_t)c->vocab.size * sizeof *c->vocab.cp) == 0;
    if (!same)
        die("cannot resume: %s is not the text this run was trained on (%" PRIu64 " characters "
            "then, %zu now, or other characters)", path, t->run.corpus_n, c->text.n);
}

/* ⟨allocate what every step needs⟩ */
#line 679 "chapters/05-train.nw"
static void allocate(Training *t)
{
    Run *r = &t->run;
    int B = (int)r->batch, T = (int)r->steps;
    if (!t->resumed) {
        t->run.corpus_n = t->corpus.text.n;
        t->run.corpus_crc = t->corpus.crc;
        t->m = model_new(&t->corpus.vocab, (int)r->hidden, (int)r->layers);
        /* ⟨give the new run's model the kind its settings ask for⟩ */
        /* ⟨give the new run's model the kind its settings ask for⟩, continued in 09-words.nw */
        #line 398 "chapters/09-words.nw"
        if (r->embed > 0) {
            model_free(&t->m);
            t->m = model_new_embedded(&t->corpus.vocab, (int)r->embed, (int)r->hidden, (int)r->layers);
        }
        #line 688 "chapters/05-train.nw"
        rng_seed(&t->rng, r->seed, 5);
        model_init(&t->m, &t->rng);
        t->opt = optim_new(r->optimizer, r->momentum, &t->m);
        t->state = state_new(&t->m, B);
    }
    t->streams = streams_new(t->corpus.tokens, t->corpus.n_train, B, T);
    if (r->batch_in_epoch >= t->streams.batches)
        die("cannot resume: the checkpoint is at batch %ld of an epoch of %ld batches",
            r->batch_in_epoch, t->streams.batches);
    t->streams.batch = r->batch_in_epoch;
    if (r->schedule.kind == SCHEDULE_COSINE && r->schedule.total == 0)
        r->schedule.total = r->max_steps > 0 ? r->max_steps : r->epochs * t->streams.batches;
    t->tr = trace_new(&t->m, T, B);
    t->bp = backprop_new(&t->m, T, B);
    t->grad = model_like(&t->m);
    t->tokens = xalloc((size_t)T * (size_t)B, sizeof *t->tokens);
    t->targets = xalloc((size_t)T * (size_t)B, sizeof *t->targets);
}
/* ⟨make the folder of a new run ready, or bring a resumed one's log in step⟩ */
#line 341 "chapters/C3-trainer.nw"
static const char LOG_HEADER[] =
    "step,epoch,minutes,lr,train_loss,val_loss,val_bits,val_accuracy,chars_per_s\n";

static void make_folder_ready(Training *t)
{
    char why[800];
    if (!run_folder_lock(&t->folder, t->folder.dir, true, why, sizeof why)) die("%s", why);
    if (access(t->ckpt, F_OK) == 0)
        die("%s already holds a run (%s); use --resume to continue it, or another --out",
            t->folder.dir, t->ckpt);
    if (!log_create(t->log, LOG_HEADER, why, sizeof why)) die("%s", why);
}

static void bring_log_in_step(Training *t)
{
    char why[800];
    if (access(t->log, F_OK) != 0) {
        if (!log_create(t->log, LOG_HEADER, why, sizeof why)) die("%s", why);
    } else if (!log_cut(t->log, t->run.step, why, sizeof why)) {
        die("%s", why);
    }
}

static double epochs_done(const Training *t)
{
    return (double)t->run.epoch + (double)t->streams.batch / (double)t->streams.batches;
}

static const char *plural(double n) { return n == 1 ? "" : "s"; }

static void print_run(const Training *t, const char *path)
{
    const Run *r = &t->run;
    const Corpus *c = &t->corpus;
    if (t->resumed)
        fprintf(stderr, "%s: resuming %s at step %ld (epoch %.2f)\n", prog_name, t->ckpt,
                r->step, epochs_done(t));
    printf("corpus: %s, %zu character%s, vocabulary %d, %zu for training, %zu for validation\n",
           path, c->text.n, plural((double)c->text.n), c->vocab.size, c->n_train, c->n - c->n_train);
    printf("model: %ld x %ld, %zu parameters; batches of %ld x %ld; %s, learning rate %g%s; dropout %g\n",
           r->layers, r->hidden, t->m.count, r->batch, r->steps,
           r->optimizer == OPTIM_ADAM ? "Adam" : "SGD", r->schedule.lr,
           r->schedule.kind == SCHEDULE_COSINE ? " (cosine)" : r->schedule.kind == SCHEDULE_STEP ? " (step)" : "",
           r->dropout);
    /* ⟨say what later chapters add to the run's model⟩ */
    /* ⟨say what later chapters add to the run's model⟩, continued in 09-words.nw */
    #line 404 "chapters/09-words.nw"
    if (r->embed > 0) printf("embedding: E = %ld numbers per token\n", r->embed);
    #line 836 "chapters/09-words.nw"
    if (c->vocab.words > 0) {
        size_t train_chars = c->text.n - (size_t)((double)c->text.n * r->val_fraction);   /* corpus_load's cut */
        printf("words: %d characters and %d words (at most %ld); %.2f characters a token in the "
               "training part\n", c->vocab.size - c->vocab.words, c->vocab.words, r->words,
               (double)train_chars / (double)c->n_train);
    }
#line 386 "chapters/C3-trainer.nw"
}

void training_prepare(Training *t, const char *corpus_path)
{
    char why[800];
    if (!corpus_load(corpus_path, t->run.val_fraction, &t->corpus, why, sizeof why)) die("%s", why);
    /* ⟨make the corpus's tokens those of a later chapter's kind of run⟩ */
    /* ⟨make the corpus's tokens those of a later chapter's kind of run⟩, continued in 09-words.nw */
    #line 799 "chapters/09-words.nw"
    if (t->run.tokens == RUN_TOKENS_WORDS
        && !corpus_words(&t->corpus, (int)t->run.words, t->resumed ? &t->m.vocab : NULL, why, sizeof why))
        die("%s: %s", corpus_path, why);
    #line 659 "chapters/05-train.nw"
    if (t->resumed) check_corpus(t, corpus_path);
    if (!streams_fit(t->corpus.n_train, (int)t->run.batch, (int)t->run.steps, why, sizeof why))
        die("%s", why);
    allocate(t);
    if (t->resumed) bring_log_in_step(t);
    else make_folder_ready(t);
    t->tty = isatty(fileno(stderr));
    t->started = seconds_now();
    t->seconds_before = t->run.seconds;
    print_run(t, corpus_path);
}
/* ⟨decide whether the run is done⟩ */
#line 722 "chapters/05-train.nw"
bool training_done(Training *t, int signal)
{
    const Run *r = &t->run;
    double n_val = (double)(t->corpus.n - t->corpus.n_train);
    double final_val = t->val_seconds > 0 ? t->val_seconds : t->rate > 0 ? n_val / (3 * t->rate) : 0;
    if (signal)
        snprintf(t->stopped, sizeof t->stopped, "signal %d", signal);
    else if (r->epoch >= r->epochs)
        snprintf(t->stopped, sizeof t->stopped, "--epochs %ld", r->epochs);
    else if (r->max_steps > 0 && r->step >= r->max_steps)
        snprintf(t->stopped, sizeof t->stopped, "--max-steps %ld", r->max_steps);
    else if (r->minutes > 0 && r->seconds + final_val >= 60 * r->minutes)
        snprintf(t->stopped, sizeof t->stopped, "--minutes %g", r->minutes);
    else
        return false;
    return true;
}
/* ⟨take one training step⟩ */
#line 751 "chapters/05-train.nw"
void training_step(Training *t)
{
    Run *r = &t->run;
    int B = (int)r->batch;
    double t0 = seconds_now();
    if (t->streams.batch == 0 || t->streams.batch == t->streams.batches) state_zero(&t->state);
    int steps = streams_next(&t->streams, t->tokens, t->targets);
    long predictions = 0;
    for (int k = 0; k < steps * B; k++) predictions += t->targets[k] >= 0;
    trace_dropout(&t->tr, (real)r->dropout, &t->rng);     /* new masks (none if p = 0) */
    double loss = net_forward(&t->m, &t->tr, steps, t->tokens, t->targets, &t->state, NULL)
                  / (double)predictions;
    model_zero(&t->grad);
    net_backward(&t->m, &t->tr, steps, t->tokens, t->targets, (real)(1.0 / (double)predictions),
                 &t->grad, &t->bp, NULL, NULL);
    double norm = r->clip_norm > 0 ? clip_global_norm(&t->grad, r->clip_norm) : grad_norm(&t->grad);
    if (r->clip_value > 0) clip_values(&t->grad, r->clip_value);
    if (!isfinite(loss) || !isfinite(norm))
        die("step %ld: the %s is %s; stopping before it spoils the model (the last checkpoint, "
            "%s, is intact: resume from it with a lower --lr, or clip harder)",
            r->step + 1, isfinite(loss) ? "gradient's norm" : "loss",
            isnan(isfinite(loss) ? norm : loss) ? "NaN" : "infinite", t->ckpt);
    t->lr = schedule_lr(&r->schedule, r->step, epochs_done(t));
    optim_step(&t->opt, &t->m, &t->grad, t->lr);
    r->step++;
    r->smooth_loss = r->step == 1 ? loss : 0.98 * r->smooth_loss + 0.02 * loss;
    t->loss = loss;
    r->batch_in_epoch = t->streams.batch;
    if (t->streams.batch == t->streams.batches) {     /* the end of an epoch */
        r->epoch++;
        r->batch_in_epoch = 0;
        t->streams.batch = 0;
        t->validated = true;                          /* (set for the report to see) */
    } else {
        t->validated = false;
    }
    double dt = seconds_now() - t0, chars = (double)steps * B;
    t->rate = t->rate == 0 ? chars / dt : 0.9 * t->rate + 0.1 * chars / dt;
    r->seconds = t->seconds_before + (seconds_now() - t->started);
}
/* ⟨report a step: validate, save, log, show, sample⟩ */
/* ⟨write a row of the log⟩ */
#line 403 "chapters/C3-trainer.nw"
static void log_row(Training *t, bool validated)
{
    char row[256], why[800];
    const Run *r = &t->run;
    int k = snprintf(row, sizeof row, "%ld,%.4f,%.3f,%.6g,%.5f,", r->step, epochs_done(t),
                     r->seconds / 60, t->lr, r->smooth_loss);
    if (validated)
        k += snprintf(row + k, sizeof row - (size_t)k, "%.5f,%.5f,%.5f", t->val, t->val / log(2.0),
                      t->val_acc);
    else
        k += snprintf(row + k, sizeof row - (size_t)k, ",,");
    snprintf(row + k, sizeof row - (size_t)k, ",%.0f\n", t->rate);
    if (!log_append(t->log, row, why, sizeof why)) die("%s", why);
}
/* ⟨show a sample of what the model writes⟩ */
#line 459 "chapters/C3-trainer.nw"
static void sample(const Model *m, Rng *rng, int n)
{
    Trace tr = trace_new(m, 1, 1);
    State s = state_new(m, 1);
    int token = vocab_find(&m->vocab, '\n');
    for (int i = 0; i < n; i++) {
        if (token >= 0) net_forward(m, &tr, 1, &token, NULL, &s, NULL);
        else net_predict(m, &tr, &s);                  /* the first character, from the zero state */
        double u = rng_uniform(rng), sum = 0;
        int next = m->V - 1;
        for (int k = 0; k < m->V; k++) {
            sum += exp((double)MAT(tr.logp, 0, k));
            if (u < sum) { next = k; break; }
        }
        char bytes[TOKEN_BYTES_MAX];
        fwrite(bytes, 1, (size_t)token_utf8(&m->vocab, next, bytes), stdout);
        token = next;
    }
    printf("\n");
    fflush(stdout);
    state_free(&s);
    trace_free(&tr);
}
/* ⟨show progress⟩ */
#line 424 "chapters/C3-trainer.nw"
static const char *unit_of(const Training *t)
{
    const char *unit = "char";
    (void)t;                       /* (a later chapter's kind of token reads t) */
    /* ⟨name the unit of a later chapter's tokens⟩ */
    /* ⟨name the unit of a later chapter's tokens⟩, continued in 09-words.nw */
    #line 932 "chapters/09-words.nw"
    if (t->corpus.vocab.words > 0) unit = "token";
    #line 429 "chapters/C3-trainer.nw"
    return unit;
}

static void show_progress(const Training *t, bool validated)
{
    const Run *r = &t->run;
    double progress = epochs_done(t);
    double left = r->max_steps > 0 ? (double)(r->max_steps - r->step) : INFINITY;
    left = fmin(left, ((double)r->epochs - progress) * (double)t->streams.batches);
    double eta = left * (r->seconds / fmax(1, (double)r->step));
    if (r->minutes > 0) eta = fmin(eta, 60 * r->minutes - r->seconds);
    double eta_s = round(fmax(eta, 0));   /* whole seconds first: 59.7 s is 1:00, not 0:60 */
    char best[16] = "-", line[256];
    if (isfinite(r->best_val)) snprintf(best, sizeof best, "%.3f", r->best_val);
    snprintf(line, sizeof line, "step %ld  epoch %.2f  loss %.3f  %s %s  %.0f %ss/s  ETA %.0f:%02.0f",
             r->step, progress, r->smooth_loss, isfinite(r->best_val) ? "best val" : "val", best,
             t->rate, unit_of(t), floor(eta_s / 60), fmod(eta_s, 60));
    if (t->tty)
        fprintf(stderr, "\r%-100s", line);
    else if (validated || r->step % r->log_every == 0)
        fprintf(stderr, "%s%s\n", line, validated ? "  (validated)" : "");
}

/* Validate: the loss on the validation part; the best model if it is the best. */
static void validate(Training *t)
{
    char why[800];
    double t0 = seconds_now();
    t->val = evaluate(&t->m, t->corpus.tokens + t->corpus.n_train, t->corpus.n - t->corpus.n_train,
                      (int)t->run.batch, (int)t->run.steps, &t->val_acc);
    if (t->val < t->run.best_val) {
        t->run.best_val = t->val;
        if (!model_save(&t->m, t->best, why, sizeof why)) die("%s", why);
    }
    t->val_seconds = seconds_now() - t0;
    t->run.seconds = t->seconds_before + (seconds_now() - t->started);
}

static void save_checkpoint(Training *t)
{
    char why[800];
    if (!checkpoint_save(t->ckpt, &t->run, &t->m, &t->opt, &t->state, &t->rng, why, sizeof why))
        die("%s", why);
}

void training_report(Training *t)
{
    const Run *r = &t->run;
    bool last = training_done(t, 0);     /* the last step validates here, not again in finish */
    bool now = t->validated || last || r->step % r->val_every == 0;
    t->validated = now;
    if (now) validate(t);
    if (now || r->step % r->log_every == 0) log_row(t, now);
    if (now) {
        save_checkpoint(t);
        plot_training_log(t->log, t->folder.dir);
    }
    show_progress(t, now);
    if (r->sample_every > 0 && r->step % r->sample_every == 0 && r->sample_chars > 0) {
        Rng rs;      /* numbers of its own: a sample must not change the dropout to come */
        rng_seed(&rs, r->seed, 1000 + (uint64_t)r->step);
        printf("\n--- sample at step %ld ---\n", r->step);
        sample(&t->m, &rs, (int)r->sample_chars);
    }
}
/* ⟨print the summary of a run⟩ */
#line 490 "chapters/C3-trainer.nw"
static void print_summary(Training *t)
{
    const Run *r = &t->run;
    if (strncmp(t->stopped, "signal", 6) == 0)
        fprintf(stderr, "%s: stopped by %s after step %ld; the checkpoint is saved: "
                "resume with --resume --out %s\n", prog_name, t->stopped, r->step, t->folder.dir);
    printf("steps: %ld\n", r->step);
    printf("epochs: %.2f\n", epochs_done(t));
    printf("minutes: %.1f\n", r->seconds / 60);
    printf("stopped by: %s\n", t->stopped);
    const char *unit = unit_of(t);
    printf("validation loss (%ld streams from a zero state): %.4f nats/%s (%.4f bits/%s), "
           "accuracy %.1f%%\n", r->batch, t->val, unit, t->val / log(2.0), unit, 100 * t->val_acc);
    printf("best validation loss: %.4f\n", r->best_val);
    if (r->schedule.kind == SCHEDULE_COSINE) printf("cosine planned over: %ld steps\n", r->schedule.total);
    printf("%ss/s: %.0f\n", unit, t->rate);
    if (r->sample_chars > 0) {
        printf("\n--- a sample of %ld %s ---\n", r->sample_chars,
               strcmp(unit, "char") == 0 ? "characters" : "tokens");
        sample(&t->m, &t->rng, (int)r->sample_chars);
    }
}

void training_free(Training *t)
{
    free(t->tokens); free(t->targets);
    model_free(&t->grad);
    backprop_free(&t->bp);
    trace_free(&t->tr);
    streams_free(&t->streams);
    state_free(&t->state);
    optim_free(&t->opt);
    model_free(&t->m);
    corpus_free(&t->corpus);
    run_folder_unlock(&t->folder);
}
/* ⟨finish a run⟩ */
#line 869 "chapters/05-train.nw"
void training_finish(Training *t)
{
    char why[800];
    if (t->tty) fputc('\n', stderr);
    if (!t->validated) {
        validate(t);
        log_row(t, true);
    }
    save_checkpoint(t);
    if (!model_save(&t->m, t->last, why, sizeof why)) die("%s", why);
    plot_training_log(t->log, t->folder.dir);
    print_summary(t);
}
/* ⟨train.c functions⟩ */
