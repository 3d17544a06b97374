/*
 * Ends the nested Linux VM through QEMU's isa-debug-exit (port 0xf4):
 * QEMU exits with (value << 1) | 1, so the suite knows /init ran to the
 * end rather than the kernel panicking or hanging.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>

int main(int argc, char **argv)
{
	unsigned v = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 0;
	if (ioperm(0xf4, 4, 1) != 0) {
		perror("fbexit: ioperm");
		return 1;
	}
	outl(v, 0xf4);
	return 1; /* not reached: QEMU is gone */
}
