#line 36 "chapters/C1-runs.nw"
/* runfolder.h — the folder of a training run: one writer at a time, a log
   that agrees with the checkpoint, no debris from a killed run. */
#ifndef RUNFOLDER_H
#define RUNFOLDER_H
#include "base.h"

typedef struct {
    char dir[4096];
    int lock;          /* the descriptor that holds the lock; -1: none */
} RunFolder;

/* Lock the folder dir for this process (making it first, if make), so that
   no other trainer writes into it, and remove the temporary files that a
   killed run left in it.  false, with a reason, if it cannot be made or
   locked, or another process holds the lock. */
bool run_folder_lock(RunFolder *f, const char *dir, bool make, char *why, size_t whylen);
void run_folder_unlock(RunFolder *f);

/* The log: a new one with its header line; the rows of steps after `step`
   dropped (a checkpoint's step: rows logged after it belong to work that
   the checkpoint does not hold); a row appended. */
bool log_create(const char *path, const char *header, char *why, size_t whylen);
bool log_cut(const char *path, long step, char *why, size_t whylen);
bool log_append(const char *path, const char *row, char *why, size_t whylen);
/* ⟨runfolder.h declarations⟩ */
#line 61 "chapters/C1-runs.nw"
#endif
