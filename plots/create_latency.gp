# Creation latency vs parent size, one line per guest variant (log-log).
# Reads datadir/create_latency_<variant>.csv for each word of series.
figure = 'create_latency'
load scriptdir.'/common.gp'
load scriptdir.'/size_axis.gp'

set title "Process creation latency vs parent size\n".guest_line
set ylabel 'time until the call returns in the parent ('.tunit('us').', log scale)'
set logscale y 10
set format y '%g'
set label 100 "Scenario create, metric cycles_to_return, ".(guest_instr ? "in instructions (qemu-tcg-det, -icount; not converted to time)." : "converted with the TSC frequency in meta.json.")."\n".\
	"Points: median over repetitions; error bars: min to max. Size 0 is drawn at the '0' tick (log axis).\n".\
	"vfork includes the time its child runs before releasing the parent; clone_vm shares the address space (no page tables copied)." @caption_at

file(v) = datadir.'/create_latency_'.v.'.csv'
do for [fmt in 'png svg'] {
	eval terminal(fmt)
	set output output(fmt)
	plot for [v in series] file(v) skip 1 using (xpos($1)):2:3:4 \
		lc rgb vcolor(v) lw 1.5 pt 7 ps 0.8 title vlabel(v)
}
unset output
