/*
 * Signals that end a run: the --timeout alarm, SIGINT and SIGTERM. The
 * handlers only set flags and kick the vCPU out of KVM_RUN (through
 * kvm_run.immediate_exit), so the run loop ends the guest in one place.
 */
#ifndef FB_WATCHDOG_H
#define FB_WATCHDOG_H

#include <stdint.h>

int watchdog_install(void);
/* Where to write 1 so that a pending or next KVM_RUN returns EINTR. */
void watchdog_set_kick(volatile uint8_t *immediate_exit);
void watchdog_arm(unsigned seconds); /* 0: never */
void watchdog_disarm(void);
int watchdog_fired(void);
/* The SIGINT/SIGTERM received, or 0. */
int watchdog_stop_signal(void);

#endif
