# "A fork() in the road" (Baumann et al., HotOS 2019), Figure 1 style:
# the time to create a process that execs a program, and wait for it, as
# the parent grows. Linear axes, ms over MiB, as in the paper.
# Reads datadir/fork_in_the_road_<key>.csv for each word of series; a key
# is guest_<variant> (guest set) or linux_<variant> (Linux set).
figure = 'fork_in_the_road'
load scriptdir.'/common.gp'

rvariant(k) = k[1:6] eq 'guest_' ? k[7:] : k
native(k) = k[1:6] eq 'linux_'
# From the generated vocab.gp: no variant is named here.
rlabel(k) = native(k) ? 'Linux '.k[7:] : 'guest '.vlabel(rvariant(k))
# Functions, not parenthesised expressions: "dt (" opens a dash pattern.
rdash(k) = native(k) ? 2 : 1
rpoint(k) = native(k) ? 6 : 7
file(k) = datadir.'/fork_in_the_road_'.k.'.csv'

set title "Time to fork+exec vs parent size (after \"A fork() in the road\", Figure 1)\n".both_lines
set xlabel 'parent size (memory touched before the call, MiB)'
set ylabel 'create + exec + wait ('.tunit('ms').')'
# Exact data ranges plus a margin, so points and error bars at the ends
# stay clear of the border (the margin is less than a tick interval: no
# negative tick appears).
set autoscale xfix
set autoscale yfix
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
set format y '%g'
set label 100 "Scenario exec_wait, metric cycles_create_exec_wait: create, the child execs a program, the parent waits. Points: median over repetitions;\n".\
	"error bars: min to max. Solid: guest kernel; dashed: Linux. The paper measured Linux on an Intel i7-6850K (Ubuntu 16.04):\n".\
	"fork+exec grows with the parent to tens of ms, posix_spawn stays near 0.5 ms. Its fork+exec series used dirty and fragmented parents." @caption_at

do for [fmt in 'png svg'] {
	eval terminal(fmt)
	set output output(fmt)
	plot for [k in series] file(k) skip 1 using ($1 / 1048576.0):2:3:4 \
		lc rgb vcolor(rvariant(k)) lw 1.5 dt rdash(k) \
		pt rpoint(k) ps 0.8 title rlabel(k)
}
unset output
