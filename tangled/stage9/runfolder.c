#line 68 "chapters/C1-runs.nw"
/* runfolder.c — the folder of a training run. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "binio.h"
#include "runfolder.h"

/* ⟨lock a run folder⟩ */
#line 91 "chapters/C1-runs.nw"
static void remove_debris(const RunFolder *f);

bool run_folder_lock(RunFolder *f, const char *dir, bool make, char *why, size_t whylen)
{
    f->lock = -1;
    if (strlen(dir) + 16 > sizeof f->dir) {
        snprintf(why, whylen, "the folder name %.60s... is too long", dir);
        return false;
    }
    if (dir != f->dir) snprintf(f->dir, sizeof f->dir, "%s", dir);
    if (make && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "cannot create the folder %s: %s", dir, strerror(errno));
        return false;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, whylen, "%s is not a folder%s", dir, errno == ENOENT ? " (it does not exist)" : "");
        return false;
    }
    char path[4112];
    snprintf(path, sizeof path, "%s/lock", dir);
    int fd = open(path, O_RDWR | O_CREAT, 0666);
    if (fd < 0) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    if (fcntl(fd, F_SETLK, &lk) != 0) {
        char pid[32] = "";
        ssize_t got = pread(fd, pid, sizeof pid - 1, 0);
        pid[got > 0 ? got : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        snprintf(why, whylen, "%s is in use by another lstm-train%s%s%s (two runs in one folder "
                 "would overwrite each other's checkpoints: wait for it, or give another --out)",
                 dir, *pid ? " (process " : "", pid, *pid ? ")" : "");
        close(fd);
        return false;
    }
    char mine[32];
    int len = snprintf(mine, sizeof mine, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, mine, (size_t)len, 0) != len) { /* only informative */ }
    f->lock = fd;
    remove_debris(f);
    return true;
}

void run_folder_unlock(RunFolder *f)
{
    if (f->lock >= 0) close(f->lock);   /* closing the descriptor releases the lock */
    f->lock = -1;
}
/* ⟨remove the temporary files a killed run left⟩ */
#line 145 "chapters/C1-runs.nw"
/* NAME.tmp-XXXXXX, the names file_write_atomic writes under. */
static bool is_debris(const char *name)
{
    const char *t = strstr(name, ".tmp-");
    return t && t != name && strlen(t) == strlen(".tmp-XXXXXX");
}

static void remove_debris(const RunFolder *f)
{
    DIR *d = opendir(f->dir);
    if (!d) return;
    int removed = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL; ) {
        if (!is_debris(e->d_name)) continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", f->dir, e->d_name);
        removed += unlink(path) == 0;
    }
    closedir(d);
    if (removed)
        warn("removed %d temporary file%s that a run killed while saving left in %s",
             removed, removed == 1 ? "" : "s", f->dir);
}
/* ⟨keep the log in step with the checkpoint⟩ */
#line 180 "chapters/C1-runs.nw"
bool log_create(const char *path, const char *header, char *why, size_t whylen)
{
    return file_write_atomic(path, header, strlen(header), why, whylen);
}

bool log_cut(const char *path, long step, char *why, size_t whylen)
{
    unsigned char *data;
    size_t n;
    if (!file_read_all(path, (size_t)1 << 30, &data, &n, why, whylen)) return false;
    Buf kept = {0};
    for (size_t at = 0; at < n; ) {
        size_t end = at;
        while (end < n && data[end] != '\n') end++;
        char *stop;
        long row_step = strtol((const char *)data + at, &stop, 10);
        bool a_row = stop != (const char *)data + at && *stop == ',';   /* the header is not */
        if (!a_row || row_step <= step) buf_bytes(&kept, data + at, end - at + (end < n));
        at = end + 1;
    }
    bool ok = file_write_atomic(path, kept.p ? (const char *)kept.p : "", kept.n, why, whylen);
    buf_free(&kept);
    free(data);
    return ok;
}

bool log_append(const char *path, const char *row, char *why, size_t whylen)
{
    FILE *f = fopen(path, "a");
    if (!f || fputs(row, f) < 0 || fclose(f) != 0) {
        snprintf(why, whylen, "cannot append to %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}
/* ⟨runfolder.c functions⟩ */
