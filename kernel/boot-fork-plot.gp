# boot-fork-plot.gp: the plot of fork() in real kernels booted under QEMU
# (scripts/kernel-boot.sh's fork table, make kernel-boot; issue 14).
#
#   gnuplot -e "csv='build/kernel-fork.csv'; out='build/kernel-fork.png'; \
#               subtitle='...'" kernel/boot-fork-plot.gp
#
# Reads the CSV kernel-boot.sh writes: vmas, kernel median/min/max, ours
# median/min/max, ours/kernel ratio of the medians and its range.
# Top: fork()+exit+wait rate in the guest against VMA count, log-log, the
# median with min-max bars, per tree.  Bottom: ours/kernel with its range.

if (!exists("csv")) csv = 'build/kernel-fork.csv'
if (!exists("out")) out = 'build/kernel-fork.png'
if (!exists("subtitle")) subtitle = ''

set terminal pngcairo size 1100,1000 font 'DejaVu Sans,11' noenhanced
set output out
set datafile separator ','

set multiplot layout 2,1 margins 0.10,0.96,0.08,0.93 spacing 0,0.09 \
	title "fork() + exit + wait in a guest kernel: our maple tree vs Linux 6.12's own\n".subtitle

set logscale x 10
set xrange [15:80000]
set format x '%.0f'
set xtics (21, 101, 421, 1621, 6421, 25621, 51221) rotate by 45 right
set grid xtics ytics mytics lc rgb '#dddddd'
set key top right box opaque spacing 1.2 height 0.6

# --- rates (kernel blue, ours orange, as fork/bench-plot.gp)
set logscale y 10
set format y '%.0s%c'
set ylabel 'forks per ten seconds (log): median, min-max'
set xlabel 'VMAs in the parent (log)'
plot csv using 1:2:3:4 skip 1 with yerrorlines lw 2 pt 7 ps 1.2 \
	lc rgb '#1f5fa8' title "Linux 6.12's tree", \
     csv using ($1*1.04):5:6:7 skip 1 with yerrorlines lw 2 pt 5 ps 1.2 \
	lc rgb '#d2691e' title 'our tree'

# --- ratio
unset logscale y
set format y '%.2f'
set yrange [*:*]
set offsets 0, 0, graph 0.15, graph 0.15
set ylabel 'ours / kernel (median; bar: worst to best pair)'
set key top left
plot csv using 1:8:9:10 skip 1 with yerrorlines lw 2 pt 7 ps 1.2 \
	lc rgb '#d2691e' title 'our tree / the kernel tree', \
     1 with lines lw 1 dt 2 lc rgb '#555555' title 'equal'

unset multiplot
