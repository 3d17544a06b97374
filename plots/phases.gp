# Where the creation call's time goes: page-table copy, page copy, TLB
# invalidation and the rest, stacked per parent size, one group of bars
# per guest variant (the sweep's "phases" scenario, or bench phases=1). Left: microseconds;
# right: the same as shares of the call, so small sizes stay readable.
# Reads datadir/phases_<variant>.csv for each word of series: size_bytes,
# four phase medians in us (columns 2-5), four percentages (6-9).
figure = 'phases'
load scriptdir.'/common.gp'

phase_title(i) = i == 0 ? 'page-table copy' : i == 1 ? 'page copy' : i == 2 ? 'TLB invalidation' : 'rest of the call'
phase_color(i) = i == 0 ? '#4c72b0' : i == 1 ? '#dd8452' : i == 2 ? '#55a868' : '#8c8c8c'
file(v) = datadir.'/phases_'.v.'.csv'

# One newhistogram per variant, four stacked columns from first_col on;
# only the first group puts the phases in the key.
group(v, first_col, first) = sprintf("newhistogram '%s' lt 1, ", v) . \
	part(v, first_col, 0, first) . ', ' . part(v, first_col, 1, first) . ', ' . \
	part(v, first_col, 2, first) . ', ' . part(v, first_col, 3, first)
part(v, first_col, i, first) = sprintf("'%s' skip 1 using %d%s lc rgb '%s' %s", \
	file(v), first_col + i, i == 0 ? ':xtic(size_label($1))' : '', phase_color(i), \
	first ? sprintf("title '%s'", phase_title(i)) : 'notitle')

set style data histograms
set style histogram rowstacked gap 1 title offset 0, -1.6 font ',11'
set style fill solid 0.85 border lc rgb '#ffffff'
set boxwidth 0.8
# Seven sizes per variant group: rotated so the labels do not run together.
set xtics nomirror font ',8' rotate by 90 right
set grid noxtics ytics
set bmargin 10
# Under both panels, between the variant names and the caption.
# Inside the left panel's upper right: only the copy group (leftmost)
# reaches up there.
set key inside right top vertical Left reverse
caption = "Scenario phases (create, timed inside the call): metrics phase_pt_copy, phase_page_copy, phase_tlb, phase_rest (the call's kernel cycles minus the three),\n".\
	(guest_instr ? "in instructions (qemu-tcg-det, -icount; not a time). Bars" : "converted to us with the TSC frequency in meta.json. Bars").\
	" stack the median of each phase over repetitions (spread not shown);\n".\
	"bars are grouped by variant, one bar per parent size. A phase not measured at a size leaves a gap."

cmd_us = 'plot '
cmd_pct = 'plot '
first = 1
do for [v in series] {
	sep = first ? '' : ', '
	cmd_us = cmd_us . sep . group(v, 2, first)
	cmd_pct = cmd_pct . sep . group(v, 6, 0)
	first = 0
}

do for [fmt in 'png svg'] {
	eval terminal(fmt)
	set output output(fmt)
	set multiplot layout 1, 2 title "Process creation split into phases (guest kernel, per variant)\n".guest_line
	set title 'time in the call ('.tunit('us').', median per phase, stacked)'
	set ylabel tunit('us')
	set yrange [0:*]
	set key
	set label 100 caption @caption_at
	eval cmd_us
	set title 'share of the call (% of the stacked total)'
	set ylabel '% of the call'
	set yrange [0:100]
	unset key
	unset label 100
	eval cmd_pct
	unset multiplot
}
unset output
