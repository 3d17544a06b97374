/* Ending the Linux peer's run: the end record, then QEMU's exit port. */
#ifndef PEER_END_H
#define PEER_END_H

/* status: FB_STATUS_* (fb_abi.h); what: why a refusal, or NULL. */
__attribute__((noreturn)) void peer_exit(unsigned status, const char *what);

#endif
