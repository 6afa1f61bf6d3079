# bench-plot.gp: the plot of the userspace fork model (fork/bench.sh, make
# bench-fork): dup_mmap() of each tree in this process, old and new strategy.
#
#   gnuplot -e "dir='build/fork-bench'; olds='kernel61 kernel ours'; \
#               news='kernel ours'; gains='kernel ours'; \
#               out='build/fork-bench.png'; subtitle='...'" fork/bench-plot.gp
#
# Reads, in dir: IMPL-old.dat for each of olds and IMPL-new.dat for each of
# news (VMAs, dup_mmap() per 10 s, dup+exit per 10 s), IMPL-gain.dat for
# each of gains (VMAs, gain of dup_mmap() in %, gain of dup+exit in %) and
# seed-gain.dat (VMAs, the seed's fork() gain in %).  (impls='...' sets all
# three lists, as before.)  Top: rates against VMA count, log-log, one line
# per implementation and strategy.  Bottom: the gain of new over old, with
# the seed's for scale.

if (!exists("dir")) dir = 'build/fork-bench'
if (!exists("impls")) impls = 'kernel'
if (!exists("olds")) olds = impls
if (!exists("news")) news = impls
if (!exists("gains")) gains = impls
if (!exists("out")) out = 'build/fork-bench.png'
if (!exists("subtitle")) subtitle = ''

set terminal pngcairo size 1100,1000 font 'DejaVu Sans,11' noenhanced
set output out

# Colours per implementation: Linux 6.12 blue, 7.3 purple, ours orange,
# Linux 6.1 green.
colour(s) = s eq 'kernel' ? '#1f5fa8' : s eq 'kernel73' ? '#7b3fa0' : \
	    s eq 'kernel61' ? '#2e8b57' : '#d2691e'
name(s) = s eq 'kernel' ? "Linux 6.12's tree" : \
	  s eq 'kernel73' ? "Linux 7.3's tree" : \
	  s eq 'kernel61' ? "Linux 6.1's tree" : 'our tree'

set multiplot layout 2,1 margins 0.10,0.96,0.08,0.93 spacing 0,0.09 \
	title "dup_mmap() on the userspace fork model: old (one store per VMA) vs new (__mt_dup)\n".subtitle

set logscale x 10
set xrange [15:80000]
set format x '%.0f'
set xtics (21, 121, 221, 421, 821, 1621, 3221, 6421, 12821, 25621, 51221) rotate by 45 right
set grid xtics ytics mytics lc rgb '#dddddd'
set key top right box opaque spacing 1.2 height 0.6

# --- rates
set logscale y 10
set format y '%.0s%c'
set ylabel 'dup_mmap() per ten seconds (log)'
set xlabel 'VMAs in the parent (log)'
plot for [i=1:words(olds)] dir.'/'.word(olds, i).'-old.dat' using 1:2 \
	with linespoints lw 2 dt 2 pt 6 ps 1.2 lc rgb colour(word(olds, i)) \
	title name(word(olds, i)).', old: empty tree, one store per VMA', \
     for [i=1:words(news)] dir.'/'.word(news, i).'-new.dat' using 1:2 \
	with linespoints lw 2 dt 1 pt 7 ps 1.2 lc rgb colour(word(news, i)) \
	title name(word(news, i)).', new: __mt_dup, then overwrite'

# --- gains
unset logscale y
set format y '%.0f%%'
set yrange [0:*]
set offsets 0, 0, graph 0.45, 0	# headroom: the key sits above the curves
set ylabel 'gain of new over old'
set key top left
plot for [i=1:words(gains)] dir.'/'.word(gains, i).'-gain.dat' using 1:2 \
	with linespoints lw 2 dt 1 pt 7 ps 1.2 lc rgb colour(word(gains, i)) \
	title name(word(gains, i)).': dup_mmap() alone', \
     for [i=1:words(gains)] dir.'/'.word(gains, i).'-gain.dat' using 1:3 \
	with linespoints lw 2 dt 3 pt 4 ps 1.2 lc rgb colour(word(gains, i)) \
	title name(word(gains, i)).': dup_mmap() + exit_mmap()', \
     dir.'/seed-gain.dat' using 1:2 with linespoints lw 2 dt 1 pt 5 ps 1 \
	lc rgb '#555555' title "the seed's fork() on a kernel (byte-unixbench spawn)"

unset multiplot
