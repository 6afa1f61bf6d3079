#!/bin/sh
# kernel-boot.sh: our maple tree inside a real Linux 6.12 kernel, booted
# under QEMU beside the kernel's own tree (issue 14, make kernel-boot).
#
#   scripts/kernel-boot.sh              build both kernels, boot each, verdict
#   BOOTS=1 scripts/kernel-boot.sh      one fork table boot of each (two by
#                                       default: the spread spans boots)
#
# 1. Debian's full linux-source-6.12 tree, extracted once into
#    .kernel/full/linux-source-6.12 ("kernel"), and a hard-link copy of it,
#    .kernel/full/ours, with our linux/lib/maple_tree.c and
#    linux/include/linux/maple_tree.h copied in ("ours").
# 2. Each built out of tree (.kernel/full/build/NAME) from tinyconfig +
#    kernel/config.fragment; a build is skipped while the fragment and the
#    tree's two maple tree files are unchanged.
# 3. One initramfs for both (build/kernel/initramfs.cpio.gz): busybox-static,
#    kernel/guest/init, kernel/guest/vma-torture.c and fork/spawn.c, static.
# 4. Each kernel boots under qemu-system-x86_64 (KVM when a probe boot
#    works, TCG otherwise), serial console to build/kernel/TREE-KIND.log:
#    once for the tests (TREE-test.log, SMP CPUs): the kernel's test module
#    at boot, the VMA torture, a kernel-log check; then BOOTS times for the
#    fork table (TREE-forkB.log, one CPU, the test module kept out with
#    initcall_blacklist=maple_tree_seed), alternating kernel, ours, kernel,
#    ours.  Each guest prints "N passed, M failed" and resets; QEMU exits
#    (-no-reboot).  TIMEOUT is only a safety net.
# 5. The fork table of all boots: build/kernel-fork.txt, build/kernel-fork.csv
#    (medians, min-max, ours/kernel), build/kernel-fork-raw.csv (every
#    sample), build/kernel-fork.png.
#
# Exit status 0 only when every boot's guest says "0 failed".  The last
# line is "N passed, M failed", counting boots.
#
# Variables (defaults):
#   TREES="kernel ours"   which kernels, in this order: kernel (pristine),
#                         ours (our two files), old (pristine but for
#                         kernel/fork.c: the pre-series dup_mmap() of
#                         kernel/old-dup-mmap.py)
#   CONFIG=plain          debug: + kernel/debug.fragment (KASAN, lockdep,
#                         PROVE_RCU...), builds and logs named "-debug"
#   STRESS=3              seconds per stress-ng stressor in the test boots
#                         (all CPUs, --verify), 0: none
#   STRESSORS=all         which stress-ng stressors (comma-separated; all:
#                         the guest's list of VMA stressors)
#   STRESS_TABLE=0        seconds per stressor in the fork boots (one CPU,
#                         the instruction clock): the bogo-ops table
#   BOOTS=2               fork table boots of each kernel (0: only build)
#   TESTS=1               0: no test boots (only the fork table)
#   TEST_TREES=all        which trees get a test boot (none: no tree)
#   MODULE_TREES=all      which test boots run the kernel's test module at
#                         boot (the others keep it out: under KASAN and
#                         lockdep the pristine 6.12 tree's module, which
#                         validates the tree after every step, runs for
#                         most of an hour under TCG)
#   TORTURE=30            seconds of vma-torture, 0: none
#   SEED=1                torture seed
#   FORK_VMAS=21,101,421,1621,6421,25621,51221   VMA counts, none: no table
#   ROUNDS=3              fork table rounds per boot
#   FORK_SECONDS=0.2      forking time per measurement (guest seconds; 1
#                         when the clock is the wall's)
#   ICOUNT=1              fork boots under TCG count instructions as time
#                         (0: wall clock)
#   ACCEL=auto            kvm, tcg, or auto (KVM if a probe boot works)
#   SMP=2  MEM=1G         CPUs of the test boots, memory
#   TIMEOUT=1500          seconds a boot may take before it is killed
#   KERNEL_JOBS=2         make -j of the kernel builds
set -eu

. "$(dirname "$0")/kernel-lib.sh"

trees=${TREES:-kernel ours}
boots=${BOOTS:-2}
torture=${TORTURE:-30}
seed=${SEED:-1}
fork_vmas=${FORK_VMAS:-21,101,421,1621,6421,25621,51221}
rounds=${ROUNDS:-3}
fork_seconds=${FORK_SECONDS:-}
stress=${STRESS:-3}
test_trees=${TEST_TREES:-all}
module_trees=${MODULE_TREES:-all}
[ "$test_trees" = all ] && test_trees=$trees
[ "$module_trees" = all ] && module_trees=$trees
stress_table=${STRESS_TABLE:-0}
stressors=
[ "${STRESSORS:-all}" = all ] || stressors="maple.stressors=$STRESSORS"
accel=${ACCEL:-auto}
smp=${SMP:-2}
mem=${MEM:-1G}
timeout=${TIMEOUT:-1500}

out="$kl_top/build/kernel$kl_sfx"
ours_tree="$kl_cache/ours$kl_vsfx"
old_tree="$kl_cache/old$kl_vsfx"
mkdir -p "$out"

# ---------------------------------------------------------------- packages
kl_deps flex bison bc libelf-dev libssl-dev cpio qemu-system-x86 \
	busybox-static gnuplot-nox stress-ng python3

# ----------------------------------------------------------------- kernels
kl_extract
build_start=$(date +%s)
# the pristine kernel first: the other trees' builds start from its objects
build_order=$(for t in $trees; do [ "$t" = kernel ] && echo "$t"; done
	      for t in $trees; do [ "$t" = kernel ] || echo "$t"; done)
for t in $build_order; do
	case $t in
	kernel) kl_build "kernel$kl_sfx" "$kl_src" ;;
	ours) kl_ours_tree "$ours_tree"; kl_build "ours$kl_sfx" "$ours_tree" ;;
	old) kl_old_tree "$old_tree"; kl_build "old$kl_sfx" "$old_tree" ;;
	*) kl_die "unknown tree '$t' in TREES (kernel, ours, old)" ;;
	esac
done
build_time=$(($(date +%s) - build_start))

# --------------------------------------------------------------- initramfs
kl_say "initramfs: busybox, init, vma-torture, spawn, stress-ng"
guest="$out/guest"
mkdir -p "$guest"
cc -O2 -o "$guest/gen_init_cpio" "$kl_src/usr/gen_init_cpio.c"
cc -O2 -g -Wall -static -pthread -o "$guest/vma-torture" \
	"$kl_top/kernel/guest/vma-torture.c" 2>"$guest/cc.log" ||
	{ cat "$guest/cc.log" >&2; kl_die "vma-torture does not build"; }
cc -O2 -g -Wall -static -o "$guest/spawn" "$kl_top/fork/spawn.c" \
	2>>"$guest/cc.log" ||
	{ cat "$guest/cc.log" >&2; kl_die "spawn does not build"; }
busybox=$(command -v busybox)
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	kl_die "$busybox is not static (busybox-static)"
{
	echo "dir /bin 755 0 0"
	echo "dir /dev 755 0 0"
	echo "dir /proc 755 0 0"
	echo "dir /sys 755 0 0"
	echo "dir /tmp 1777 0 0"
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "nod /dev/null 666 0 0 c 1 3"
	echo "file /init $kl_top/kernel/guest/init 755 0 0"
	echo "file /bin/busybox $busybox 755 0 0"
	echo "file /bin/vma-torture $guest/vma-torture 755 0 0"
	echo "file /bin/spawn $guest/spawn 755 0 0"
	for a in $("$busybox" --list); do
		[ "$a" = busybox ] || echo "slink /bin/$a busybox 777 0 0"
	done
	# Debian's stress-ng as the package ships it, with the shared
	# libraries ldd names, at the paths the loader looks in
	stress_ng=$(command -v stress-ng) || kl_die "no stress-ng"
	echo "file /bin/stress-ng $stress_ng 755 0 0"
	ldd "$stress_ng" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
		sort -u >"$guest/stress-ng.libs"
	[ -s "$guest/stress-ng.libs" ] || kl_die "ldd lists no library of $stress_ng"
	xargs -n1 dirname <"$guest/stress-ng.libs" | sort -u | while read -r d; do
		p=
		for c in $(echo "$d" | tr '/' ' '); do
			p="$p/$c"
			echo "dir $p 755 0 0"
		done
	done | awk '!seen[$0]++'
	while read -r l; do
		echo "file $l $(readlink -f "$l") 755 0 0"
	done <"$guest/stress-ng.libs"
} >"$guest/initramfs.list"
"$guest/gen_init_cpio" "$guest/initramfs.list" | gzip -6 >"$out/initramfs.cpio.gz"

if [ "$boots" = 0 ]; then
	kl_say "BOOTS=0: built $trees and the initramfs, no boot"
	exit 0
fi

# -------------------------------------------------------------------- QEMU
qemu() {
	image=$1 log=$2 append=$3
	shift 3
	# shellcheck disable=SC2086
	timeout "$timeout" qemu-system-x86_64 ${boot_accel:-$accel_args} -smp "$qemu_smp" -m "$mem" \
		-nodefaults -display none -no-reboot -serial "file:$log" \
		-kernel "$image" -initrd "$out/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 log_buf_len=4M $append" "$@"
}

first_tree=$(echo "$trees" | cut -d' ' -f1)
first_image="$kl_builds/$first_tree$kl_sfx/arch/x86/boot/bzImage"
probe_kvm() {
	[ -c /dev/kvm ] || { accel_why="no /dev/kvm"; return 1; }
	[ -r /dev/kvm ] && [ -w /dev/kvm ] ||
		{ accel_why="/dev/kvm not accessible"; return 1; }
	accel_args="-accel kvm -cpu host"
	rm -f "$out/probe.log"
	qemu_smp=1
	boot_timeout=$timeout
	timeout=60
	if qemu "$first_image" "$out/probe.log" \
		"initcall_blacklist=maple_tree_seed maple.probe=1" 2>"$out/probe.err" &&
	   grep -q 'guest: probe ok' "$out/probe.log"; then
		timeout=$boot_timeout
		return 0
	fi
	timeout=$boot_timeout
	accel_why="a KVM probe boot failed: $(head -c 200 "$out/probe.err" | tr '\n' ' ')"
	return 1
}
case $accel in
kvm) accel_args="-accel kvm -cpu host"; accel_why="asked for" ;;
tcg) accel_args="-accel tcg"; accel_why="asked for" ;;
auto)
	if probe_kvm; then
		accel=kvm
		accel_why="the probe boot worked"
	else
		accel=tcg
		accel_args="-accel tcg"
	fi
	;;
*) kl_die "ACCEL must be kvm, tcg or auto" ;;
esac
kl_say "accelerator: $accel ($accel_why)"

# -------------------------------------------------------------------- boots
# what a kernel says when something went wrong (kernel/guest/init greps
# the same in dmesg)
kernel_trouble='Oops|BUG[: ]|WARNING:|Call Trace|general protection|RCU stall|rcu: INFO|INFO: task|UBSAN:|Kernel panic|segfault at|stack guard|corrupted|Bad page|bad_page'
# the console without the OOM killer's reports and the allocation
# failures of the tasks it kills (stress-ng's workers ask for them; the
# guest counts them) and without the guest's own quotes
console() {
	awk '/invoked oom-killer/ { oom = 1 } /page allocation failure/ { oom = 2 }
	     !oom { print }
	     oom == 1 && /Out of memory: Killed process|oom_reaper:|Memory cgroup out of memory/ { oom = 0 }
	     oom == 2 && /<\/TASK>/ { oom = 0 }' "$1" |
		grep -a -v -E '^guest: (dmesg|subject splat): '
}
# a splat's first line: what splats.txt lists
splat_titles='BUG: |WARNING: |INFO: |Oops|general protection|Kernel panic|RCU stall|\.[ch]:[0-9]+ suspicious'
boots_passed=0
: >"$out/splats.txt"
boots_failed=0
summary="$out/summary.txt"
: >"$summary"

# boot TREE KIND LOG SMP APPEND [QEMU ARGS]: one boot, its verdict counted
boot() {
	t=$1 kind=$2 log=$3 boot_smp=$4 append=$5
	shift 5
	rm -f "$log"
	kl_say "$kind boot of $t ($accel, $boot_smp CPU): log ${log#"$kl_top"/}"
	start=$(date +%s)
	rc=0
	qemu_smp=$boot_smp
	# Under TCG an SMP boot gets one host thread per vCPU (MTTCG), so
	# that the torture's readers and writers run on different CPUs at
	# once; -icount (the fork boots, one CPU) needs the single thread.
	boot_accel=
	if [ "$accel" = tcg ] && [ "$boot_smp" -gt 1 ]; then
		boot_accel="-accel tcg,thread=multi"
	fi
	# The pristine kernel's splats are the subject's: reported, listed
	# in splats.txt, not failed (SUBJECT_SPLATS=fail fails them too).
	# Ours and the old kernel (whose only change is ours) always fail.
	splats=fail
	[ "$t" = kernel ] && [ "${SUBJECT_SPLATS:-report}" = report ] && splats=report
	qemu "$kl_builds/$t$kl_sfx/arch/x86/boot/bzImage" "$log" \
		"maple.tree=$t maple.cpus=$boot_smp maple.splats=$splats $append" "$@" || rc=$?
	took=$(($(date +%s) - start))
	verdict=$(grep -a -o 'guest: [0-9]* passed, [0-9]* failed' "$log" | tail -n 1 || true)
	grep -a -E 'guest: (PASS|FAIL)|guest: module:|vma-torture: seed .*mismatches|MISMATCH|guest: dmesg:' \
		"$log" | sed "s/^/    $t: /" >&2 || true
	# the serial console saw every kernel message, even any the guest's
	# log buffer lost: scan it too
	suspicious=$(console "$log" | grep -a -c -E "$kernel_trouble" || true)
	subject=
	if [ "$splats" = report ] && [ "$suspicious" != 0 ]; then
		# the splats' title lines and the first frame past the
		# reporting machinery, into splats.txt
		{
			echo "== $t $kind ($(basename "$log")): $suspicious lines"
			grep -a -E "$splat_titles" "$log" | sed 's/^\[[ 0-9.]*\] //' |
				sort | uniq -c | sort -rn
		} >>"$out/splats.txt"
		subject="; $suspicious splat lines of the subject's (splats.txt)"
		suspicious=0
	fi
	if [ $rc = 124 ]; then
		verdict="killed after ${timeout}s"
	elif [ -z "$verdict" ]; then
		verdict="no verdict (qemu exit $rc)"
	fi
	# the old tree says once, at its first fork, that it copies VMA by
	# VMA: without that line the boot measured the wrong kernel
	if [ "$t" = old ] && ! grep -a -q 'dup_mmap: pre-__mt_dup() duplication' "$log"; then
		verdict="$verdict; no pre-series dup_mmap() line: not the old kernel"
		suspicious=$((suspicious + 1))
	fi
	if [ "$suspicious" != 0 ]; then
		verdict="$verdict; $suspicious suspicious kernel lines on the console"
		console "$log" | grep -a -E "$kernel_trouble" |
			head -n 20 | sed 's/^/    ! /' >&2
	fi
	case $verdict in
	"guest: "*" 0 failed") boots_passed=$((boots_passed + 1)); mark=ok ;;
	*) boots_failed=$((boots_failed + 1)); mark=FAILED
	   tail -n 30 "$log" | sed 's/^/    | /' >&2 ;;
	esac
	kl_say "$kind boot of $t: $mark in ${took}s: ${verdict#guest: }$subject"
	printf '%-6s %-6s %-6s %5ss  %s\n' "$t" "$kind" "$mark" "$took" \
		"${verdict#guest: }$subject" >>"$summary"
}

# The tests: the kernel's test module at boot, the torture, stress-ng,
# the kernel log.  Logs of an earlier run go first: tables read every log.
rm -f "$out"/*-test.log "$out"/*-fork[0-9]*.log
[ "${TESTS:-1}" = 0 ] ||
for t in $trees; do
	case " $test_trees " in *" $t "*) ;; *) continue ;; esac
	module="maple.module=0 initcall_blacklist=maple_tree_seed"
	case " $module_trees " in *" $t "*) module= ;; esac
	boot "$t" test "$out/$t-test.log" "$smp" \
		"maple.seed=$seed maple.torture=$torture maple.fork=none maple.stress=$stress $stressors $module"
done

# The fork table: boots of their own, alternating between the kernels, one
# CPU, the test module kept out.  Under TCG the guest's clock counts
# instructions (-icount shift=0,sleep=off: one instruction, one
# nanosecond), so that the rates measure the guest's work and not how busy
# the shared host was: wall-clock rates of one kernel varied by 2.5x
# between rounds here, instruction-clock rates by a few percent.
# ICOUNT=0 measures wall-clock time instead (KVM always does).
fork_args=
fork_clock="wall clock"
if [ "$accel" = tcg ] && [ "${ICOUNT:-1}" = 1 ]; then
	fork_args="-icount shift=0,sleep=off"
	fork_clock="TCG -icount: 1 instruction = 1 ns of guest time"
	fork_seconds=${fork_seconds:-0.2}
fi
fork_seconds=${fork_seconds:-1}
if [ "$fork_vmas" != none ]; then
	b=1
	while [ "$b" -le "$boots" ]; do
		for t in $trees; do
			# shellcheck disable=SC2086
			boot "$t" fork$b "$out/$t-fork$b.log" 1 \
				"initcall_blacklist=maple_tree_seed maple.module=0 maple.torture=0 maple.fork=$fork_vmas maple.rounds=$rounds maple.seconds=$fork_seconds maple.stress=$stress_table maple.workers=1 $stressors" \
				$fork_args
		done
		b=$((b + 1))
	done
fi

# ------------------------------------------------------------------ tables
# kernel/boot-tables.py: medians and ranges of every sample.
# build/kernel-fork.{txt,csv,png}: ours against the pristine kernel;
# build/kernel-seed.{txt,csv,png}: the seed's table, when "old" booted;
# build/kernel-stress.{txt,csv}: stress-ng bogo-ops, when STRESS_TABLE.
prefix="$kl_top/build/kernel$kl_sfx"
raw="$prefix-fork-raw.csv"
sublevel=$(sed -n 's/^SUBLEVEL = //p' "$kl_src/Makefile")
labels="version=$kl_version.$sublevel boots=$boots rounds=$rounds"
if [ "$fork_vmas" != none ] && [ "$boots" -gt 0 ]; then
	echo "tree,boot,round,vmas,forks_per_10s" >"$raw"
	echo "tree,boot,stressor,rc,bogo_ops" >"$prefix-stress-raw.csv"
	for t in $trees; do
		b=1
		while [ "$b" -le "$boots" ]; do
			log="$out/$t-fork$b.log"
			grep -a -o "fork: tree $t round [0-9]* vmas [0-9]* rate [0-9.]*" \
				"$log" 2>/dev/null |
				awk -v b="$b" '{ print $3 "," b "," $5 "," $7 "," $9 }' >>"$raw" || true
			grep -a -o "stress: tree $t stressor [a-z0-9-]* rc [0-9]* bogo-ops [0-9a-z]*" \
				"$log" 2>/dev/null |
				awk -v b="$b" '{ print $3 "," b "," $5 "," $7 "," $9 }' \
				>>"$prefix-stress-raw.csv" || true
			b=$((b + 1))
		done
	done
	rm -f "$prefix-fork.txt" "$prefix-fork.csv" "$prefix-seed.txt" "$prefix-seed.csv"
	# shellcheck disable=SC2086
	python3 "$kl_top/kernel/boot-tables.py" fork "$raw" "$prefix" \
		"clock=$fork_clock" $labels
	for f in fork seed; do
		[ -f "$prefix-$f.txt" ] || continue
		cat "$prefix-$f.txt" >&2
		command -v gnuplot >/dev/null || continue
		[ "$(wc -l <"$prefix-$f.csv")" -gt 1 ] || continue
		gnuplot -e "csv='$prefix-$f.csv'; out='$prefix-$f.png'; \
			subtitle='$fork_clock; $boots boot(s) x $rounds rounds each, Linux $kl_version.$sublevel tinyconfig + kernel/config.fragment'" \
			"$kl_top/kernel/boot-$f-plot.gp" &&
			kl_say "plot: build/kernel$kl_sfx-$f.png"
	done
	if [ "$stress_table" != 0 ]; then
		# shellcheck disable=SC2086
		python3 "$kl_top/kernel/boot-tables.py" stress \
			"$prefix-stress-raw.csv" "$prefix" "clock=$fork_clock" $labels
		cat "$prefix-stress.txt" >&2
	fi
fi

echo "kernel-boot: builds ${build_time}s; $accel; boots:" >&2
sed 's/^/    /' "$summary" >&2
echo "$boots_passed passed, $boots_failed failed"
[ "$boots_failed" = 0 ]
