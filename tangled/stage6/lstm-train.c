#line 930 "chapters/05-train.nw"
/* lstm-train — train an LSTM language model on a UTF-8 text. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "backprop.h"
#include "checkpoint.h"
#include "data.h"
#include "plot.h"
#include "prog.h"

/* ⟨the options of lstm-train⟩ */
#line 968 "chapters/05-train.nw"
static const char *opt_out, *opt_optimizer, *opt_schedule;
static long opt_hidden, opt_layers, opt_batch, opt_steps, opt_seed;
static long opt_epochs, opt_max_steps, opt_val_every, opt_log_every;
static long opt_sample_every, opt_sample_chars;
static double opt_lr, opt_momentum, opt_decay, opt_decay_every;
static double opt_lr_min, opt_clip, opt_clip_value, opt_val_fraction;
static double opt_dropout;
static double opt_minutes;
static bool opt_resume;
static const Option options[] = {
    { "out",        OPT_STRING, &opt_out,        "run", 0, 0, "DIR", "folder for the checkpoint, best model, log and plots" },
    { "resume",     OPT_FLAG,   &opt_resume,     NULL, 0, 0, NULL, "continue the run in DIR from its checkpoint (its settings are kept)" },
    { "hidden",     OPT_INT,    &opt_hidden,     "256", 1, 4096, "H", "hidden units per layer" },
    { "layers",     OPT_INT,    &opt_layers,     "2", 1, 16, "L", "layers" },
    { "batch",      OPT_INT,    &opt_batch,      "32", 1, 4096, "B", "streams per batch" },
    { "steps",      OPT_INT,    &opt_steps,      "50", 1, 10000, "T", "characters per stream per batch, the BPTT length" },
    { "optimizer",  OPT_CHOICE, &opt_optimizer,  "adam", 0, 0, "adam|sgd", "the optimiser" },
    { "lr",         OPT_REAL,   &opt_lr,         "0.002", 1e-7, 10, "RATE", "learning rate" },
    { "momentum",   OPT_REAL,   &opt_momentum,   "0.9", 0, 0.999, "MU", "momentum of sgd" },
    { "schedule",   OPT_CHOICE, &opt_schedule,   "constant", 0, 0, "constant|step|cosine", "the learning-rate schedule" },
    { "decay",      OPT_REAL,   &opt_decay,      "0.5", 1e-3, 1, "F", "step schedule: multiply the rate by F ..." },
    { "decay-every", OPT_REAL,  &opt_decay_every, "10", 1e-3, 1e6, "E", "... every E epochs" },
    { "lr-min",     OPT_REAL,   &opt_lr_min,     "0.0001", 0, 10, "RATE", "cosine schedule: the final rate" },
    { "clip",       OPT_REAL,   &opt_clip,       "5", 0, 1e9, "C", "clip the gradient's global norm to C; 0: do not" },
    { "clip-value", OPT_REAL,   &opt_clip_value, "0", 0, 1e9, "C", "clip each gradient element to [-C, C]; 0: do not" },
    { "val-fraction", OPT_REAL, &opt_val_fraction, "0.1", 0.001, 0.5, "F", "the last F of the corpus is for validation" },
    { "dropout",    OPT_REAL,   &opt_dropout,    "0", 0, 0.9, "P", "drop each value passed up between layers with chance P while training" },
    { "epochs",     OPT_INT,    &opt_epochs,     "50", 1, 1e6, "N", "stop after N epochs" },
    { "max-steps",  OPT_INT,    &opt_max_steps,  "0", 0, 1e12, "N", "stop after N steps in all; 0: no limit" },
    { "minutes",    OPT_REAL,   &opt_minutes,    "0", 0, 1e6, "M", "stop after M minutes of training in all; 0: no limit" },
    { "val-every",  OPT_INT,    &opt_val_every,  "500", 1, 1e9, "N", "validate (and save a checkpoint) every N steps, and at each epoch's end" },
    { "log-every",  OPT_INT,    &opt_log_every,  "50", 1, 1e9, "N", "a log row every N steps" },
    { "sample-every", OPT_INT,  &opt_sample_every, "0", 0, 1e9, "N", "print a sample every N steps; 0: only at the end" },
    { "sample-chars", OPT_INT,  &opt_sample_chars, "300", 0, 1e6, "N", "characters per sample" },
    { "seed",       OPT_INT,    &opt_seed,       "1", 0, 4e9, "N", "seed of the initial weights and the samples" },
    OPTIONS_END
};
static const Usage usage = {
    "lstm-train [OPTIONS] TEXT",
    "Train a character-level LSTM language model on TEXT (UTF-8).  The last\n"
    "--val-fraction of TEXT is held out for validation.  Checkpoints, the best\n"
    "model, a CSV log and SVG plots go into --out DIR; Ctrl-C saves a checkpoint\n"
    "and stops, and --resume continues exactly where the run stopped.",
    options, 1, 1
};
/* ⟨turn the options into the settings of a new run⟩ */
#line 1016 "chapters/05-train.nw"
static Run new_run(void)
{
    Run r = { .hidden = (int)opt_hidden, .layers = (int)opt_layers, .batch = (int)opt_batch,
              .steps = (int)opt_steps, .seed = (uint64_t)opt_seed, .clip_norm = opt_clip,
              .clip_value = opt_clip_value, .val_fraction = opt_val_fraction,
              .dropout = opt_dropout, .best_val = INFINITY };
    r.optimizer = strcmp(opt_optimizer, "sgd") == 0 ? OPTIM_SGD : OPTIM_ADAM;
    r.schedule = (Schedule){ .lr = opt_lr, .factor = opt_decay, .every = opt_decay_every,
                             .lr_min = fmin(opt_lr_min, opt_lr) };
    r.schedule.kind = strcmp(opt_schedule, "step") == 0 ? SCHEDULE_STEP
                    : strcmp(opt_schedule, "cosine") == 0 ? SCHEDULE_COSINE : SCHEDULE_CONSTANT;
    return r;
}
/* ⟨stop cleanly on Ctrl-C⟩ */
#line 1039 "chapters/05-train.nw"
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    stop_requested = sig;
    signal(sig, SIG_DFL);   /* a second one kills */
}
/* ⟨append a row to the log⟩ */
#line 1244 "chapters/05-train.nw"
static void log_row(const char *path, const Run *r, double epoch, double lr, double rate,
                    double val, double acc)
{
    FILE *f = fopen(path, "a");
    if (!f) die("cannot append to %s: %s", path, strerror(errno));
    fprintf(f, "%ld,%.4f,%.3f,%.6g,%.5f,", r->step, epoch, r->seconds / 60, lr, r->smooth_loss);
    if (isfinite(val)) fprintf(f, "%.5f,%.5f,%.5f", val, val / log(2.0), acc);
    else fprintf(f, ",,");
    fprintf(f, ",%.0f\n", rate);
    if (fclose(f) != 0) die("cannot write %s: %s", path, strerror(errno));
}
/* ⟨show a sample of what the model writes⟩ */
#line 1289 "chapters/05-train.nw"
static void sample(const Model *m, Rng *rng, int n)
{
    Trace tr = trace_new(m, 1, 1);
    State s = state_new(m, 1);
    int token = vocab_find(&m->vocab, '\n');
    if (token < 0) token = 0;
    for (int i = 0; i < n; i++) {
        net_forward(m, &tr, 1, &token, NULL, &s, NULL);
        double u = rng_uniform(rng), sum = 0;
        int next = m->V - 1;
        for (int k = 0; k < m->V; k++) {
            sum += exp((double)MAT(tr.logp, 0, k));
            if (u < sum) { next = k; break; }
        }
        char bytes[4];
        fwrite(bytes, 1, (size_t)utf8_encode(m->vocab.cp[next], bytes), stdout);
        token = next;
    }
    printf("\n");
    fflush(stdout);
    state_free(&s);
    trace_free(&tr);
}

int main(int argc, char **argv)
{
    prog_name = "lstm-train";
    parse_options(argc, argv, &usage);
    char why[600];
    /* ⟨read the corpus, then prepare the output folder⟩ */
    #line 1049 "chapters/05-train.nw"
    char ckpt_path[4096], best_path[4096], log_path[4096];
    snprintf(ckpt_path, sizeof ckpt_path, "%s/checkpoint.bin", opt_out);
    snprintf(best_path, sizeof best_path, "%s/best.model", opt_out);
    snprintf(log_path, sizeof log_path, "%s/log.csv", opt_out);
    Corpus corpus;
    Run run = new_run();
    Model m;
    Optimizer opt;
    State state;
    Rng rng;
    if (opt_resume) {
        if (!checkpoint_load(ckpt_path, &run, &m, &opt, &state, &rng, why, sizeof why))
            die("cannot resume: %s", why);
    }
    if (!corpus_load(argv[1], run.val_fraction, &corpus, why, sizeof why)) die("%s", why);
    /* Only now, with a corpus worth training on, is the folder made: a wrong
       command line leaves nothing behind. */
    if (mkdir(opt_out, 0777) != 0 && errno != EEXIST)
        die("cannot create the folder %s: %s", opt_out, strerror(errno));
    struct stat st;
    if (stat(opt_out, &st) != 0 || !S_ISDIR(st.st_mode))
        die("%s is not a folder (--out)", opt_out);
    /* ⟨start a new run, or resume the one in the folder⟩ */
    #line 1074 "chapters/05-train.nw"
    if (opt_resume) {
        /* ⟨refuse settings that a resumed run cannot change⟩ */
        #line 1115 "chapters/05-train.nw"
        Run given = new_run();
        long asked[] = { opt_hidden, opt_layers, opt_batch, opt_steps, opt_seed };
        long kept[] = { run.hidden, run.layers, run.batch, run.steps, (long)run.seed };
        const char *names[] = { "hidden", "layers", "batch", "steps", "seed" };
        for (int k = 0; k < 5; k++)
            if (option_given(options, names[k]) && asked[k] != kept[k])
                usage_error("--%s %ld: a resumed run keeps its settings (it has --%s %ld)",
                            names[k], asked[k], names[k], kept[k]);
        if (option_given(options, "optimizer") && given.optimizer != run.optimizer)
            usage_error("--optimizer %s: a resumed run keeps its optimiser", opt_optimizer);
        if (option_given(options, "lr") && opt_lr != run.schedule.lr)
            usage_error("--lr %g: a resumed run keeps its learning rate (%g)", opt_lr, run.schedule.lr);
        if (option_given(options, "dropout") && opt_dropout != run.dropout)
            usage_error("--dropout %g: a resumed run keeps its dropout (%g)", opt_dropout, run.dropout);
        #line 1076 "chapters/05-train.nw"
        if (run.corpus_n != corpus.text.n || run.corpus_crc != corpus.crc)
            die("cannot resume: %s is not the text this run was trained on "
                "(%" PRIu64 " characters then, %zu now, or different ones)",
                argv[1], run.corpus_n, corpus.text.n);
        fprintf(stderr, "%s: resuming %s at step %ld (epoch %ld)\n", prog_name, ckpt_path,
                run.step, run.epoch);
    } else {
        if (access(ckpt_path, F_OK) == 0)
            die("%s already holds a run (%s); use --resume to continue it, or another --out",
                opt_out, ckpt_path);
        run.corpus_n = corpus.text.n;
        run.corpus_crc = corpus.crc;
        m = model_new(&corpus.vocab, run.hidden, run.layers);
        rng_seed(&rng, run.seed, 5);
        model_init(&m, &rng);
        opt = optim_new(run.optimizer, &m);
        state = state_new(&m, run.batch);
        FILE *f = fopen(log_path, "w");
        if (!f || fputs("step,epoch,minutes,lr,train_loss,val_loss,val_bits,val_accuracy,chars_per_s\n", f) < 0
            || fclose(f) != 0)
            die("cannot write %s: %s", log_path, strerror(errno));
    }
    if (!streams_fit(corpus.n_train, run.batch, run.steps, why, sizeof why)) die("%s", why);
    printf("corpus: %s, %zu characters, vocabulary %d, %zu for training, %zu for validation\n",
           argv[1], corpus.text.n, corpus.vocab.size, corpus.n_train, corpus.text.n - corpus.n_train);
    printf("model: %d x %d, %zu parameters; batches of %d x %d; %s, learning rate %g%s; dropout %g\n",
           run.layers, run.hidden, m.count, run.batch, run.steps,
           run.optimizer == OPTIM_ADAM ? "Adam" : "SGD", run.schedule.lr,
           run.schedule.kind == SCHEDULE_COSINE ? " (cosine)" : run.schedule.kind == SCHEDULE_STEP ? " (step)" : "",
           run.dropout);
    /* ⟨set up the batches and the buffers of one step⟩ */
    #line 1132 "chapters/05-train.nw"
    int B = run.batch, T = run.steps;
    Streams streams = streams_new(corpus.tokens, corpus.n_train, B, T);
    streams.batch = run.batch_in_epoch;
    if (run.schedule.kind == SCHEDULE_COSINE && run.schedule.total == 0)
        run.schedule.total = opt_max_steps > 0 ? opt_max_steps : opt_epochs * streams.batches;
    Trace tr = trace_new(&m, T, B);
    Backprop bp = backprop_new(&m, T, B);
    Model grad = model_like(&m);
    int *tokens = xalloc((size_t)T * (size_t)B, sizeof *tokens);
    int *targets = xalloc((size_t)T * (size_t)B, sizeof *targets);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    bool tty = isatty(fileno(stderr));
    double t_start = seconds_now(), seconds_before = run.seconds, rate = 0;
    bool last_validated = false;
    /* ⟨train until a limit is reached or the user stops us⟩ */
    #line 1159 "chapters/05-train.nw"
    while (run.epoch < opt_epochs && (opt_max_steps == 0 || run.step < opt_max_steps)
           && (opt_minutes == 0 || run.seconds < 60 * opt_minutes) && !stop_requested) {
        double t0 = seconds_now();
        if (streams.batch == 0 || streams.batch == streams.batches) state_zero(&state);
        int steps = streams_next(&streams, tokens, targets);
        long predictions = 0;
        for (int r = 0; r < steps * B; r++) predictions += targets[r] >= 0;
        trace_dropout(&tr, (real)run.dropout, &rng);          /* new masks (none if p = 0) */
        double loss = net_forward(&m, &tr, steps, tokens, targets, &state, NULL) / (double)predictions;
        model_zero(&grad);
        net_backward(&m, &tr, steps, tokens, targets, (real)(1.0 / (double)predictions), &grad, &bp,
                     NULL, NULL);
        double norm = run.clip_norm > 0 ? clip_global_norm(&grad, run.clip_norm) : grad_norm(&grad);
        if (run.clip_value > 0) clip_values(&grad, run.clip_value);
        if (!isfinite(loss) || !isfinite(norm))
            die("step %ld: the %s is %s; stopping before it spoils the model (the last checkpoint, "
                "%s, is intact: resume from it with a lower --lr, or clip harder)",
                run.step + 1, isfinite(loss) ? "gradient's norm" : "loss",
                isnan(isfinite(loss) ? norm : loss) ? "NaN" : "infinite", ckpt_path);
        double progress = (double)run.epoch + (double)streams.batch / (double)streams.batches;
        double lr = schedule_lr(&run.schedule, run.step, progress);
        optim_step(&opt, &m, &grad, lr);
        run.step++;
        run.smooth_loss = run.step == 1 ? loss : 0.98 * run.smooth_loss + 0.02 * loss;
        run.batch_in_epoch = streams.batch;
        bool epoch_end = streams.batch == streams.batches;
        if (epoch_end) { run.epoch++; run.batch_in_epoch = 0; streams.batch = 0; }
        double dt = seconds_now() - t0;
        rate = rate == 0 ? (double)(steps * B) / dt : 0.9 * rate + 0.1 * (double)(steps * B) / dt;
        run.seconds = seconds_before + (seconds_now() - t_start);
        /* ⟨show progress, log, validate and sample as the options ask⟩ */
        #line 1199 "chapters/05-train.nw"
        bool validate = epoch_end || run.step % opt_val_every == 0;
        last_validated = validate;
        double val = NAN, acc = NAN;
        if (validate) {
            val = evaluate(&m, corpus.tokens + corpus.n_train, corpus.text.n - corpus.n_train, B, T, &acc);
            if (val < run.best_val) {
                run.best_val = val;
                if (!model_save(&m, best_path, why, sizeof why)) die("%s", why);
            }
            run.seconds = seconds_before + (seconds_now() - t_start);
            if (!checkpoint_save(ckpt_path, &run, &m, &opt, &state, &rng, why, sizeof why))
                die("%s", why);
        }
        if (validate || run.step % opt_log_every == 0)
            log_row(log_path, &run, progress, lr, rate, val, acc);
        if (validate) plot_training_log(log_path, opt_out);
        /* ⟨print a progress line⟩ */
        #line 1227 "chapters/05-train.nw"
        double left_steps = opt_max_steps > 0 ? (double)(opt_max_steps - run.step) : INFINITY;
        left_steps = fmin(left_steps, ((double)opt_epochs - progress) * (double)streams.batches);
        double eta = left_steps * (run.seconds / fmax(1, (double)run.step));
        if (opt_minutes > 0) eta = fmin(eta, 60 * opt_minutes - run.seconds);
        double eta_s = round(fmax(eta, 0));   /* whole seconds first: 59.7 s is 1:00, not 0:60 */
        char best[16] = "-", line[256];
        if (isfinite(run.best_val)) snprintf(best, sizeof best, "%.3f", run.best_val);
        snprintf(line, sizeof line, "step %ld  epoch %.2f  loss %.3f  %s %s  %.0f chars/s  ETA %.0f:%02.0f",
                 run.step, progress, run.smooth_loss, isfinite(run.best_val) ? "best val" : "val", best,
                 rate, floor(eta_s / 60), fmod(eta_s, 60));
        if (tty)
            fprintf(stderr, "\r%-100s", line);
        else if (validate || run.step % opt_log_every == 0)
            fprintf(stderr, "%s%s\n", line, validate ? "  (validated)" : "");
        #line 1216 "chapters/05-train.nw"
        if (opt_sample_every > 0 && run.step % opt_sample_every == 0) {
            printf("\n--- sample at step %ld ---\n", run.step);
            sample(&m, &rng, (int)opt_sample_chars);
        }
    #line 1190 "chapters/05-train.nw"
    }
    /* ⟨finish the run: validate, save, plot, report⟩ */
    #line 1318 "chapters/05-train.nw"
    if (tty) fputc('\n', stderr);
    double val_acc;
    double val = evaluate(&m, corpus.tokens + corpus.n_train, corpus.text.n - corpus.n_train, B, T, &val_acc);
    if (val < run.best_val) {
        run.best_val = val;
        if (!model_save(&m, best_path, why, sizeof why)) die("%s", why);
    }
    run.seconds = seconds_before + (seconds_now() - t_start);
    if (!checkpoint_save(ckpt_path, &run, &m, &opt, &state, &rng, why, sizeof why)) die("%s", why);
    snprintf(best_path, sizeof best_path, "%s/last.model", opt_out);
    if (!model_save(&m, best_path, why, sizeof why)) die("%s", why);
    if (!last_validated) {
        log_row(log_path, &run, (double)run.epoch + (double)streams.batch / (double)streams.batches,
                schedule_lr(&run.schedule, run.step, (double)run.epoch), rate, val, val_acc);
        plot_training_log(log_path, opt_out);
    }
    if (stop_requested)
        fprintf(stderr, "%s: stopped by signal %d after step %ld; the checkpoint is saved: "
                "resume with --resume --out %s\n", prog_name, (int)stop_requested, run.step, opt_out);
    printf("steps: %ld\n", run.step);
    printf("epochs: %.2f\n", (double)run.epoch + (double)streams.batch / (double)streams.batches);
    printf("minutes: %.1f\n", run.seconds / 60);
    printf("validation loss: %.4f nats/char (%.4f bits/char), accuracy %.1f%%\n",
           val, val / log(2.0), 100 * val_acc);
    printf("best validation loss: %.4f\n", run.best_val);
    printf("chars/s: %.0f\n", rate);
    printf("\n--- a sample of %ld characters ---\n", opt_sample_chars);
    sample(&m, &rng, (int)opt_sample_chars);
    free(tokens); free(targets);
    model_free(&grad);
    backprop_free(&bp);
    trace_free(&tr);
    streams_free(&streams);
    state_free(&state);
    optim_free(&opt);
    model_free(&m);
    corpus_free(&corpus);
    #line 963 "chapters/05-train.nw"
    return finish();
}
