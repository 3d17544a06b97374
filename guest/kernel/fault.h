/* The page-fault handler: COW writes, demand faults, real faults. */
#ifndef GUEST_FAULT_H
#define GUEST_FAULT_H

/* Install the handler of vector 14 (#PF). */
void fault_init(void);

#endif
