#!/usr/bin/env python3
"""long_sleep_host_time.py VTIME PROBE_CPIO BUILD_LINUX: Linux under
--icount shift=4,align=on (sleep=on) keeps host time. The probe sleeps 2 s in
one nanosleep (probe_long_sleep_ms=2000 on the kernel command line) between two
console lines; this script timestamps the lines on the host's monotonic clock as
they arrive and checks that the sleep took 2 s of host time within 1 %, and that
the guest measured it as at least 2 s. Exits 77 (skipped) without a cached kernel.
The console reaches the pipe within 1 ms of host time (the board's output
flusher), far inside the 20 ms the check allows."""
import os, subprocess, sys, time

vtime, cpio, build_linux = sys.argv[1:4]
firmware = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
image = subprocess.run(["bash", build_linux, "--cached"], capture_output=True, text=True)
if image.returncode != 0 or not os.access(firmware, os.R_OK):
    print("skipped: no cached Linux kernel (scripts/build-linux.sh) or no OpenSBI")
    sys.exit(77)
argv = [vtime, "run", "--bios", firmware, "--kernel", image.stdout.strip(), "-initrd", cpio,
        "--icount", "shift=4,align=on", "--time-limit", "60s", "--report", "none",
        "-append", "console=ttyS0 probe_long_sleep_ms=2000"]
proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
stamps, lines = {}, []
for raw in proc.stdout:
    line = raw.decode(errors="replace").strip()
    lines.append(line)
    if line in ("long_sleep=start", "long_sleep=end"):
        stamps[line] = time.monotonic()
status = proc.wait()
if status != 0 or len(stamps) != 2:
    print("\n".join(lines[-20:]))
    print(f"FAIL: exit status {status}, sleep lines seen: {sorted(stamps)}")
    sys.exit(1)
host = stamps["long_sleep=end"] - stamps["long_sleep=start"]
guest_ns = next(int(l.split("=")[1]) for l in lines if l.startswith("long_sleep_ns="))
print(f"a 2 s guest nanosleep: guest measured {guest_ns / 1e9:.4f} s, host {host:.4f} s")
ok = guest_ns >= 2_000_000_000 and abs(host - 2.0) <= 0.02
print("ok" if ok else "FAIL: not 2 s of host time within 1 %")
sys.exit(0 if ok else 1)
