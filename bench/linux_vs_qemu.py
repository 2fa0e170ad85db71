#!/usr/bin/env python3
"""Linux on vtime and on QEMU side by side, in one run: the same kernel
(scripts/build-linux.sh) and timekeeping probe (build/release/guests/linux/probe.cpio)
under Debian's OpenSBI, on `vtime run` and on `qemu-system-riscv64 -M virt`, one hart,
without icount, under icount shift=4,sleep=off and under shift=4,align=on. Per
configuration it prints the wall time from start to the kernel's "Run /init" line and
to power-off (the host's monotonic clock, as the console lines arrive), the probe's
figures (nanosleep oversleep, periodic-timer lateness, clock_gettime cost, the guest-
timed busy loop of 2,000,000 instructions), vtime's guest MIPS and host - guest at the
end from its JSON report, and the ratio vtime/QEMU of the wall times.
  linux_vs_qemu.py [--vtime BIN] [--qemu BIN] [--cpio FILE] [--repeats N]"""
import argparse, json, os, subprocess, sys, tempfile, time

FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
CONFIGS = [("no icount", None), ("shift=4,sleep=off", "shift=4,sleep=off"), ("shift=4,align=on", "shift=4,align=on")]
FIGURES = ["nanosleep_oversleep_max_ns", "timer_late_max_ns", "clock_gettime_ns_per_call", "busy_loop_ns"]


def boot(argv):
    """Runs one boot; returns (seconds to 'Run /init', seconds to exit, probe figures)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    to_init, figures = None, {}
    for raw in proc.stdout:
        line = raw.decode(errors="replace").strip()
        if to_init is None and "Run /init" in line:
            to_init = time.monotonic() - t0
        if "=" in line and not line.startswith("["):
            key, _, value = line.partition("=")
            figures[key] = value
    proc.wait(timeout=300)
    return to_init, time.monotonic() - t0, figures


def main():
    p = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("--vtime", default=os.path.join(here, "..", "build", "release", "tools", "vtime", "vtime"))
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--cpio", default=os.path.join(here, "..", "build", "release", "guests", "linux", "probe.cpio"))
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    kernel = subprocess.run(["bash", os.path.join(here, "..", "scripts", "build-linux.sh"), "--cached"],
                            capture_output=True, text=True).stdout.strip()
    if not kernel:
        sys.exit("no cached kernel: run scripts/build-linux.sh first")
    append = "console=ttyS0"
    work = tempfile.mkdtemp(prefix="vtime-vs-qemu-")
    rows = []
    for name, icount in CONFIGS:
        for engine in ("vtime", "qemu"):
            best = None
            for r in range(args.repeats):
                if engine == "vtime":
                    report = os.path.join(work, f"report-{len(rows)}-{r}.json")
                    argv = [args.vtime, "run", "--bios", FIRMWARE, "--kernel", kernel, "-initrd", args.cpio,
                            "-append", append, "--time-limit", "120s", "--report", "json", "--report-file", report]
                    if icount:
                        argv += ["--icount", icount]
                else:
                    argv = [args.qemu, "-M", "virt", "-smp", "1", "-m", "128M", "-nographic", "-bios", FIRMWARE,
                            "-kernel", kernel, "-initrd", args.cpio, "-append", append]
                    if icount:
                        argv += ["-icount", icount]
                to_init, total, figures = boot(argv)
                extra = {}
                if engine == "vtime" and os.path.exists(report):
                    with open(report) as f:
                        rep = json.load(f)
                    hg = rep.get("host_minus_guest_ns")  # null without icount
                    extra = {"mips": rep.get("mips"), "host_minus_guest_ms": None if hg is None else hg / 1e6}
                run = {"to_init": to_init, "total": total, "figures": figures, **extra}
                if best is None or total < best["total"]:
                    best = run
            rows.append((name, engine, best))
    print(f"Linux 6.1 + probe, 1 hart, best of {args.repeats}; wall seconds on this host")
    head = f"{'configuration':20} {'engine':6} {'to init':>8} {'to off':>8} " + " ".join(f"{k[:22]:>22}" for k in FIGURES)
    print(head + f" {'MIPS':>7} {'host-guest ms':>13}")
    for name, engine, r in rows:
        f = r["figures"]
        cells = " ".join(f"{f.get(k, '-'):>22}" for k in FIGURES)
        init = f"{r['to_init']:.3f}" if r["to_init"] else "-"
        mips = f"{r['mips']:.0f}" if r.get("mips") else "-"
        hg = f"{r['host_minus_guest_ms']:.1f}" if r.get("host_minus_guest_ms") is not None else "-"
        print(f"{name:20} {engine:6} {init:>8} {r['total']:8.3f} {cells} {mips:>7} {hg:>13}")
    for name, _ in CONFIGS:
        v = next(r for n, e, r in rows if n == name and e == "vtime")
        q = next(r for n, e, r in rows if n == name and e == "qemu")
        ratio = f"{v['to_init'] / q['to_init']:.2f}" if v["to_init"] and q["to_init"] else "-"
        print(f"ratio vtime/QEMU, {name}: to init {ratio}, to power-off {v['total'] / q['total']:.2f}")


if __name__ == "__main__":
    main()
