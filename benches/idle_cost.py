#!/usr/bin/env python3
"""Whole-process idle cost of a terminal program: CPU share, peak memory and bytes written to
the terminal per second, measured through a real pseudo-terminal of a fixed size.

    python3 benches/idle_cost.py --size 120x40 --seconds 30 --keys '\r' -- gamelan play queue-backlog --tempo 120
    python3 benches/idle_cost.py --size 120x40 --seconds 30 -- btop

Each program runs alone in its own pty; a warm-up is excluded. Loopback only, bounded in time.
"""
import argparse, fcntl, os, pty, select, signal, struct, sys, termios, time

def stat_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (clock ticks)

def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0

def resident_breakdown(pid):
    """Where the resident pages are, from /proc/PID/smaps: kB per mapped file and permission
    (the program's own code, its read-only data, libc, ...), heap, stacks and other anonymous
    memory, largest first."""
    rows, key = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
                perms = parts[1]
                name = parts[5] if len(parts) > 5 else "[anon]"
                key = f"{os.path.basename(name)} {perms}"
            elif parts[0] == "Rss:" and key:
                rows[key] = rows.get(key, 0) + int(parts[1])
    return sorted(((k, v) for k, v in rows.items() if v), key=lambda kv: -kv[1])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="120x40")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--warmup", type=float, default=3)
    ap.add_argument("--keys", default="", help="keys sent after 1 s (python escapes)")
    ap.add_argument("--smaps", action="store_true", help="also print where the resident pages are")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    cols, rows = (int(x) for x in a.size.split("x"))
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    hz = os.sysconf("SC_CLK_TCK")
    start = time.monotonic()
    keys = a.keys.encode().decode("unicode_escape").encode()
    sent = not keys
    measured_bytes = 0
    t0 = ticks0 = None
    end = start + a.warmup + a.seconds
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if not sent and now - start > 1:
            os.write(fd, keys)
            sent = True
        if t0 is None and now - start >= a.warmup:
            t0, ticks0, measured_bytes = now, stat_ticks(pid), 0
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            # Answer cursor-position queries the way a terminal would.
            if b"\x1b[6n" in data:
                os.write(fd, b"\x1b[1;1R")
            measured_bytes += len(data)
    elapsed = time.monotonic() - t0
    cpu = (stat_ticks(pid) - ticks0) / hz / elapsed * 100
    rss = peak_rss_kib(pid)
    if a.smaps:
        for k, v in resident_breakdown(pid):
            print(f"  {v:>6} kB  {k}", file=sys.stderr)
    if os.environ.get("IDLE_DEBUG"):
        print(open(f"/proc/{pid}/status").read(), file=sys.stderr)
    os.kill(pid, signal.SIGTERM)
    time.sleep(0.3)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    name = os.path.basename(cmd[0])
    print(f"| {name} {' '.join(cmd[1:])} | {a.size} | {cpu:.2f}% | {rss/1024:.1f} MiB | {measured_bytes/elapsed:,.0f} B/s |")

if __name__ == "__main__":
    main()
