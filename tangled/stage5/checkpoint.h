#line 723 "chapters/C1-runs.nw"
/* checkpoint.h — the whole state of a training run in one file. */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H
#include "train.h"

bool checkpoint_save(const char *path, const Run *r, const Model *m, const Optimizer *o,
                     const State *s, const Rng *rng, char *why, size_t whylen);
/* On success, m, o and s are new (free them); on failure, with the file's
   name and a reason, nothing is left allocated. */
bool checkpoint_load(const char *path, Run *r, Model *m, Optimizer *o, State *s, Rng *rng,
                     char *why, size_t whylen);
/* ⟨checkpoint.h declarations⟩ */
#line 735 "chapters/C1-runs.nw"
#endif
