/*
 * The plugin's smoke guest: fixed addresses, so that the test can name
 * them in huge= and global= and derive every expected count by hand
 * (tests/integration/sim_plugin.bats).
 */
#ifndef SMOKE_H
#define SMOKE_H

/* 2 MiB of RAM at 4 MiB, past the image (smoke.ld): the regions' alone. */
#define SMOKE_BUF 0x400000
#define SMOKE_STREAM (SMOKE_BUF + 0x100000) /* region 3's 64 KiB */
#define SMOKE_P (SMOKE_BUF + 0x180000)      /* invlpg'd page */
#define SMOKE_Q (SMOKE_BUF + 0x181000)      /* its neighbour, kept */
#define SMOKE_G (SMOKE_BUF + 0x1f0000)      /* global= in the test */
#define SMOKE_N (SMOKE_BUF + 0x1f1000)      /* not global */
#define SMOKE_L1 (SMOKE_BUF + 0x140000)     /* 16 KiB that fit the L1D */

#ifndef __ASSEMBLER__
#include <stdint.h>

void loads_tag1(unsigned long base, unsigned pages);
void loads_tag2(unsigned long base, unsigned pages);
void stores_tag3(unsigned long base, unsigned quads);
void invlpg_tag4(void);
void cr3_tag5(void);
void lines_tag10(unsigned long base, unsigned lines);
void lines_tag11(unsigned long base, unsigned lines);
int smoke_main(uint32_t start_info);
#endif

#endif
