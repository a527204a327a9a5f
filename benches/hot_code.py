#!/usr/bin/env python3
"""Writes link/hot.ld: a linker script that places the functions a drill, the vista and the lobby
run first in the release binary, side by side (build.rs passes it to the linker).

    python3 benches/hot_code.py            # build the release binary, run the workloads, rewrite link/hot.ld
    python3 benches/hot_code.py --check    # how much of the binary's code the script places first

Why: the kernel maps a program's code in 64 KiB runs around each page it touches, so the few
thousand functions a console runs, spread over 8 MB of code, keep most of it resident. Placed
together they keep little more than their own size (see the README's Performance section).

How: each workload runs under valgrind's callgrind in a pseudo-terminal of 120x40 (keys sent on
a schedule, one resize), then ends on SIGTERM; every function of the binary with a cost was run.
Each name becomes a pattern over the function's section name with the parts that change from
build to build (crate hashes, legacy hashes, back-references, impl indices, LTO suffixes)
replaced by `*`, so the script keeps working across compiler and dependency updates; a function
added or renamed since is merely left in place. Patterns are grouped by which workloads ran
them, in an order that keeps each workload's groups together, and sorted within a group, so a
change in the code moves few lines. Needs valgrind and nm; takes a few minutes. Loopback only,
bounded in time.
"""
import argparse, fcntl, json, os, pty, re, select, shutil, signal, socket, struct, subprocess, sys, tempfile, termios, time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORDER = os.path.join(ROOT, "link", "hot.ld")

# (name, arguments, [(seconds, keys)]): a drill of a scenario other than the one the README
# measures, with the panes, help, runbook and a hint; the vista with its tour and zoom; the
# lobby, which starts a drill from its list. With `prometheus` installed, also the Prometheus
# vista of docs/vista-prometheus.example.toml against a server of its own on loopback.
WORKLOADS = [
    ("drill", ["play", "bad-deploy", "--tempo", "240"],
     [(1, "\r"), (4, "\t"), (5, "\t"), (6, "?"), (7, "\x1b"), (8, "]"), (9, "h"), (10, "\x1b[A"),
      (11, "\x1b[B"), (12, "\r"), (13, "\x1b")]),
    ("vista", ["vista"], [(3, "\t"), (4, "\r"), (6, "\x1b"), (7, "t"), (12, "t"), (13, "?"), (14, "\x1b")]),
    ("lobby", [], [(2, "\x1b[B"), (3, "\x1b[A"), (4, "\r"), (6, "\r")]),
]
PROMETHEUS_KEYS = [(3, "\t"), (4, "\r"), (6, "\x1b")]
# Each workload's groups are adjacent: the vista's are the first four, the drill's the middle
# four. What only the Prometheus vista runs comes first, just before the vista's.
GROUPS = ["vista", "lobby+vista", "drill+vista", "drill+lobby+vista", "drill+lobby", "drill", "lobby"]


def run(binary, args, keys, seconds, out, home):
    """Runs one workload under callgrind in a 120x40 pty, with empty gamelan directories under
    `home`; returns when callgrind has written `out`."""
    env = {k: v for k, v in os.environ.items() if k not in ("RUST_BACKTRACE", "RUST_LIB_BACKTRACE")}
    env["TERM"] = "xterm-256color"
    for d in ("CONFIG", "DATA", "RUNTIME"):
        env[f"GAMELAN_{d}_DIR"] = os.path.join(home, d.lower())
    cmd = ["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", binary] + args
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(cmd[0], cmd, env)
    size = lambda rows, cols: fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    size(40, 120)
    start, pending, resized = time.monotonic(), list(keys), False
    while time.monotonic() - start < seconds:
        now = time.monotonic() - start
        while pending and now >= pending[0][0]:
            os.write(fd, pending.pop(0)[1].encode())
        if not resized and now >= seconds / 2:
            size(30, 100)
            os.kill(pid, signal.SIGWINCH)
            resized = True
        if select.select([fd], [], [], 0.05)[0]:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if b"\x1b[6n" in data:
                os.write(fd, b"\x1b[1;1R")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.2)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
        if os.waitpid(pid, os.WNOHANG)[0]:
            return
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def start_prometheus(tmp):
    """A Prometheus scraping itself on a free loopback port, ready; None when not installed."""
    if not shutil.which("prometheus"):
        return None, None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = os.path.join(tmp, "prometheus.yml")
    with open(conf, "w") as f:
        f.write(f"global: {{scrape_interval: 2s}}\nscrape_configs:\n"
                f"  - {{job_name: prometheus, static_configs: [{{targets: ['127.0.0.1:{port}']}}]}}\n")
    server = subprocess.Popen(["prometheus", f"--config.file={conf}", f"--web.listen-address=127.0.0.1:{port}",
                               f"--storage.tsdb.path={os.path.join(tmp, 'tsdb')}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/-/ready", timeout=1)
            time.sleep(10)  # a few scrapes, so that every pane has a series
            return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    return None, None


def executed(out, binary):
    """The functions of `binary` with a cost in a callgrind output file."""
    names, obs, ob, fn, costly = {}, {}, None, None, set()
    real = os.path.realpath(binary)
    for line in open(out, errors="replace"):
        m = re.match(r"(c?)(ob|fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if m:
            table = obs if m.group(2) == "ob" else names
            if m.group(4):
                table[m.group(3)] = m.group(4)
            if not m.group(1):
                if m.group(2) == "ob":
                    ob = m.group(3)
                else:
                    fn = m.group(3)
            continue
        if line[:1] in "0123456789+-*" and ob is not None and fn is not None:
            if os.path.realpath(obs.get(ob, "")) == real:
                costly.add(names[fn])
    return costly


def symbols(binary):
    """The binary's function symbols (nm), to keep only names the linker can place."""
    out = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    return {p[2] for p in (l.split() for l in out.splitlines()) if len(p) == 3 and p[1] in "tTW"}


# Parts of a mangled name that change between builds without the function changing.
UNSTABLE = re.compile(
    r"17h[0-9a-f]{16}E"            # legacy mangling's hash
    r"|Cs[0-9A-Za-z]{6,}_"         # v0 crate disambiguator
    r"|B[0-9A-Za-z]{0,3}_"         # v0 back-reference (an offset into the name)
    r"|(?<=[MXY])s[0-9A-Za-z]{0,3}_"  # v0 impl disambiguator
    r"|\.(llvm\.)?[0-9]+$"          # LTO's suffix for a local function
)


# A function's section: `.text.NAME`, or `.text.unlikely.NAME` for one the compiler found cold
# (one that ends in a panic, say), which a console may still run.
SECTION = ".text.*"


def made_with():
    """What the names of generic functions' instances depend on, as build.rs computes it: the
    compiler and Cargo.lock (the dependencies' versions)."""
    rustc = subprocess.run([os.environ.get("RUSTC", "rustc"), "-V"], capture_output=True, text=True).stdout.strip()
    h = 0xCBF29CE484222325
    for b in open(os.path.join(ROOT, "Cargo.lock"), "rb").read():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{rustc}; Cargo.lock {h:016x}"


def pattern(name):
    """The section name pattern that finds `name`'s function in this and later builds."""
    # Literal pieces between unstable parts, joined by `*`.
    out, last = [], 0
    for m in UNSTABLE.finditer(name):
        out.append(name[last:m.start()])
        last = m.end()
    out.append(name[last:])
    glob = "*".join(out)
    glob = re.sub(r"\*+", "*", glob)
    return SECTION + glob


def matches(pat, names):
    """The names among `names` whose section `pat` finds."""
    pieces = pat[len(SECTION):].split("*")
    longest = max(pieces, key=len)
    rx = re.compile(".*".join(re.escape(p) for p in pieces) + "$")
    return [n for n in names if longest in n and rx.match(n)]


def placed(name, have):
    """The pattern for `name`: the general one when, in this build, it finds no other function
    (a generic function's instances differ only in their hash); else the exact section name,
    which finds it until the next compiler or dependency update."""
    general = pattern(name)
    return general if len(matches(general, have)) <= 1 else SECTION + name


def listed():
    with open(ORDER) as f:
        return re.findall(r"^\s+(\.text\.\*\S+)$", f.read(), re.M)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", help="a release build of gamelan (default: build one first)")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--out", default=ORDER, help="where to write the list (default link/hot.ld)")
    ap.add_argument("--names", help="also save the functions each workload ran to this JSON file")
    ap.add_argument("--from-names", help="write the script from a file saved with --names, without running")
    ap.add_argument("--check", action="store_true", help="only report how many listed names the binary has")
    a = ap.parse_args()
    if not a.binary:
        # `cargo bench` leaves its own build at the same path: make sure it is the release one.
        subprocess.run(["cargo", "build", "--release", "--bin", "gamelan"], cwd=ROOT, check=True)
        a.binary = os.path.join(ROOT, "target", "release", "gamelan")
    have = symbols(a.binary)
    if a.check:
        pats = listed()
        found = sum(1 for p in pats if matches(p, have))
        print(f"{found} of {len(pats)} patterns find a function in {a.binary}")
        sys.exit(0 if pats and found >= 0.9 * len(pats) else 1)
    ran, prometheus = {}, set()
    if a.from_names:
        with open(a.from_names) as f:
            saved = json.load(f)
        ran = {k: set(v) & have for k, v in saved["ran"].items()}
        prometheus = set(saved["prometheus"]) & have
    else:
        ran, prometheus = run_workloads(a)
    if a.names:
        with open(a.names, "w") as f:
            json.dump({"ran": {k: sorted(v) for k, v in ran.items()}, "prometheus": sorted(prometheus)}, f)
    write_script(a.out, ran, prometheus, have)


def run_workloads(a):
    """Runs every workload under callgrind; returns the functions each ran, and those the
    Prometheus vista ran (empty without prometheus)."""
    have = symbols(a.binary)
    ran, prometheus = {}, set()
    with tempfile.TemporaryDirectory() as tmp:
        for name, args, keys in WORKLOADS:
            out = os.path.join(tmp, f"{name}.callgrind")
            run(a.binary, args, keys, a.seconds, out, tmp)
            ran[name] = executed(out, a.binary) & have
            print(f"{name}: {len(ran[name])} functions", file=sys.stderr)
        server, url = start_prometheus(tmp)
        if server:
            try:
                conf = os.path.join(tmp, "vista-prometheus.toml")
                with open(os.path.join(ROOT, "docs", "vista-prometheus.example.toml")) as f:
                    text = f.read().replace("http://127.0.0.1:9090", url)
                with open(conf, "w") as f:
                    f.write(text)
                out = os.path.join(tmp, "prometheus.callgrind")
                run(a.binary, ["vista", "--config", conf], PROMETHEUS_KEYS, a.seconds, out, tmp)
                prometheus = executed(out, a.binary) & have
                print(f"prometheus vista: {len(prometheus)} functions", file=sys.stderr)
            finally:
                server.terminate()
                server.wait()
        else:
            print("prometheus is not installed: leaving out the Prometheus vista", file=sys.stderr)
    return ran, prometheus


def write_script(out, ran, prometheus, have):
    main_ones = set().union(*ran.values())
    groups = {g: [] for g in ["prometheus vista"] + GROUPS}
    groups["prometheus vista"] = list(prometheus - main_ones)
    for fn in main_ones:
        groups["+".join(sorted(w for w in ran if fn in ran[w]))].append(fn)
    seen = set()
    with open(out, "w") as f:
        f.write("/* The functions a console runs, placed first and side by side in the release binary\n"
                " * (see build.rs). Made by benches/hot_code.py: one section name pattern a line.\n"
                f" * made with: {made_with()} */\n"
                "SECTIONS\n{\n  .text : {\n")
        for g in groups:
            pats = sorted({placed(n, have) for n in groups[g]} - seen)
            seen.update(pats)
            if not pats:
                continue
            f.write(f"    /* run by: {g.replace('+', ', ')} ({len(pats)}) */\n    *(\n")
            f.writelines(f"      {p}\n" for p in pats)
            f.write("    )\n")
        # The rest of the code follows in the same section (lld adds a section the script does
        # not name to the output section of that name), so tools that know only one `.text`
        # (valgrind among them: this script's own next run) still see every function.
        f.write("  }\n}\nINSERT BEFORE .init;\n")
    print(f"wrote {out}: {sum(len(v) for v in groups.values())} functions", file=sys.stderr)


if __name__ == "__main__":
    main()
