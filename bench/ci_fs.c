/* rm -rf for forkbench ci's own directories (ci_fs.h). */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ci_fs.h"

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	int rc = flag == FTW_DP ? rmdir(path) : unlink(path);
	return rc < 0 && errno != ENOENT ? -1 : 0;
}

int rmtree(const char *path)
{
	if (!path_exists(path))
		return 0;
	/* depth first (a directory after its contents), links not followed */
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}
