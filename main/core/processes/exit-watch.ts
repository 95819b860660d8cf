// Told at once when a watched process ends, without polling: the kernel's pidfd (pidfd_open(2),
// Linux >= 5.3) becomes readable when its process exits. Node cannot open or poll a pidfd, so a
// small helper does it: perl (perl-base is essential on Debian and Ubuntu), else python3 (3.9+).
// It reads `+ PID STARTTIME` / `- PID` lines on stdin and writes `PID` when that process has
// ended; blocked in select/poll it uses no CPU at all, and it exits when our end of its stdin
// closes (so it never outlives the core).
//
// Why not poll the watched pids often (measured on this 2-core VM, issue 16): one timer wakeup of
// an idle Node process costs 0.2-0.8 ms of CPU here (a C nanosleep loop 0.2-1.2 ms), whatever
// it reads; a pread of one held /proc/PID/stat is 4 us and kill(pid, 0) 3 us. Seeing a SIGKILL
// within 300 ms by polling takes >= 4 wakeups a second: 0.15% of a core, over the whole idle
// budget (0.1%). The helper costs nothing while nothing ends.
//
// Identity: the helper opens the pidfd first, then checks that /proc/PID/stat still shows the
// start time we saw; a pid that ended (and was reused) in between is reported as ended at once.
// Without perl, python3 or pidfd (old kernel), `live` is false: the caller's poll is all there is.
// The helper starts LAUNCH_DELAY_MS after there is first something to watch, so a CLI command
// that polls once and exits never spawns it.
import { spawn, type ChildProcess } from 'node:child_process';

const PERL = String.raw`
$| = 1;
my (%pid_of, %fd_of);
my $buf = '';
sub started { open(my $f, '<', "/proc/$_[0]/stat") or return ''; my $s = <$f>; close $f;
  return '' unless defined $s; $s =~ s/^.*\) //s; my @f = split / /, $s; return $f[19] // ''; }
sub release { my $fd = shift; open(my $h, '<&=', $fd) and close $h; }
while (1) {
  my $rin = '';
  vec($rin, 0, 1) = 1;
  vec($rin, $_, 1) = 1 for keys %pid_of;
  my $n = select(my $rout = $rin, undef, undef, undef);
  next if $n <= 0;
  for my $fd (keys %pid_of) {
    next unless vec($rout, $fd, 1);
    my $pid = delete $pid_of{$fd}; delete $fd_of{$pid}; release($fd); print "$pid\n";
  }
  next unless vec($rout, 0, 1);
  my $r = sysread(STDIN, $buf, 4096, length $buf);
  exit 0 unless $r;
  while ($buf =~ s/^([^\n]*)\n//) {
    my ($op, $pid, $st) = split / /, $1;
    next unless defined $pid && $pid =~ /^\d+$/;
    if ($op eq '-') { my $fd = delete $fd_of{$pid}; if (defined $fd) { delete $pid_of{$fd}; release($fd); } next; }
    next if exists $fd_of{$pid};
    my $fd = syscall(434, $pid + 0, 0);
    if ($fd < 0) { if ($!{ENOSYS}) { print "nosys\n"; exit 0; } print "$pid\n"; next; }
    if (started($pid) ne $st) { release($fd); print "$pid\n"; next; }
    $pid_of{$fd} = $pid; $fd_of{$pid} = $fd;
  }
}
`;

const PYTHON = String.raw`
import os, select, sys
p = select.poll(); p.register(0, select.POLLIN)
pid_of, fd_of, buf = {}, {}, b''
def started(pid):
    try:
        with open('/proc/%d/stat' % pid, 'rb') as f: s = f.read()
        return s[s.rindex(b')') + 2:].split(b' ')[19].decode()
    except (OSError, ValueError, IndexError): return ''
def say(x): sys.stdout.write('%s\n' % x); sys.stdout.flush()
if not hasattr(os, 'pidfd_open'): say('nosys'); sys.exit(0)
while True:
    for fd, ev in p.poll():
        if fd != 0:
            pid = pid_of.pop(fd); fd_of.pop(pid, None); p.unregister(fd); os.close(fd); say(pid); continue
        d = os.read(0, 4096)
        if not d: sys.exit(0)
        buf += d
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            parts = line.decode().split(' ')
            if len(parts) < 2 or not parts[1].isdigit(): continue
            pid = int(parts[1])
            if parts[0] == '-':
                fd = fd_of.pop(pid, None)
                if fd is not None: pid_of.pop(fd, None); p.unregister(fd); os.close(fd)
                continue
            if pid in fd_of: continue
            try: fd = os.pidfd_open(pid)
            except OSError as e:
                if e.errno == 38: say('nosys'); sys.exit(0)
                say(pid); continue
            if started(pid) != (parts[2] if len(parts) > 2 else ''): os.close(fd); say(pid); continue
            pid_of[fd] = pid; fd_of[pid] = fd; p.register(fd, select.POLLIN)
`;

/** The helpers tried in order: argv of each. */
export const EXIT_HELPERS: readonly (readonly string[])[] = [
  ['perl', '-e', PERL],
  ['python3', '-c', PYTHON],
];

/** How long after the first watch() the helper is started (a one-shot CLI is gone by then). */
export const LAUNCH_DELAY_MS = 500;

export interface ExitWatch {
  /** Watch exactly these processes (pid -> starttime); others are let go. */
  watch(processes: ReadonlyMap<number, number>): void;
  /** True while a helper reports exits as they happen. */
  readonly live: boolean;
  close(): void;
}

export interface ExitWatchOptions {
  helpers?: readonly (readonly string[])[];
  spawn?: (argv: readonly string[]) => ChildProcess;
  log?: (message: string) => void;
}

function spawnHelper(argv: readonly string[]): ChildProcess {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
  // Never what keeps the CLI (or a test) alive: the helper lives only as long as we do.
  child.unref();
  return child;
}

/**
 * Watches processes for their end and calls `onExit(pid)` once for each that ends while
 * watched. The helper starts with the first process to watch and stops when none is left.
 */
export function createExitWatch(
  onExit: (pid: number) => void,
  opts: ExitWatchOptions = {},
): ExitWatch {
  const helpers = opts.helpers ?? EXIT_HELPERS;
  const start = opts.spawn ?? spawnHelper;
  const log = opts.log ?? (() => undefined);
  let next = 0; // the helper to try next
  let child: ChildProcess | null = null;
  let live = false;
  let watched = new Map<number, number>();
  let pending: NodeJS.Timeout | null = null;

  const send = (line: string) => {
    if (child?.stdin?.writable) child.stdin.write(line);
  };
  const launch = (): void => {
    if (next >= helpers.length) return;
    const argv = helpers[next]!;
    const c = start(argv);
    child = c;
    live = true;
    let out = '';
    c.stdout?.setEncoding('latin1');
    c.stdout?.on('data', (d: string) => {
      out += d;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'nosys') {
          log(`exit watch: ${argv[0]} has no pidfd here; watched processes are polled`);
          next = helpers.length;
          continue;
        }
        const pid = Number(line);
        if (watched.delete(pid)) onExit(pid);
      }
    });
    (c.stdout as { unref?: () => void } | null)?.unref?.();
    (c.stdin as { unref?: () => void } | null)?.unref?.();
    c.stdin?.on('error', () => undefined); // the helper ended: handled on 'exit'
    const gone = (why: string) => {
      if (child !== c) return;
      child = null;
      live = false;
      if (why === 'ENOENT') next++;
      else next = helpers.length; // it ran and ended: do not loop on a broken helper
      log(`exit watch: ${argv[0]} ended (${why})`);
      if (watched.size > 0 && next < helpers.length) {
        launch();
        for (const [pid, st] of watched) send(`+ ${pid} ${st}\n`);
      }
    };
    c.on('error', (err: NodeJS.ErrnoException) => gone(err.code ?? String(err)));
    c.on('exit', (code, signal) => gone(`exit ${code ?? signal}`));
  };

  return {
    get live() {
      return live;
    },
    watch(processes) {
      const before = watched;
      watched = new Map(processes);
      if (watched.size === 0) {
        if (child !== null) {
          const c = child;
          child = null;
          live = false;
          c.kill();
        }
        return;
      }
      if (child === null) {
        if (pending === null && next < helpers.length) {
          pending = setTimeout(() => {
            pending = null;
            if (watched.size === 0 || child !== null) return;
            launch();
            for (const [pid, st] of watched) send(`+ ${pid} ${st}\n`);
          }, LAUNCH_DELAY_MS);
          pending.unref();
        }
        return;
      }
      let lines = '';
      for (const pid of before.keys()) if (!watched.has(pid)) lines += `- ${pid}\n`;
      for (const [pid, st] of watched)
        if (before.get(pid) !== st)
          lines += `${before.has(pid) ? `- ${pid}\n` : ''}+ ${pid} ${st}\n`;
      if (lines !== '') send(lines);
    },
    close() {
      watched = new Map();
      if (pending !== null) clearTimeout(pending);
      pending = null;
      const c = child;
      child = null;
      live = false;
      c?.kill();
    },
  };
}
