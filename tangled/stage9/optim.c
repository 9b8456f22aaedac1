#line 598 "chapters/C3-trainer.nw"
/* optim.c — optimisers, learning-rate schedules and gradient clipping. */
#define _XOPEN_SOURCE 700   /* M_PI */
#include <tgmath.h>
#include "optim.h"

/* ⟨take one optimiser step⟩ */
#line 272 "chapters/05-train.nw"
Optimizer optim_new(OptimKind kind, double momentum, const Model *like)
{
    Optimizer o = { .kind = kind, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8, .momentum = momentum };
    o.m1 = model_like(like);
    o.m2 = model_like(like);
    return o;
}

void optim_free(Optimizer *o)
{
    model_free(&o->m1);
    model_free(&o->m2);
}

void optim_step(Optimizer *o, Model *m, const Model *g, double lr)
{
    real *p = m->params, *m1 = o->m1.params, *m2 = o->m2.params;
    const real *gr = g->params;
    o->t++;
    if (o->kind == OPTIM_SGD) {
        real mu = (real)o->momentum, eta = (real)lr;
        for (size_t i = 0; i < m->count; i++) {
            m1[i] = mu * m1[i] + gr[i];                   /* v = mu v + g */
            p[i] -= eta * m1[i];                          /* theta -= lr v */
        }
        return;
    }
    /* 1 - beta in double, then rounded: in float, 1 - 0.999f is off by 1.3e-5 */
    real b1 = (real)o->beta1, b2 = (real)o->beta2, eps = (real)o->eps;
    real c1 = (real)(1 - o->beta1), c2 = (real)(1 - o->beta2);
    real step = (real)(lr / (1 - pow(o->beta1, (double)o->t)));      /* lr / (1 - b1^t) */
    real root_c2 = (real)sqrt(1 - pow(o->beta2, (double)o->t));      /* sqrt(1 - b2^t) */
    for (size_t i = 0; i < m->count; i++) {
        m1[i] = b1 * m1[i] + c1 * gr[i];
        m2[i] = b2 * m2[i] + c2 * gr[i] * gr[i];
        p[i] -= step * m1[i] / (sqrt(m2[i]) / root_c2 + eps);
    }
}
/* ⟨clip the gradient⟩ */
#line 335 "chapters/05-train.nw"
double grad_norm(const Model *g)
{
    double sum = 0;
    for (size_t i = 0; i < g->count; i++) sum += (double)g->params[i] * (double)g->params[i];
    return sqrt(sum);
}

double clip_global_norm(Model *g, double max)
{
    double norm = grad_norm(g);
    if (norm > max) {
        real s = (real)(max / norm);
        for (size_t i = 0; i < g->count; i++) g->params[i] *= s;
    }
    return norm;
}

size_t clip_values(Model *g, double max)
{
    size_t clipped = 0;
    real c = (real)max;
    for (size_t i = 0; i < g->count; i++) {
        if (g->params[i] > c)       { g->params[i] = c; clipped++; }
        else if (g->params[i] < -c) { g->params[i] = -c; clipped++; }
    }
    return clipped;
}
/* ⟨compute the learning rate of a step⟩ */
#line 404 "chapters/05-train.nw"
double schedule_lr(const Schedule *s, long step, double epoch)
{
    switch (s->kind) {
    case SCHEDULE_STEP:
        return s->lr * pow(s->factor, floor(epoch / s->every));
    case SCHEDULE_COSINE: {
        double x = s->total > 0 ? fmin((double)step / (double)s->total, 1) : 0;
        return s->lr_min + 0.5 * (s->lr - s->lr_min) * (1 + cos(M_PI * x));
    }
    default:
        return s->lr;
    }
}
/* ⟨optim.c functions⟩ */
