/* Shared getopt_long conventions; see cli.h. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_reset(void)
{
	optind = 0;
	opterr = 0;
}

void cli_bad_option(int c, char **argv, char *err, size_t errlen)
{
	const char *typed = argv[optind - 1];
	char shortopt[3] = { '-', (char)optopt, '\0' };
	const char *what = optopt > 0 && optopt < 256 &&
				   strncmp(typed, "--", 2) != 0
			   ? shortopt
			   : typed;
	snprintf(err, errlen, "%s: %s", what,
		 c == ':' ? "needs an argument" : "unknown option");
}
