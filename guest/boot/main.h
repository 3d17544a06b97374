/* The kernel's C entry point. */
#ifndef GUEST_MAIN_H
#define GUEST_MAIN_H

#include <stdint.h>

/* Called by pvh.S in long mode on the boot stack; never returns. */
void kmain(uint32_t start_info_pa);

#endif
