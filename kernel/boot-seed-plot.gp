# boot-seed-plot.gp: the seed's fork() table measured in booted kernels
# (scripts/kernel-boot.sh with TREES="old kernel ours", issue 24).
#
#   gnuplot -e "csv='build/kernel-seed.csv'; out='build/kernel-seed.png'; \
#               subtitle='...'" kernel/boot-seed-plot.gp
#
# Reads kernel/boot-tables.py's seed CSV: vmas; old, new, ours as median,
# min, max; the gain of new over old (median, min, max, percent); the
# seed's published gain; ours over old.
# Top: the three kernels' fork()+exit+wait rates, log-log.  Bottom: the
# gain over the pre-series dup_mmap(), ours and the kernel's, beside the
# gain the seed's cover letter published.

if (!exists("csv")) csv = 'build/kernel-seed.csv'
if (!exists("out")) out = 'build/kernel-seed.png'
if (!exists("subtitle")) subtitle = ''

set terminal pngcairo size 1100,1000 font 'DejaVu Sans,11' noenhanced
set output out
set datafile separator ','
set datafile missing ''

set multiplot layout 2,1 margins 0.10,0.96,0.08,0.93 spacing 0,0.09 \
	title "fork() in booted kernels: dup_mmap() before and after __mt_dup()\n".subtitle

set logscale x 10
set xrange [15:80000]
set format x '%.0f'
set xtics (21, 121, 421, 1621, 6421, 25621, 51221) rotate by 45 right
set grid xtics ytics mytics lc rgb '#dddddd'
set key top right box opaque spacing 1.2 height 0.6

set logscale y 10
set format y '%.0s%c'
set ylabel 'forks per ten seconds (log): median, min-max'
set xlabel 'VMAs in the parent (log)'
plot csv using 1:2:3:4 skip 1 with yerrorlines lw 2 pt 9 ps 1.2 \
	lc rgb '#888888' title 'old: one store per VMA', \
     csv using ($1*1.03):5:6:7 skip 1 with yerrorlines lw 2 pt 7 ps 1.2 \
	lc rgb '#1f5fa8' title 'new: __mt_dup(), the kernel tree', \
     csv using ($1*1.06):12:13:14 skip 1 with yerrorlines lw 2 pt 5 ps 1.2 \
	lc rgb '#d2691e' title 'new: __mt_dup(), our tree'

unset logscale y
set format y '%.0f%%'
set yrange [*:*]
set offsets 0, 0, graph 0.1, graph 0.1
set ylabel 'gain over the old dup_mmap() (median; bar: worst to best pair)'
set key top left
plot csv using 1:8:9:10 skip 1 with yerrorlines lw 2 pt 7 ps 1.2 \
	lc rgb '#1f5fa8' title 'the kernel tree, booted', \
     csv using ($1*1.03):15:16:17 skip 1 with yerrorlines lw 2 pt 5 ps 1.2 \
	lc rgb '#d2691e' title 'our tree, booted', \
     csv using 1:11 skip 1 with linespoints lw 2 dt 2 pt 6 ps 1.4 \
	lc rgb '#2e8b57' title "the seed's cover letter (bare metal)"

unset multiplot
