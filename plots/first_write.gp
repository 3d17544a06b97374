# The price a fork leaves for later: after the call the writer writes one
# word in each 2 MiB region of the parent; the mean cost per region,
# against parent size, per fork variant, in the guest set's own unit.
# Reads datadir/first_write_<v>.csv for each word of series; yunit names
# the clock.
figure = 'first_write'
load scriptdir.'/common.gp'
load scriptdir.'/size_axis.gp'

set title "The price paid later: the first write to each 2 MiB region after a fork\n".guest_line
set ylabel 'per 2 MiB region written ('.yunit.', log scale)'
set logscale y 10
set format y '%g'
set label 100 "Scenario first_write, metric cycles_per_first_write (the mean over the regions), in ".yunit." as measured. Points: median over repetitions;\n".\
	"error bars: min to max. cow copies one 4 KiB page; odf also copies the PTE table it shared; huge_split splits the PMD and copies 4 KiB;\n".\
	"huge_copy copies the whole 2 MiB page; copy paid for everything at the fork (compare the odf figure)." @caption_at

file(v) = datadir.'/first_write_'.v.'.csv'
do for [fmt in 'png svg'] {
	eval terminal(fmt)
	set output output(fmt)
	plot for [v in series] file(v) skip 1 using 1:2:3:4 \
		lc rgb vcolor(v) lw 1.5 pt 7 ps 0.8 title vlabel(v)
}
unset output
