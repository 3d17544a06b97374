/* The "selftest" command: the kernel's own basics on this backend. */
#ifndef GUEST_SELFTEST_H
#define GUEST_SELFTEST_H

unsigned cmd_selftest(int argc, char **argv);

#endif
