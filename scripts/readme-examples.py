#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""readme-examples.py: build and run every code example of README.md.

Every fenced block of the README carries its kind:

  ```c        a check (it has DEFINE_CHECK): added to checks/ of a scratch
              copy of the tree, built into ./maple and run by name; or a
              program (it has main()): built with `make -s cflags`/`libs`
              and run
  ```sh       commands: each line (each part of a `&&` chain) is run as
              written in the scratch copy, or as a dry run (make -n) or not
              at all where RULES below say so and why
  ```console  a gdb session: the `$ ` line starts gdb, the `(gdb) ` lines
              are its commands, every other line is output that must appear
              (hexadecimal addresses excepted)
  ```text     not code (a drawing, a listing): nothing to run

A block without a kind, a command no rule covers, or a rule that covers no
command fails the run, so that an example cannot be added without being
run, nor go stale.  The copy (build/readme/tree, with HOME at
build/readme/home) keeps the real tree and home untouched.  The last line
is "N passed, M failed, K skipped": examples that ran and passed, failed,
and were not run (each with its reason).

    scripts/readme-examples.py [README.md]
"""
import os
import re
import shutil
import subprocess
import sys

TOP = os.path.realpath(os.path.join(os.path.dirname(__file__), '..'))
WORK = os.path.join(TOP, 'build', 'readme')
TREE = os.path.join(WORK, 'tree')
HOME = os.path.join(WORK, 'home')
JOBS = os.environ.get('JOBS', '2')

RUN, DRY, SKIP = 'run', 'dry run', 'skipped'

# (pattern of one command, what is done, why; a prerequisite command or None)
RULES = [
    (r'scripts/setup\.sh', SKIP,
     'installs packages with apt as root; CI runs it through .ci/run', None),
    (r'\.ci/run', SKIP,
     'it is make check, which runs this leg', None),
    (r'(\w+=\S+ )*make (bench|bench-fork|bench-spawn)( .*)?', DRY,
     'minutes of benchmarks: the targets and variables are checked with '
     'make -n', None),
    (r'make (maple|lib|help|install|tree-picture)( .*)?', RUN, '', None),
    (r'(\./maple|build/[\w.-]+/maple)( .*)?', RUN, '', None),
    (r'build/bench-ours/mtbench .*', RUN, '',
     # built as make bench (scripts/bench.sh) builds it
     'make -s -j%s mtbench O=build/bench-ours KDIR=linux OPT=-O2' % JOBS),
    (r'scripts/bench-pair\.py .*', RUN, '',
     # the two builds of its example, as make bench builds them
     'make -s -j%s mtbench O=build/bench-ours KDIR=linux OPT=-O2 && '
     'make -s -j%s mtbench O=build/bench-nodebug-ours KDIR=linux OPT=-O2 '
     'DEBUG_TREE=0' % (JOBS, JOBS)),
    (r'gdb --args \./maple .*', RUN, '', None),
    (r'make valgrind VALGRIND_ARGS=\S+', RUN, '', None),
    (r'(\w+=\S+ )*make valgrind( .*)?', DRY,
     'minutes under valgrind (the valgrind leg runs it): checked with '
     'make -n', None),
    (r'cc .*', RUN, '', None),
]

# The README's placeholders, and what stands for them here.
PLACEHOLDERS = [
    # "tests/outoftree/prog.c is a working example"
    (r'(?<![\w/.])prog\.c\b', 'tests/outoftree/prog.c'),
]


class Result:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.used_rules = set()

    def ok(self, where, what):
        self.passed += 1
        print('ok       %s: %s' % (where, what))

    def fail(self, where, what, why, output=''):
        self.failed += 1
        print('FAILED   %s: %s: %s' % (where, what, why))
        for line in output.rstrip('\n').split('\n')[-25:]:
            if line:
                print('    ' + line)

    def skip(self, where, what, why):
        self.skipped += 1
        print('skipped  %s: %s (%s)' % (where, what, why))


def blocks(path):
    """Yield (line of the opening fence, kind, lines) of each block."""
    with open(path) as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        m = re.match(r'^```(\S*)\s*$', lines[i])
        if not m:
            i += 1
            continue
        start, kind, body = i + 1, m.group(1), []
        i += 1
        while i < len(lines) and not lines[i].startswith('```'):
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise SystemExit('%s:%d: a block that never ends' % (path, start))
        yield start, kind, body
        i += 1


def sh(cmd, timeout=900, env=None):
    """Run @cmd with sh in the copy; (status, output)."""
    e = dict(os.environ)
    e.update({'HOME': HOME, 'MAKEFLAGS': '',
              'PKG_CONFIG_PATH': os.path.join(HOME, '.local/lib/pkgconfig'),
              'LD_LIBRARY_PATH': os.path.join(HOME, '.local/lib')})
    e.update(env or {})
    try:
        p = subprocess.run(['sh', '-c', cmd], cwd=TREE, env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
    except subprocess.TimeoutExpired as ex:
        out = (ex.stdout or b'').decode(errors='replace')
        return 124, out + '\n(timed out after %ds)' % timeout
    return p.returncode, p.stdout.decode(errors='replace')


def copy_tree():
    """The files git knows (tracked, or untracked and not ignored)."""
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(HOME)
    files = subprocess.run(
        ['git', 'ls-files', '-z', '-c', '-o', '--exclude-standard'],
        cwd=TOP, check=True, stdout=subprocess.PIPE).stdout.split(b'\0')
    for name in files:
        name = name.decode()
        src = os.path.join(TOP, name)
        if not name or not os.path.lexists(src) or os.path.isdir(src):
            continue
        dst = os.path.join(TREE, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)
    # Kernel sources are fetched once into .kernel/ and never copied by
    # git: share them, so the copy does not fetch them again.
    kernel = os.path.join(TOP, '.kernel')
    if os.path.isdir(kernel):
        os.symlink(kernel, os.path.join(TREE, '.kernel'))


def logical_lines(body):
    """Join continued lines; drop comments and blank lines."""
    out, cur, first = [], '', None
    for n, line in body:
        if first is None:
            first = n
        if line.endswith('\\'):
            cur += line[:-1]
            continue
        cur += line
        text = re.sub(r'\s+#\s.*$', '', cur).strip()
        if text:
            out.append((first, text))
        cur, first = '', None
    return out


def rule_for(cmd):
    for i, (pattern, action, why, pre) in enumerate(RULES):
        if re.fullmatch(pattern, cmd):
            return i, action, why, pre
    return None


def run_command(res, where, cmd):
    r = rule_for(cmd)
    if not r:
        res.fail(where, cmd, 'no rule in scripts/readme-examples.py says '
                 'how to run this example')
        return False
    i, action, why, pre = r
    res.used_rules.add(i)
    if action == SKIP:
        res.skip(where, cmd, why)
        return True
    for pattern, stand_in in PLACEHOLDERS:
        cmd = re.sub(pattern, stand_in, cmd)
    if pre:
        status, out = sh(pre)
        if status:
            res.fail(where, cmd, 'the build it needs (%s) failed' % pre, out)
            return False
    run = cmd
    if action == DRY:
        run = re.sub(r'(^|\s)make\s', r'\1make -n ', cmd, count=1)
    elif cmd.startswith('gdb --args '):
        run = 'gdb -q -batch -nx -ex run --args ' + cmd[len('gdb --args '):]
    elif cmd.startswith('valgrind '):
        run = 'valgrind --error-exitcode=1 ' + cmd[len('valgrind '):]
    status, out = sh(run)
    if status == 0 and cmd.startswith('gdb ') and \
            not re.search(r'\[Inferior 1 \(process \d+\) exited normally\]',
                          out):
        status = 1
    if status:
        res.fail(where, cmd, 'exit status %d (ran: %s)' % (status, run), out)
        return False
    res.ok(where, cmd + (' (make -n: %s)' % why if action == DRY else ''))
    return True


def run_sh(res, path, start, body):
    numbered = [(start + 1 + k, line) for k, line in enumerate(body)]
    for n, line in logical_lines(numbered):
        for cmd in [c.strip() for c in line.split('&&')]:
            if not run_command(res, '%s:%d' % (path, n), cmd):
                break		# what follows && would not run either


def hex_free(text):
    return re.sub(r'0x[0-9a-f]{6,}', '0x...', text)


def run_console(res, path, start, body):
    where = '%s:%d' % (path, start + 1)
    if not body or not body[0].startswith('$ gdb '):
        res.fail(where, body[0] if body else '(empty)',
                 'a console block is a gdb session that starts "$ gdb "')
        return
    m = re.fullmatch(r'\$ gdb (.*?)--args (.*)', body[0])
    if not m:
        res.fail(where, body[0], 'gdb without --args PROGRAM')
        return
    cmd = 'gdb -q -batch -nx -ex "set pagination off" %s' % m.group(1)
    expected = []
    for line in body[1:]:
        if line.startswith('(gdb) '):
            cmd += " -ex '%s'" % line[len('(gdb) '):].replace("'", "'\\''")
        elif line.strip():
            expected.append(line)
    cmd += ' --args ' + m.group(2)
    status, out = sh('make -s -j%s maple && %s' % (JOBS, cmd))
    seen = set(hex_free(line.strip()) for line in out.split('\n'))
    missing = [e for e in expected if hex_free(e.strip()) not in seen]
    if status or missing:
        res.fail(where, body[0][2:], 'exit status %d; output not seen: %s' %
                 (status, '; '.join(missing) or 'none'), out)
    else:
        res.ok(where, '%s (%d commands, %d lines of output as shown)' %
               (body[0][2:], len(body) - 1 - len(expected), len(expected)))


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else 'README.md'
    readme = os.path.join(TOP, path)
    res = Result()
    all_blocks = list(blocks(readme))
    copy_tree()

    # C examples first: checks join the copy's ./maple, programs build
    # against its library.
    checks, programs = [], []
    for start, kind, body in all_blocks:
        if kind != 'c':
            continue
        text = '\n'.join(body) + '\n'
        where = '%s:%d' % (path, start + 1)
        names = re.findall(r'^DEFINE_CHECK\((\w+)', text, re.M)
        if names:
            name = 'checks/readme_example_%d.c' % (start + 1)
            with open(os.path.join(TREE, name), 'w') as f:
                f.write(text)
            checks.append((where, names))
        elif re.search(r'\bint\s+main\s*\(', text):
            name = 'readme_example_%d.c' % (start + 1)
            with open(os.path.join(TREE, name), 'w') as f:
                f.write(text)
            programs.append((where, name))
        else:
            res.fail(where, 'a C example', 'neither a check (DEFINE_CHECK) '
                     'nor a program (main()): nothing to build it into')
    if checks or programs:
        status, out = sh('make -s -j%s maple lib' % JOBS)
        if status:
            for where, names in checks:
                res.fail(where, ', '.join(names), 'does not build', out)
            checks = []
        for where, names in checks:
            for check in names:
                status, out = sh('./maple -v %s' % check)
                if status == 0 and \
                        not re.search(r'^check %s: ' % check, out, re.M):
                    status = 1		# ran nothing by that name
                if status == 0 and \
                        re.search(r'^check %s: skipped' % check, out, re.M):
                    status = 1		# a skip is no proof that it builds
                if status:
                    res.fail(where, check, 'ran and failed', out)
                else:
                    res.ok(where, '%s built into ./maple, ran: %s' %
                           (check, out.strip().split('\n')[-1]))
        for where, name in programs:
            exe = name[:-2]
            status, out = sh('cc $(make -s cflags) %s -o %s $(make -s libs)'
                             ' && ./%s' % (name, exe, exe))
            if status:
                res.fail(where, name, 'does not build or run', out)
            else:
                res.ok(where, 'a program, built and run')

    for start, kind, body in all_blocks:
        where = '%s:%d' % (path, start)
        if kind == 'sh':
            run_sh(res, path, start, body)
        elif kind == 'console':
            run_console(res, path, start, body)
        elif kind not in ('c', 'text'):
            res.fail(where, '```' + kind, 'a block of no kind this script '
                     'knows (c, sh, console, text)')

    for i, (pattern, _, _, _) in enumerate(RULES):
        if i not in res.used_rules:
            res.fail('scripts/readme-examples.py', pattern,
                     'a rule that no example of %s uses: remove it' % path)
    print('%d passed, %d failed, %d skipped' %
          (res.passed, res.failed, res.skipped))
    return 1 if res.failed else 0


if __name__ == '__main__':
    sys.exit(main())
