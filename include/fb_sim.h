/*
 * Simulation markers: how code running under QEMU TCG talks to the fbsim
 * plugin (plugin/README.md), which models the data TLBs and caches and
 * counts what happens between a BEGIN and an END marker.
 *
 * Freestanding: usable by our guest kernel in ring 0 and ring 3, and by a
 * static Linux program; on a real CPU every marker is a harmless NOP and
 * the announcement loads are ordinary loads, so marked code runs anywhere.
 *
 * A marker is the 7-byte NOP `nopl DISP(%rax)` (0f 1f 80 + disp32, little
 * endian) with DISP = 0x4642_0000 | op << 8 | tag. The plugin recognises
 * the exact bytes at translation time; nothing else has that encoding.
 *
 *   BEGIN tag      a region starts (tag: a label the code chooses, 0..255)
 *   END tag        the region with the same tag ends; regions do not nest
 *   ANNOUNCE       the next invlpg flushes the address given by exactly 6
 *                  one-byte loads that follow: fb_sim_window[byte i] for
 *                  i = 0..5, byte i = bits 8i..8i+7 of the address (a 7.2
 *                  plugin cannot see invlpg's operand, so the guest says it)
 *   WINDOW         one one-byte load of fb_sim_window[0] follows: where the
 *                  window is (once, before any ANNOUNCE)
 *
 * Markers and the announcement loads are not counted or modelled.
 */
#ifndef FB_SIM_H
#define FB_SIM_H

#define FB_SIM_MAGIC 0x4642 /* "FB" */
#define FB_SIM_OP_BEGIN 1
#define FB_SIM_OP_END 2
#define FB_SIM_OP_ANNOUNCE 3
#define FB_SIM_OP_WINDOW 4
#define FB_SIM_ANNOUNCE_BYTES 6 /* virtual addresses below 2^48 */
#define FB_SIM_WINDOW_SIZE 256
#define FB_SIM_DISP(op, tag) ((FB_SIM_MAGIC << 16) | ((op) << 8) | (tag))

/*
 * The tags of the tlb and cache probes' passes (guest/cmd/probes.c,
 * bench/host_probes.c): probe 0 tlb, 1 cache; pass 0 before the call,
 * 1 after it. fbvmm checks a region's tag against the pass it is
 * reported for.
 */
#define FB_SIM_PROBE_TLB 0
#define FB_SIM_PROBE_CACHE 1
#define FB_SIM_TAG(probe, pass) (1 + 2 * (probe) + (pass))

#ifdef __ASSEMBLER__

/* In .S files: FB_SIM_MARKER(FB_SIM_OP_BEGIN, 3) on a line of its own. */
#define FB_SIM_MARKER(op, tag) .byte 0x0f, 0x1f, 0x80; .long FB_SIM_DISP(op, tag)

#else

/*
 * The window the announcement loads read: 256 readable bytes, 256-aligned.
 * One translation unit of the program says FB_SIM_WINDOW_DEFINE; its
 * contents never matter, only which of its bytes are read.
 */
extern const volatile unsigned char fb_sim_window[FB_SIM_WINDOW_SIZE];
#define FB_SIM_WINDOW_DEFINE                                              \
	const volatile unsigned char fb_sim_window[FB_SIM_WINDOW_SIZE]    \
		__attribute__((aligned(FB_SIM_WINDOW_SIZE))) = { 0 }

/*
 * A macro, not a function: the displacement is an immediate of the
 * instruction, so tag must be a constant expression. The memory clobber
 * keeps the compiler from moving loads and stores across the marker.
 */
#define fb_sim_marker_(op, tag)                                           \
	__extension__({                                                   \
		_Static_assert((tag) >= 0 && (tag) <= 255,                \
			       "fb_sim tag is 0..255");                   \
		__asm__ __volatile__(".byte 0x0f, 0x1f, 0x80\n\t.long %c0" \
				     : : "i"(FB_SIM_DISP(op, tag))        \
				     : "memory");                         \
	})

#define fb_sim_begin(tag) fb_sim_marker_(FB_SIM_OP_BEGIN, tag)
#define fb_sim_end(tag) fb_sim_marker_(FB_SIM_OP_END, tag)

/* Tell the plugin where fb_sim_window is; once, before any announcement. */
static inline void fb_sim_window_announce(void)
{
	unsigned int t;
	__asm__ __volatile__(".byte 0x0f, 0x1f, 0x80\n\t.long %c1\n\t"
			     "movzbl %2, %0"
			     : "=r"(t)
			     : "i"(FB_SIM_DISP(FB_SIM_OP_WINDOW, 0)),
			       "m"(fb_sim_window[0])
			     : "memory");
	(void)t;
}

/*
 * Announce the address the next invlpg flushes. The marker and the six
 * loads are one asm statement, so nothing the compiler emits comes
 * between them (the plugin excludes everything from the marker to the
 * sixth load from the counts).
 */
static inline void fb_sim_announce_invlpg(const volatile void *va)
{
	unsigned long long a = (unsigned long)va;
	unsigned int t;
	__asm__ __volatile__(".byte 0x0f, 0x1f, 0x80\n\t.long %c1\n\t"
			     "movzbl %2, %0\n\t"
			     "movzbl %3, %0\n\t"
			     "movzbl %4, %0\n\t"
			     "movzbl %5, %0\n\t"
			     "movzbl %6, %0\n\t"
			     "movzbl %7, %0"
			     : "=&r"(t)
			     : "i"(FB_SIM_DISP(FB_SIM_OP_ANNOUNCE, 0)),
			       "m"(fb_sim_window[a & 0xff]),
			       "m"(fb_sim_window[(a >> 8) & 0xff]),
			       "m"(fb_sim_window[(a >> 16) & 0xff]),
			       "m"(fb_sim_window[(a >> 24) & 0xff]),
			       "m"(fb_sim_window[(a >> 32) & 0xff]),
			       "m"(fb_sim_window[(a >> 40) & 0xff])
			     : "memory");
	(void)t;
}

/* invlpg va, announced: ring 0 only (it is a privileged instruction). */
static inline void fb_sim_invlpg(const volatile void *va)
{
	fb_sim_announce_invlpg(va);
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

#endif /* __ASSEMBLER__ */
#endif
