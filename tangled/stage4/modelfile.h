#line 570 "chapters/B3-model-file.nw"
/* modelfile.h — the model file: writing it, and reading it with every check. */
#ifndef MODELFILE_H
#define MODELFILE_H
#include "binio.h"
#include "model.h"

/* ⟨the model file's header⟩ */
#line 283 "chapters/B3-model-file.nw"
#define MODEL_MAGIC "LSTMCHAR"   /* 8 bytes, no terminating zero in the file */
enum { MODEL_VERSION = 1, MODEL_HEADER_BYTES = 32 };

void model_put(Buf *b, const Model *m);                        /* the file without its CRC */
bool model_get(Reader *r, Model *m, char *why, size_t whylen); /* a whole file, CRC last */
bool model_save(const Model *m, const char *path, char *why, size_t whylen);
/* A model file, or a file of another kind that holds one (a checkpoint of
   lstm-train, from stage 5): false, with the file's name and a reason, and
   nothing allocated, if it cannot be read or is not right in every way. */
bool model_load(const char *path, Model *m, char *why, size_t whylen);
/* ⟨modelfile.h declarations⟩ */
#line 586 "chapters/B3-model-file.nw"
#endif
