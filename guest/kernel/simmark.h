/*
 * The kernel's side of the fbsim model (include/fb_sim.h, plugin/): once
 * enabled, every invlpg is announced, so the model flushes exactly the
 * page the kernel flushes (a QEMU 7.2 plugin cannot see the operand).
 */
#ifndef GUEST_SIM_H
#define GUEST_SIM_H

#include <stdint.h>

extern int sim_on;

/* Tell the plugin where the announcement window is; announce from now. */
void sim_enable(void);

#endif
