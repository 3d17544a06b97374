# Guest variants beside Linux variants: the same metric from both sets.
# Guest lines solid with filled points, Linux dashed with open points;
# a mechanism and its Linux counterpart share a colour (common.gp).
# Reads datadir/guest_vs_linux_guest_<v>.csv for each word of gseries and
# datadir/guest_vs_linux_linux_<v>.csv for each word of lseries.
figure = 'guest_vs_linux'
load scriptdir.'/common.gp'
load scriptdir.'/size_axis.gp'

set title "Process creation: forkbench guest kernel vs Linux\n".both_lines
set ylabel 'until the call returns in the parent ('.tunit('us').', log scale)'
set logscale y 10
set format y '%g'
how = guest_instr ? 'both sets in instructions under -icount, drawn as they are' : \
	"TSC cycles converted with each set's TSC frequency"
caption = 'Scenario create, metric cycles_to_return in both sets: '.how.' (sets in different units are refused).'."\n".\
	"Points: median over repetitions; error bars: min to max. Solid: guest kernel; dashed: Linux. Size 0 is drawn at the '0' tick.\n".\
	"Compare shapes across backends with care: the validity verdicts above say whether the guest's cycles are hardware cycles."
set label 100 caption @caption_at

gfile(v) = datadir.'/guest_vs_linux_guest_'.v.'.csv'
lfile(v) = datadir.'/guest_vs_linux_linux_'.v.'.csv'
# linux_clone_vm -> 'Linux clone_vm'
llabel(v) = v[1:6] eq 'linux_' ? 'Linux '.v[7:] : 'Linux '.v
do for [fmt in 'png svg'] {
	eval terminal(fmt)
	set output output(fmt)
	plot for [v in gseries] gfile(v) skip 1 using (xpos($1)):2:3:4 \
		lc rgb vcolor(v) lw 1.5 pt 7 ps 0.8 title 'guest '.vlabel(v), \
	     for [v in lseries] lfile(v) skip 1 using (xpos($1)):2:3:4 \
		lc rgb vcolor(v) lw 1.5 dt 2 pt 6 ps 0.9 title llabel(v)
}
unset output
