# TLB and cache effect of process creation: the cost per access of a warm
# working set just before the call vs right after it, per guest variant.
# Two panels: TLB (one word per page of the parent) and cache (the hot
# working set). Reads datadir/tlb_cache_<kind>_<before|after>_<v>.csv for
# each word of tlb_series and cache_series; a panel with no words says
# "not measured".
figure = 'tlb_cache'
load scriptdir.'/common.gp'
load scriptdir.'/size_axis.gp'

file(kind, when, v) = datadir.'/tlb_cache_'.kind.'_'.when.'_'.v.'.csv'
kind_title(kind) = kind eq 'tlb' ? 'TLB: one word per page of the parent'.(model ? ': model page walks' : '') : 'cache: the hot working set'.(model ? ': model L2 misses' : '')
kind_series(kind) = kind eq 'tlb' ? tlb_series : cache_series

# model = 1: the probes' timings were NA (QEMU TCG) and the panels show
# the fbsim model's counts per pass instead (plugin/README.md).
if (!exists('model')) model = 0
if (model) {
	set ylabel 'model: events per pass (fbsim, not hardware)'
	set yrange [0:*]
} else {
	set ylabel (guest_instr ? instr_label : 'TSC cycles').' per access (log scale)'
	set logscale y 10
}
set format y '%g'
# One key for both panels, in a column of its own right of them, clear of
# the data: a colour per variant of either panel (key_series), and what
# solid and dashed mean. The panels leave it room (margins below).
set key vertical at screen 0.83, screen 0.86 left top Left reverse samplen 3 spacing 1.2
key_entries = "for [v in key_series] keyentry with linespoints lc rgb vcolor(v) lw 1.5 pt 7 ps 0.8 title vlabel(v), ".\
	"keyentry with linespoints lc rgb '#555555' lw 1.5 pt 7 ps 0.8 title 'after the call', ".\
	"keyentry with linespoints lc rgb '#555555' lw 1 dt 2 pt 6 ps 0.8 title 'before the call'"
caption_timing = "Scenarios tlb and cache, metrics *_cycles_per_access_before (dashed, open points) and _after (solid) the call, in " . (guest_instr ? instr_label : 'TSC cycles') . ".\n".\
	"Points: median over repetitions; error bars: min to max. Size 0 is drawn at the '0' tick (log axis). A rise after the call is what\n".\
	"the call cost the TLB or the caches (flushes, copies that evicted the working set)."
caption_model = "MODEL, not hardware: the timings are NA under QEMU TCG; shown are the fbsim plugin's counts for the same passes (plugin/README.md):\n".\
	"sim_stlb_misses_before/_after (page walks of the TLB pass) and sim_l2_misses_before/_after (the cache pass), dashed before the call, solid after.\n".\
	"An LRU TLB/cache model on QEMU's accesses; no prefetchers, page-walk caches or PCID. Median over repetitions (they are identical)."
caption = model ? caption_model : caption_timing

do for [fmt in 'png svg'] {
	eval terminal(fmt)
	set output output(fmt)
	set multiplot layout 1, 2 margins 0.06, 0.81, 0.2, 0.86 spacing 0.07 title "TLB and cache cost of process creation: ".(model ? "model counts per pass" : "per-access cycles")." before vs after the call\n".guest_line
	do for [kind in 'tlb cache'] {
		set title kind_title(kind)
		# Caption and key once, with the first panel.
		if (kind eq 'tlb') { set label 100 caption @caption_at; set key } else { unset label 100; unset key }
		if (words(kind_series(kind)) == 0) {
			# An empty panel still needs ranges it can draw.
			set label 101 'not measured in this set' at graph 0.5, graph 0.5 center
			set yrange [1:10]
			plot NaN notitle, @key_entries
			unset label 101
			set autoscale y
			if (model) { set yrange [0:*] }
		} else {
			plot for [v in kind_series(kind)] file(kind, 'after', v) skip 1 using (xpos($1)):2:3:4 \
				lc rgb vcolor(v) lw 1.5 pt 7 ps 0.8 notitle, \
			     for [v in kind_series(kind)] file(kind, 'before', v) skip 1 using (xpos($1)):2:3:4 \
				lc rgb vcolor(v) lw 1 dt 2 pt 6 ps 0.8 notitle, \
			     @key_entries
		}
	}
	unset multiplot
}
unset output
