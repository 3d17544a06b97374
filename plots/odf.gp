# "On-demand fork" (Zhao et al., EuroSys'21): the fork's latency against
# parent size for the ways a fork can treat the parent's memory, in the
# guest set's own unit; beside them Linux's fork of 4 KiB pages and of
# transparent huge pages, from a peer set on the same backend.
# Reads datadir/odf_<v>.csv for each word of gseries (guest) and lseries
# (Linux, may be empty); yunit names the clock.
figure = 'odf'
load scriptdir.'/common.gp'
load scriptdir.'/size_axis.gp'

set title "Fork latency vs parent size: copy, COW, on-demand fork, 2 MiB pages\n".both_lines
set ylabel 'until the call returns in the parent ('.yunit.', log scale)'
set logscale y 10
set format y '%g'
set label 100 "Scenario create, metric cycles_to_return, in ".yunit." as measured (not converted to time). Points: median over repetitions; error bars: min to max.\n".\
	"cow copies the page tables (one PTE per 4 KiB page); odf shares the PTE tables until a write (Zhao et al.: 65x faster than the Linux fork at 1 GB);\n".\
	"huge_copy and huge_split copy one PMD entry per 2 MiB page; spawn copies nothing of the parent. Solid: guest kernel; dashed: Linux peer (fork_thp: THP parent)." @caption_at

file(v) = datadir.'/odf_'.v.'.csv'
# linux_fork_thp -> 'Linux fork_thp'
llabel(v) = 'Linux '.v[7:]
do for [fmt in 'png svg'] {
	eval terminal(fmt)
	set output output(fmt)
	if (strlen(lseries)) {
		plot for [v in gseries] file(v) skip 1 using 1:2:3:4 \
			lc rgb vcolor(v) lw 1.5 pt 7 ps 0.8 title 'guest '.vlabel(v), \
		     for [v in lseries] file(v) skip 1 using 1:2:3:4 \
			lc rgb vcolor(v) lw 1.5 dt 2 pt 6 ps 0.9 title llabel(v)
	} else {
		plot for [v in gseries] file(v) skip 1 using 1:2:3:4 \
			lc rgb vcolor(v) lw 1.5 pt 7 ps 0.8 title 'guest '.vlabel(v)
	}
}
unset output
