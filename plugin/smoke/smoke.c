/*
 * The smoke guest's program: the assembly regions (exact counts), the
 * protocol errors, and fb_sim.h's C interface in ring 0.
 */
#include <stdint.h>

#include "fb_abi.h"
#include "fb_sim.h"
#include "smoke.h"

FB_SIM_WINDOW_DEFINE;

static void protocol_errors(void)
{
	fb_sim_end(9);   /* no region open */
	fb_sim_begin(7);
	fb_sim_begin(8); /* region 7 is dropped, region 8 runs */
	fb_sim_end(8);
}

/* An announced invlpg through the C interface, inside region 6. */
static void c_interface(void)
{
	volatile uint64_t *p = (volatile uint64_t *)SMOKE_P;
	(void)*p;
	fb_sim_begin(6);
	fb_sim_invlpg(p);
	(void)*p;
	fb_sim_end(6);
}

/*
 * The command line "hang": stay up after the regions, for the test that
 * kills QEMU and finds them in the output all the same.
 */
static int asked_to_hang(uint32_t start_info)
{
	/* struct hvm_start_info: cmdline_paddr at byte 24 */
	uint64_t cmdline = *(volatile uint64_t *)(uintptr_t)(start_info + 24);
	const volatile char *c = (const volatile char *)(uintptr_t)cmdline;
	return cmdline && c[0] == 'h' && c[1] == 'a' && c[2] == 'n' &&
	       c[3] == 'g';
}

int smoke_main(uint32_t start_info)
{
	fb_sim_window_announce();
	loads_tag1(SMOKE_BUF, 16);
	loads_tag2(SMOKE_BUF, 16);
	stores_tag3(SMOKE_STREAM, 8192);
	protocol_errors();
	invlpg_tag4();
	cr3_tag5();
	/* unannounced: every non-global entry goes */
	__asm__ __volatile__("invlpg (%0)" : : "r"(SMOKE_BUF) : "memory");
	c_interface();
	/* 16 KiB, cold, then again: it fits the L1D, the second pass hits */
	lines_tag10(SMOKE_L1, 256);
	lines_tag11(SMOKE_L1, 256);
	while (asked_to_hang(start_info))
		__asm__ __volatile__("hlt");
	return FB_STATUS_PASS;
}
