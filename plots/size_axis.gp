# The parent-size x axis, logarithmic: loaded by the figures that use it.
#
# A log axis cannot show 0 (it skips values <= 0), so forkbench plot
# passes zero_x, two octaves left of the smallest measured size: data at
# size 0 is drawn there (xpos), under a tick labelled "0", with a dotted
# line marking the break. zero_x = 0 means no size 0 was measured.

xpos(s) = s > 0 ? s : zero_x

set logscale x 2
set xrange [xmin:xmax]
set xtics () scale 1
unset mxtics
if (zero_x > 0) {
	set xtics add ('0' zero_x)
	set arrow 90 from zero_x * 2, graph 0 to zero_x * 2, graph 1 nohead \
		dt 3 lc rgb '#999999' back
}
# A tick every factor of 4 (1K 4K 16K ... 1G), clear of the "0" tick.
do for [e = 0:50:2] {
	t = 2.0**e
	if (t > zero_x * 1.9 && t >= xmin && t <= xmax) {
		set xtics add (size_label(t) t)
	}
}
set xlabel 'parent size (memory touched before the call; log scale, bytes)'
