/* Writing a file via a temporary file, fsync, rename and a directory fsync. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "atomic_write.h"
#include "errmsg.h"

/* PATH.tmp.PID: the PID keeps two writers of one path apart. */
static int tmp_name(char *buf, size_t len, const char *path)
{
	int n = snprintf(buf, len, "%s.tmp.%ld", path, (long)getpid());
	if (n >= 0 && (size_t)n < len)
		return 0;
	errno = ENAMETOOLONG;
	return -1;
}

/* All of text to fd, through short writes and signals. */
static int write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Sync the directory holding path, so that a rename into it is on disk.
 * File systems that cannot sync a directory (EINVAL) keep it anyway.
 */
static int sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 :
			 (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int bad = fsync(fd) < 0 && errno != EINVAL;
	int why = errno;
	close(fd);
	errno = why;
	return bad ? -1 : 0;
}

/* Rename tmp over path and sync the directory; tmp is gone either way. */
static int commit_tmp(const char *tmp, const char *path, char *err,
		      size_t errlen)
{
	if (rename(tmp, path) == 0 && sync_dir(path) == 0)
		return 0;
	errmsg_cannot(err, errlen, "write", path, errno);
	unlink(tmp);
	return -1;
}

/*
 * Straight write(2)s, not stdio: each call's errno is the reason (a full
 * file system or the file size limit often shows only at fsync or close).
 */
int atomic_stage(const char *path, const void *buf, size_t len, char *err,
		 size_t errlen)
{
	char tmp[4200];
	int fd = -1;
	int bad = tmp_name(tmp, sizeof(tmp), path) < 0;
	if (!bad)
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	bad = bad || fd < 0 || write_all(fd, buf, len) < 0 || fsync(fd) < 0;
	int why = errno;
	if (fd >= 0 && close(fd) < 0 && !bad) {
		bad = 1;
		why = errno;
	}
	if (!bad)
		return 0;
	if (fd >= 0)
		unlink(tmp);
	errmsg_cannot(err, errlen, "write", path, why);
	return -1;
}

int atomic_commit(const char *path, char *err, size_t errlen)
{
	char tmp[4200];
	if (tmp_name(tmp, sizeof(tmp), path) < 0) {
		errmsg_cannot(err, errlen, "write", path, errno);
		return -1;
	}
	return commit_tmp(tmp, path, err, errlen);
}

void atomic_unstage(const char *path)
{
	char tmp[4200];
	if (tmp_name(tmp, sizeof(tmp), path) == 0)
		unlink(tmp);
}

int atomic_write(const char *path, const void *buf, size_t len, char *err,
		 size_t errlen)
{
	if (atomic_stage(path, buf, len, err, errlen) < 0)
		return -1;
	return atomic_commit(path, err, errlen);
}

int atomic_open(struct atomic_file *a, const char *path, char *err,
		size_t errlen)
{
	a->f = NULL;
	int n = snprintf(a->path, sizeof(a->path), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(a->path) ||
	    tmp_name(a->tmp, sizeof(a->tmp), path) < 0) {
		errmsg_cannot(err, errlen, "write", path, ENAMETOOLONG);
		return -1;
	}
	a->f = fopen(a->tmp, "w");
	if (a->f)
		return 0;
	/* the path the caller gave: the temporary name is ours */
	errmsg_cannot(err, errlen, "write", path, errno);
	return -1;
}

int atomic_close(struct atomic_file *a, int keep, char *err, size_t errlen)
{
	if (!a->f)
		return 0;
	int bad = fclose_synced(a->f) < 0;
	int why = errno;
	a->f = NULL;
	if (keep && !bad)
		return commit_tmp(a->tmp, a->path, err, errlen);
	if (keep)
		errmsg_cannot(err, errlen, "write", a->path, why);
	unlink(a->tmp);
	return keep ? -1 : 0;
}

/*
 * A full file system (ENOSPC) or the file size limit (EFBIG) often shows
 * only here. stdio drops a buffer it could not write, so after an earlier
 * failure the last flush can succeed with errno long overwritten; what
 * failed that write (no space, the limit) still holds, so one byte more
 * fails the same way and says why.
 */
int fclose_synced(FILE *f)
{
	int bad = fflush(f) != 0;
	if (!bad && ferror(f)) {
		bad = 1;
		fputc('\n', f);
		if (fflush(f) == 0)
			errno = EIO;
	}
	bad = bad || fsync(fileno(f)) != 0;
	int why = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		why = errno;
	}
	errno = why;
	return bad ? -1 : 0;
}
