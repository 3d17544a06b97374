/*
 * Files written whole or not at all, the one way every host tool writes
 * a result: the text goes to PATH.tmp.PID, is synced, and is renamed over
 * PATH; then PATH's directory is synced, so the rename itself survives a
 * crash. A reader sees the old file or the new one, never a cut one.
 * Every failure: -1 with "cannot write PATH: reason" in err (errmsg.h),
 * and no temporary file left behind.
 */
#ifndef FB_ATOMIC_WRITE_H
#define FB_ATOMIC_WRITE_H

#include <stddef.h>
#include <stdio.h>

/* buf[0..len) as the new PATH. */
int atomic_write(const char *path, const void *buf, size_t len, char *err,
		 size_t errlen);

/*
 * atomic_write's two halves, for a set of files of which none may replace
 * its old version unless all could be written: stage each (the synced
 * temporary file), then commit each (rename, sync the directory), or
 * unstage them all.
 */
int atomic_stage(const char *path, const void *buf, size_t len, char *err,
		 size_t errlen);
int atomic_commit(const char *path, char *err, size_t errlen);
void atomic_unstage(const char *path);

/*
 * The same for a file that grows through stdio over a run (a record
 * stream, a CSV appended to per configuration): open the temporary file,
 * write to f, and close with keep to put it in place, or without to
 * throw it away.
 */
struct atomic_file {
	FILE *f;
	char path[4096];
	char tmp[4200];
};

int atomic_open(struct atomic_file *a, const char *path, char *err,
		size_t errlen);
/* keep 0: discard, always 0. keep 1: -1 with err when it is not in place. */
int atomic_close(struct atomic_file *a, int keep, char *err, size_t errlen);

/*
 * Flush, fsync and close f: 0, or -1 with errno saying why (ENOSPC and
 * EFBIG often show only here, or stdio dropped the failed buffer earlier).
 */
int fclose_synced(FILE *f);

#endif
