# Copy-on-write cost per written page vs parent size, per guest variant.
# Reads datadir/cow_cost_<variant>.csv for each word of series.
figure = 'cow_cost'
load scriptdir.'/common.gp'
load scriptdir.'/size_axis.gp'

set title "Cost of a write to a page after process creation\n".guest_line
set ylabel 'time per written page ('.tunit('us').', log scale)'
set logscale y 10
set format y '%g'
set label 100 "Scenario cow, metric cycles_per_write: after the call the writer touches k pages; the first write to a shared page faults and copies it\n(or just makes it writable when the writer is its only owner).\n".\
	"Points: median over repetitions; error bars: min to max. Size 0 is drawn at the '0' tick (log axis).\n".\
	"copy already copied every page (no faults); vfork and clone_vm share the memory, so their writes never fault." @caption_at

file(v) = datadir.'/cow_cost_'.v.'.csv'
do for [fmt in 'png svg'] {
	eval terminal(fmt)
	set output output(fmt)
	plot for [v in series] file(v) skip 1 using (xpos($1)):2:3:4 \
		lc rgb vcolor(v) lw 1.5 pt 7 ps 0.8 title vlabel(v)
}
unset output
