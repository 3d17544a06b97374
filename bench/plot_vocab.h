/*
 * The vocabulary the gnuplot scripts need, generated: OUT/data/vocab.gp
 * defines vlabel(v) and vcolor(v) for every guest variant (fb_vocab.h)
 * and every Linux variant (forkbench host), so no script spells a name.
 */
#ifndef FB_PLOT_VOCAB_H
#define FB_PLOT_VOCAB_H

#include <stddef.h>

/* Write DATADIR/vocab.gp; -1 with the reason in err. */
int plot_vocab_write(const char *datadir, char *err, size_t errlen);

#endif
