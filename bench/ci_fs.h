/* Directories forkbench ci makes and throws away again. */
#ifndef FB_CI_FS_H
#define FB_CI_FS_H

/*
 * rm -rf path: every file and directory under it, then path itself;
 * symbolic links are removed, never followed. A missing path is fine.
 * 0, or -1 when something stayed.
 */
int rmtree(const char *path);

/* Does path exist (as anything)? */
int path_exists(const char *path);

#endif
