/*
 * Linux's own counters around each sample of the peer: /proc/vmstat
 * deltas of the fields fork and copy-on-write move, named after the
 * kernel's fields ("vmstat_pgfault"), per loop of the sample's batch.
 */
#ifndef PEER_VMSTAT_H
#define PEER_VMSTAT_H

#include "host_samples.h"

/* The observer for host_samples; its state lives in the peer. */
const struct sample_observer *peer_vmstat_observer(void);

#endif
