/* Splitting the command line into kernel parameters and the command. */
#ifndef GUEST_CMDLINE_H
#define GUEST_CMDLINE_H

/*
 * Split boot.cmdline into kernel parameters and the command (boot.argc,
 * boot.argv); anything malformed ends the run as a bad command.
 */
void cmdline_parse(void);

#endif
