# Shared by every figure script; loaded first.
#
# forkbench plot sets these with gnuplot -e before the script runs:
#   scriptdir        this directory (to load the other shared files)
#   datadir          OUT/data: the aggregated CSV files, one per series
#   outdir           OUT: where NAME.png and NAME.svg go
#   subtitle         the guest set's machine, backend and validity verdict
#   native_subtitle  the same for the Linux set, '' without one
#   guest_instr      1: the guest set's timings are instructions
#                    (qemu-tcg-det, -icount), drawn as they are, not as time
#   guest_native     1: the "guest" set is a host-native Linux set
#   guest_clock      the guest set's clock: 'TSC cycles' or
#                    'instructions (qemu-tcg-det, -icount)'
#   native_clock     the same for the Linux set, '' without one
#   zero_x xmin xmax the size axis (see size_axis.gp)
# datadir/vocab.gp (written by forkbench plot): vlabel(v), vcolor(v).
# Data files: a header line (skipped), then size_bytes,median,min,max,reps
# (phases_*.csv: size_bytes, four phase medians in us, four percentages).

set datafile separator comma
set datafile missing 'NaN'

# Both formats from the same commands: a script loops over fmt.
png_term = "set terminal pngcairo size 1400,760 font 'Sans,10' noenhanced"
svg_term = "set terminal svg size 1400,760 font 'Sans,10' noenhanced dynamic background rgb 'white'"
terminal(fmt) = fmt eq 'png' ? png_term : svg_term
output(fmt) = outdir.'/'.figure.'.'.fmt

if (!exists('guest_instr')) guest_instr = 0
if (!exists('guest_native')) guest_native = 0
if (!exists('guest_clock')) guest_clock = 'TSC cycles'
if (!exists('native_clock')) native_clock = 'TSC cycles'
# The unit of a time axis: u (us, ms) converted from TSC cycles, or the
# instruction count of a qemu-tcg-det set, which is not a time.
instr_label = 'instructions (qemu-tcg-det, -icount)'
tunit(u) = guest_instr ? instr_label : u

# Titles: the figure's own line, then the machines it was measured on and
# the clock each side was timed with. A Linux set is host-native, or the
# Linux peer guest on the same backend as ours (forkbench run --os linux).
if (!exists('guest_peer')) guest_peer = 0
if (!exists('native_peer')) native_peer = 0
linux_kind(peer) = peer ? 'Linux peer' : 'Linux, host-native'
guest_line = (guest_native || guest_peer ? linux_kind(guest_peer) : 'guest').' (clock: '.guest_clock.'): '.subtitle
linux_line = linux_kind(native_peer).' (clock: '.native_clock.'): '.native_subtitle
both_lines = strlen(native_subtitle) ? guest_line."\n".linux_line : guest_line

# 2 KiB, 16 MiB, 1 GiB: sizes the way they are passed on the command line.
size_label(s) = s >= 2**30 ? sprintf('%gG', s / 2.0**30) : \
	s >= 2**20 ? sprintf('%gM', s / 2.0**20) : \
	s >= 2**10 ? sprintf('%gK', s / 2.0**10) : sprintf('%g', s)

# vlabel(v) and vcolor(v), generated from the vocabulary (one colour per
# mechanism; Linux's counterpart shares it, dashed).
load datadir.'/vocab.gp'

set grid xtics ytics mytics lc rgb '#dddddd' lw 1
set border lc rgb '#555555'
set key outside right top vertical Left reverse samplen 3 spacing 1.2
set style data yerrorlines
set bars small

# The caption goes under the plot: leave room for it.
set bmargin 7
caption_at = "at screen 0.01, screen 0.075 left front font ',9' tc rgb '#333333'"
