/*
 * The peer's end, as the guest's (guest/kernel/end.c): the end record
 * with the status, then isa-debug-exit, which ends QEMU with
 * (status << 1) | 1. If the port cannot be reached the init exits and the
 * kernel panics ("Attempted to kill init"), which fbvmm reports.
 */
#include <stdio.h>
#include <sys/io.h>
#include <unistd.h>

#include "end.h"
#include "fb_vocab.h"
#include "kernel/record.h"

void peer_exit(unsigned status, const char *what)
{
	if (status == FB_STATUS_PASS && rec_dropped())
		status = FB_STATUS_FAIL; /* the host did not get everything */
	const char *name = fb_status_name(status);
	struct rec r;
	rec_begin(&r, "end");
	rec_str(&r, "status", name ? name : "unknown");
	rec_u64(&r, "records", rec_count());
	if (what)
		rec_str(&r, "what", what);
	rec_end(&r);
	if (ioperm(FB_PORT_EXIT, 4, 1) != 0) {
		perror("peer: ioperm(exit port)");
		_exit(1);
	}
	outl(status, FB_PORT_EXIT);
	for (;;)
		pause(); /* QEMU is gone */
}
