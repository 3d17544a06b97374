/* The "forksize SIZE VARIANT" command: fork a parent of SIZE, check it. */
#ifndef GUEST_FORKSIZE_H
#define GUEST_FORKSIZE_H

unsigned cmd_forksize(int argc, char **argv);

#endif
