#!/bin/sh
# subject-cc.sh CC ARGS...: compile one of the subject's files (its
# lib/maple_tree.c or lib/test_maple_tree.c) and, if that fails, say which
# kernel services the shims lack, by name, after the compiler's own output.
#
# A subject newer than the shims (include/, linux.c, harness/) may call a
# kernel function, use a type or a constant we have never needed: the
# compiler reports it deep inside the subject's file, often as a warning
# followed by a link error.  Here an undeclared function is an error
# (-Werror=implicit-function-declaration), and the messages are summed up:
#
#   subject-cc: lib/maple_tree.c needs what the shims do not provide:
#     function kmem_cache_prefill_sheaf()   (first at lib/maple_tree.c:1234)
#     type struct slab_sheaf                (first at lib/maple_tree.c:1201)
#
# See docs/harness.md, "A subject newer than 6.12".
set -u

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The source is the argument after -c.
src=
prev=
for a in "$@"; do
	[ "$prev" = -c ] && src=$a
	prev=$a
done

"$@" -Werror=implicit-function-declaration 2>"$log"
status=$?
cat "$log" >&2
[ "$status" = 0 ] && exit 0

# file:line: error: message, with the names between quotes (‘’ or '').
summary=$(perl -ne '
	next unless /^([^:\s]+):(\d+):\d+: (?:fatal )?error: (.*)$/;
	my ($file, $line, $msg) = ($1, $2, $3);
	$file =~ s{.*/(lib|include)/}{$1/};
	my $q = qr/[\x{2018}\x27]|\xe2\x80\x98/;
	my $e = qr/[\x{2019}\x27]|\xe2\x80\x99/;
	my ($kind, $name);
	if ($msg =~ /implicit declaration of function $q(.+?)$e/) {
		($kind, $name) = ("function", "$1()");
	} elsif ($msg =~ /unknown type name $q(.+?)$e/) {
		($kind, $name) = ("type", $1);
	} elsif ($msg =~ /(?:invalid use of undefined type|storage size of .* isn.t known|dereferencing pointer to incomplete type) $q(struct .+?)$e/) {
		($kind, $name) = ("type", $1);
	} elsif ($msg =~ /$q(.+?)$e undeclared/) {
		($kind, $name) = ("constant, variable or macro", $1);
	} elsif ($msg =~ /$q(.+?)$e has no member named $q(.+?)$e/) {
		($kind, $name) = ("member", "$1.$2");
	} elsif ($msg =~ /^(.+?): No such file or directory/) {
		($kind, $name) = ("header", "<$1>");
	} else {
		next;
	}
	next if $seen{"$kind $name"}++;
	# Maple tree names come from the header of the subject, not
	# from a shim: a test module of another tree (KTESTS=) meets those.
	my $own = $name =~ /^(?:struct )?(?:mas_|mte_|mt_|mtree_|ma_|maple_|MAS_|MA_|MT_|MAPLE_)/;
	printf "%s  %-28s %-36s (first at %s:%s)\n", $own ? "api" : "shim",
		$kind, $name, $file, $line;
' "$log")

shims=$(printf '%s\n' "$summary" | sed -n 's/^shim//p')
api=$(printf '%s\n' "$summary" | sed -n 's/^api//p')
if [ -n "$shims" ]; then
	echo "subject-cc: ${src:-the subject} needs what the shims do not provide:" >&2
	printf '%s\n' "$shims" >&2
	echo "subject-cc: declare each in include/ (as the kernel's header" \
	     "of that name does) and define it in linux.c or harness/;" \
	     "see docs/harness.md, \"A subject newer than 6.12\"" >&2
fi
if [ -n "$api" ]; then
	echo "subject-cc: ${src:-the subject} uses maple tree API that the" \
	     "subject's include/linux/maple_tree.h does not declare (a test" \
	     "module from another version of the tree?):" >&2
	printf '%s\n' "$api" >&2
fi
exit "$status"
