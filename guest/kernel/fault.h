/* The page-fault handler: COW writes, demand faults, real faults. */
#ifndef GUEST_FAULT_H
#define GUEST_FAULT_H

#include <stdint.h>

/* Install the handler of vector 14 (#PF). */
void fault_init(void);
/*
 * One load from va, which must be unmapped: the fault returns here through
 * the handler's fixup, not through a kill. For the page-fault calibration.
 */
void pf_probe_touch(uint64_t va);

#endif
