#line 577 "chapters/C3-trainer.nw"
/* optim.h — optimisers, learning-rate schedules and gradient clipping. */
#ifndef OPTIM_H
#define OPTIM_H
#include "model.h"

/* ⟨the optimiser⟩ */
#line 260 "chapters/05-train.nw"
typedef enum { OPTIM_ADAM, OPTIM_SGD, OPTIM_KINDS } OptimKind;   /* OPTIM_KINDS: none */

typedef struct {
    OptimKind kind;
    double beta1, beta2, eps;   /* Adam */
    double momentum;            /* SGD */
    long t;                     /* steps taken */
    Model m1, m2;               /* Adam: m and v; SGD: the velocity in m1 */
} Optimizer;
/* ⟨the learning-rate schedule⟩ */
#line 392 "chapters/05-train.nw"
typedef enum { SCHEDULE_CONSTANT, SCHEDULE_STEP, SCHEDULE_COSINE, SCHEDULE_KINDS } ScheduleKind;
typedef struct {
    ScheduleKind kind;
    double lr;            /* eta, the rate at the start */
    double factor;        /* step: gamma */
    double every;         /* step: k, in epochs */
    double lr_min;        /* cosine: the rate at the end */
    long total;           /* cosine: S, the planned number of steps */
} Schedule;

/* Moments 0; Adam's betas 0.9 and 0.999; SGD's momentum mu (Adam ignores it). */
Optimizer optim_new(OptimKind kind, double momentum, const Model *like);
void   optim_free(Optimizer *o);
void   optim_step(Optimizer *o, Model *m, const Model *g, double lr);
double grad_norm(const Model *g);
double clip_global_norm(Model *g, double max);  /* scale g to norm <= max; returns the norm before */
size_t clip_values(Model *g, double max);       /* clamp each element to [-max, max]; returns how many */
double schedule_lr(const Schedule *s, long step, double epoch);
/* ⟨optim.h declarations⟩ */
#line 594 "chapters/C3-trainer.nw"
#endif
