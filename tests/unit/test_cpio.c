/*
 * Unit tests for the initramfs writer (lib/cpio.c): the archive is read
 * back by Debian's cpio (-t lists it, -i unpacks it), not by our code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "cpio.h"
#include "testutil.h"

static char dir[] = "/tmp/fb-cpio-XXXXXX";

static void make_dir(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

/* An archive of a directory, an executable and a 5-byte file. */
static void write_archive(const char *path)
{
	static const char init[] = "#!/bin/sh\nexit 0\n";
	const struct cpio_entry e[] = {
		{ "bin", 040755, NULL, 0 },
		{ "init", 0100755, init, sizeof(init) - 1 },
		{ "bin/odd", 0100644, "hello", 5 },
	};
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(cpio_write(f, e, 3), 0);
	cr_assert_eq(fclose(f), 0);
}

Test(cpio, debian_cpio_lists_it, .init = make_dir)
{
	char path[256], cmd[512];
	snprintf(path, sizeof(path), "%s/a.cpio", dir);
	write_archive(path);
	snprintf(cmd, sizeof(cmd), "cpio -t --quiet <%s >%s/list 2>&1", path, dir);
	cr_assert_eq(system(cmd), 0, "cpio -t failed");
	snprintf(path, sizeof(path), "%s/list", dir);
	cr_assert_str_eq(test_slurp(path), "bin\ninit\nbin/odd\n");
}

Test(cpio, debian_cpio_unpacks_contents_and_modes, .init = make_dir)
{
	char path[256], cmd[512];
	snprintf(path, sizeof(path), "%s/a.cpio", dir);
	write_archive(path);
	snprintf(cmd, sizeof(cmd), "mkdir %s/x && cd %s/x && cpio -i -d --quiet <%s",
		 dir, dir, path);
	cr_assert_eq(system(cmd), 0, "cpio -i failed");
	snprintf(path, sizeof(path), "%s/x/bin/odd", dir);
	cr_assert_str_eq(test_slurp(path), "hello");
	struct stat st;
	snprintf(path, sizeof(path), "%s/x/init", dir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0755);
	cr_assert_eq(st.st_size, 17);
	snprintf(path, sizeof(path), "%s/x/bin", dir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
}
