#!/bin/sh
# subject-api.sh: what a subject's maple tree API offers, found at build time
# from its header (never from its version number).
#
#   scripts/subject-api.sh NAME SHIMS HEADER [SOURCE...] > subject-api.h
#
# NAME is the subject's name in messages ("linux-source-6.1"), SHIMS the
# folder of our shim headers (include/), HEADER the subject's
# include/linux/maple_tree.h, SOURCES its lib/maple_tree.c (first) and
# lib/test_maple_tree.c.  Prints a C header of HAVE_* macros, one per
# optional API (see the table below); the driver and the checks adapt to
# them, and a check that needs a missing one reports itself skipped with
# "<NAME> has no <api>()".  The API comes from the header; only the
# userspace test hooks (mt_set_non_kernel() and friends, include/harness.h),
# which a kernel tree defines in lib/maple_tree.c under !__KERNEL__, come
# from that file.
#
# Fails, with a message naming what is missing, when the subject cannot be
# built by this harness at all:
#   - the header lacks an API every part of the harness uses (REQUIRED);
#   - a declaration the driver calls has a form it does not know (mt_dump);
#   - a source or the header includes a kernel header we have no shim for.
# See docs/harness.md, "What a subject must provide".
set -eu

if [ $# -lt 3 ]; then
	echo "usage: subject-api.sh NAME SHIMS HEADER [SOURCE...]" >&2
	exit 2
fi
name=$1
shims=$2
header=$3
shift 3

fail() {
	echo "subject-api: $name: $*" >&2
	echo "subject-api: see docs/harness.md, \"What a subject must provide\"" >&2
	exit 1
}

[ -f "$header" ] || fail "no header $header"
impl=${1:-}
tests=${2:-}

# The header without comments, on one line: declarations may span lines.
flat=$(perl -0777 -pe 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s{\\\n}{ }g; s{\s+}{ }g' "$header")

# has WORD: the header names WORD as a function, macro or type followed by
# "(" or as a whole word (PATTERN given as an extended regex).
has() {
	printf '%s' "$flat" | grep -Eq "$1"
}
fn() {
	has "(^|[^A-Za-z0-9_])$1 ?\\("
}

# ------------------------------------------------------------ required
# What the driver, the checks and every test module use unconditionally.
missing=
for f in mtree_load mtree_store_range mtree_insert_range mtree_insert \
	 mtree_erase mtree_destroy __mt_destroy mt_init_flags mas_walk \
	 mas_find mas_find_rev mas_store mas_store_gfp mas_erase mas_destroy \
	 mas_set_range mas_pause mas_empty_area mas_empty_area_rev \
	 mtree_alloc_range mtree_alloc_rrange mt_find mt_validate mt_dump \
	 maple_tree_init MA_STATE mas_for_each mt_for_each MT_BUG_ON \
	 mt_set_external_lock mt_height; do
	fn "$f" || missing="$missing $f()"
done
for w in maple_tree_tests_run maple_tree_tests_passed MT_FLAGS_ALLOC_RANGE \
	 MT_FLAGS_USE_RCU MT_FLAGS_LOCK_EXTERN; do
	has "(^|[^A-Za-z0-9_])$w([^A-Za-z0-9_]|\$)" || missing="$missing $w"
done
[ -z "$missing" ] ||
	fail "include/linux/maple_tree.h lacks what the harness needs:$missing"

# The test hooks the checks use unconditionally (include/harness.h).
impl_flat=
if [ -n "$impl" ] && [ -f "$impl" ]; then
	impl_flat=$(perl -0777 -pe 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s{\s+}{ }g' "$impl")
	for f in mt_set_non_kernel mt_nr_allocated mt_nr_tallocated \
		 mt_zero_nr_tallocated; do
		printf '%s' "$impl_flat" | grep -Eq "(^|[^A-Za-z0-9_])$f ?\\(" ||
			missing="$missing $f()"
	done
	[ -z "$missing" ] ||
		fail "lib/maple_tree.c defines no userspace test hook$missing" \
		     "(under #ifndef __KERNEL__; see include/harness.h)"
fi

# ------------------------------------------------------ known variants
# mt_dump(): one argument until 6.3, a format since.
dump=$(printf '%s' "$flat" | grep -Eo 'void mt_dump ?\([^)]*\)' | head -n 1)
commas=$(printf '%s' "$dump" | tr -cd , | wc -c)
case $commas:$dump in
"1:"*"struct maple_tree"*"enum mt_dump_format"*)	dump_format=1 ;;
"0:"*"struct maple_tree"*)				dump_format=0 ;;
*)	fail "unknown mt_dump() declaration '$dump': teach maple.c" \
	     "(check_failed) and scripts/subject-api.sh its form" ;;
esac

# --------------------------------------------------------- shim headers
# Every kernel header the subject includes must be one of our shims (or its
# own maple_tree.h); otherwise say which, before the compiler does.
for src in "$header" "$@"; do
	[ -f "$src" ] || fail "no source $src"
	for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$src"); do
		[ "$inc" = linux/maple_tree.h ] && continue
		[ -f "$shims/$inc" ] ||
			fail "$(basename "$src") includes <$inc>, which the harness has" \
			     "no shim for: add $shims/$inc (and what it declares to linux.c)"
	done
done

# ------------------------------------------------------------- optional
# MACRO  REGEX  WHAT (for the comment)
probe() {
	if has "$2"; then
		printf '#define %-28s 1\t/* %s */\n' "$1" "$3"
	else
		printf '/* #undef %-28s no %s */\n' "$1" "$3"
	fi
}
fnre() {
	printf '(^|[^A-Za-z0-9_])%s ?\\(' "$1"
}

cat <<EOF
/* Made by scripts/subject-api.sh from $header. */
/* What the subject's maple tree API offers; the checks adapt to it. */
#ifndef HARNESS_SUBJECT_API_H
#define HARNESS_SUBJECT_API_H

#define SUBJECT_NAME "$name"

EOF
probe HAVE_MTREE_DUP "$(fnre mtree_dup)" "mtree_dup()"
probe HAVE___MT_DUP "$(fnre __mt_dup)" "__mt_dup()"
probe HAVE_MT_DUMP_FORMAT "enum mt_dump_format" "mt_dump(mt, enum mt_dump_format)"
probe HAVE_MAS_FIND_RANGE "$(fnre mas_find_range)" "mas_find_range()"
probe HAVE_MAS_NEXT_RANGE "$(fnre mas_next_range)" "mas_next_range()"
probe HAVE_MTREE_ALLOC_CYCLIC "$(fnre mtree_alloc_cyclic)" "mtree_alloc_cyclic()"
probe HAVE_MAS_ALLOC_CYCLIC "$(fnre mas_alloc_cyclic)" "mas_alloc_cyclic()"
probe HAVE_MT_FLAGS_ALLOC_WRAPPED "define MT_FLAGS_ALLOC_WRAPPED" "MT_FLAGS_ALLOC_WRAPPED"
probe HAVE_MAS_STATUS "enum maple_status" "enum maple_status (mas->status)"
probe HAVE_MAS_STORE_TYPE "enum store_type" "enum store_type (mas->store_type)"
probe HAVE_MT_WRITE_LOCK_IS_HELD "$(fnre mt_write_lock_is_held)" "mt_write_lock_is_held()"
probe HAVE_MAS_EXPECTED_ENTRIES "$(fnre mas_expected_entries)" "mas_expected_entries()"
probe HAVE_MAS_PREALLOCATE "$(fnre mas_preallocate)" "mas_preallocate()"
probe HAVE_MT_ON_STACK "$(fnre mt_on_stack)" "mt_on_stack()"
probe HAVE_MAS_FOR_EACH_REV "define mas_for_each_rev" "mas_for_each_rev() (6.13)"
probe HAVE_MAS_NOMEM_NOFAIL "$(fnre mas_nomem_nofail)" "mas_nomem_nofail() (7.x)"
probe HAVE_MA_STATE_SHEAF "struct slab_sheaf" "slab sheaves in struct ma_state (6.18)"
probe HAVE_MAPLE_COPY "maple_copy[ ,]" "maple_copy nodes for split and rebalance (7.1)"
probe HAVE_MAPLE_ALLOC "struct maple_alloc \\{" "struct maple_alloc (gone in 7.0)"
# Test hooks defined in lib/maple_tree.c.
flat=$impl_flat
probe HAVE_MT_SET_CALLBACK "$(fnre mt_set_callback)" "mt_set_callback(), mt_set_private()"
probe HAVE_MT_GET_ALLOC_SIZE "$(fnre mt_get_alloc_size)" "mt_get_alloc_size()"

# ------------------------------------------------------ known failures
# Assertions a test module fails against its own tree, in the kernel's own
# userspace harness (tools/testing/radix-tree) as in ours: keyed by the
# sha256 of lib/test_maple_tree.c, so they apply to that exact file only.
# The driver prints them and does not count them (maple.c, run_module()).
#   sha256  function:line ...  | why
known='
a1c6362e999f00db3218c37a8cc14fa28fcdd37e1addd9e4266ad71f7126caf9 next_prev_test:1991 | Linux 6.1.192 (Debian 12): the test expects mas_next() past the last entry to leave index at the first free index (last_index), 6.1 sets it to the limit; its own tools/testing/radix-tree fails there too
'
if [ -n "$tests" ] && [ -f "$tests" ]; then
	sum=$(sha256sum "$tests" | cut -d' ' -f1)
	line=$(printf '%s\n' "$known" | grep "^$sum " || true)
	if [ -n "$line" ]; then
		asserts=$(printf '%s' "$line" | sed 's/^[0-9a-f]* \([^|]*\) |.*/\1/; s/ *$//')
		why=$(printf '%s' "$line" | sed 's/^[^|]*| //; s/["\\]/\\&/g')
		printf '\n/* Known failures of this test module against its own tree. */\n'
		printf '#define SUBJECT_MODULE_KNOWN_FAILURES "%s"\n' "$asserts"
		printf '#define SUBJECT_MODULE_KNOWN_WHY "%s"\n' "$why"
	fi
fi
cat <<EOF

#endif /* HARNESS_SUBJECT_API_H */
EOF
