#!/usr/bin/env python3
"""uboot_replay.py VTIME UBOOT WORKDIR: record and replay an interactive U-Boot
session through the `vtime` command. The recording runs under
--icount shift=4,rr=record (sleep=on: guest time follows the host while U-Boot
waits) with keys typed into its stdin pipe at host-dependent moments - one to
stop the autoboot countdown, then `version`, `sleep 1`, `echo replayed`,
`sleep 1`, `poweroff`, each after the prompt appeared and a random pause. The
log is replayed twice with stdin at /dev/null: all three console outputs must be
byte-identical and the three reports must show the same instruction count and
guest time. A replay of a log from another machine (--smp 2) is refused with one
line, and so is a corrupt log."""
import json, os, random, subprocess, sys, time

vtime, uboot, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
log = os.path.join(work, "session.rr")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what, flush=True)


def run(mode, name, stdin, extra=()):
    report = os.path.join(work, name + ".json")
    argv = [vtime, "run", "--icount", f"shift=4,rr={mode},rrfile={log}", "--bios", uboot, "--time-limit", "60s",
            "--report", "json", "--report-file", report, *extra]
    return argv, report


def record():
    argv, report = run("record", "record", subprocess.PIPE)
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.set_blocking(proc.stdout.fileno(), False)
    out = b""

    def wait_for(text, after=0, timeout=30):
        """Until `text` appears in the output past byte `after`."""
        nonlocal out
        end = time.time() + timeout
        while out.find(text, after) < 0:
            chunk = proc.stdout.read()
            if chunk:
                out += chunk
            elif time.time() > end:
                raise TimeoutError(f"no {text!r} within {timeout} s: {out[-300:]!r}")
            else:
                time.sleep(0.01)
        return out.find(text, after) + len(text)

    rng = random.Random()  # host-dependent on purpose: the replay must not care
    seen = wait_for(b"Hit any key to stop autoboot")
    time.sleep(rng.uniform(0.05, 0.3))
    proc.stdin.write(b" ")
    proc.stdin.flush()
    for line in ("version", "sleep 1", "echo replayed", "sleep 1", "poweroff"):
        seen = wait_for(b"=> ", seen)  # a new prompt: the last command is done
        time.sleep(rng.uniform(0.05, 0.4))
        proc.stdin.write(line.encode() + b"\n")
        proc.stdin.flush()
    os.set_blocking(proc.stdout.fileno(), True)
    out += proc.stdout.read()
    status = proc.wait(60)
    check(status == 0, f"the recording exited {status}: {proc.stderr.read().decode()}")
    return out, report


def replay(name):
    argv, report = run("replay", name, subprocess.DEVNULL)
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    check(p.returncode == 0, f"{name} exited {p.returncode}: {p.stderr.decode()}")
    return p.stdout, report


def figures(report):
    with open(report) as f:
        r = json.load(f)
    return r["instructions"], r["guest_time_ns"], r["exit_reason"]


recorded, rec_report = record()
check(b"replayed" in recorded and b"U-Boot" in recorded, "the recording has the session: " + recorded[-400:].decode(errors="replace"))
for n in (1, 2):
    output, report = replay(f"replay{n}")
    check(output == recorded, f"replay {n}'s console output differs from the recording's")
    check(figures(report) == figures(rec_report), f"replay {n}: {figures(report)} vs recorded {figures(rec_report)}")
print("recorded and replayed:", figures(rec_report))

argv, _ = run("replay", "wrong", subprocess.DEVNULL, ["--smp", "2"])
p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
err = p.stderr.decode()
check(p.returncode == 1 and err.count("\n") == 1 and "recorded with harts (--smp) 1, but this machine has 2" in err,
      f"a log from another machine: {p.returncode} {err!r}")
with open(log, "rb") as f:
    data = bytearray(f.read())
data[len(data) // 2] ^= 0xFF
with open(log, "wb") as f:
    f.write(data)
argv, _ = run("replay", "corrupt", subprocess.DEVNULL)
p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
err = p.stderr.decode()
check(p.returncode == 1 and err.count("\n") == 1 and "fails its checksum" in err, f"a corrupt log: {p.returncode} {err!r}")
print("FAILED" if failures else "PASSED", len(failures), "failure(s)")
sys.exit(1 if failures else 0)
