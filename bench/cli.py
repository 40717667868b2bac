#!/usr/bin/env python3
"""Controller-only benchmarks (issue #6), no connections:

  plan     `orchestrator plan` on 10,000 hosts x 20 steps (target: < 3 s wall, RSS <= 1 GB)
  startup  `orchestrator --help` once built (target: < 1 s)

Each is run --reps times (default 5); medians of wall seconds, CPU seconds and peak RSS (from
wait4's rusage) are printed as a table and, with --json FILE, written as JSON.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(PROJECT, "orchestrator")


def timed(cmd):
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=PROJECT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {rc}: {proc.stderr.read().decode()[-2000:]}")
    # ru_maxrss is in KiB on Linux
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def fleet_files(folder, hosts, steps):
    inv = os.path.join(folder, "inventory.yml")
    with open(inv, "w") as f:
        f.write("all:\n  children:\n")
        groups = {"qa": range(0, 50), "production": range(50, hosts)}
        for g, idx in groups.items():
            f.write(f"    {g}:\n      hosts:\n")
            for i in idx:
                f.write(f"        h{i:05d}.example.org:\n          ansible_host: 10.{i // 65536}.{i // 256 % 256}.{i % 256}\n")
    pb = os.path.join(folder, "playbook.yml")
    with open(pb, "w") as f:
        f.write("name: plan-scale\nvars:\n  root: /srv/app\nstages:\n"
                "  - name: qa\n    hosts: qa\n    serial: 10\n"
                "  - name: production\n    hosts: production\n    serial: [1, 5%, 25%]\n    max_fail_percentage: 2\n"
                "steps:\n")
        for s in range(steps):
            f.write(f"  - id: step{s:02d}\n    shell: echo {{{{ root }}}}/{s} on {{{{ inventory_hostname }}}}\n")
    return pb, inv


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=10000)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--json", help="also write the results as JSON to this file")
    args = ap.parse_args()
    subprocess.run([LAUNCHER, "--version"], check=True, stdout=subprocess.DEVNULL)  # builds if needed
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        # a snapshot of the jar: edits during the benchmark must not trigger a build
        shutil.copy(os.path.join(PROJECT, "target", "orchestrator.jar"), tmp)
        shutil.copytree(os.path.join(PROJECT, "target", "lib"), os.path.join(tmp, "lib"))
        os.environ["ORCHESTRATOR_JAR"] = os.path.join(tmp, "orchestrator.jar")
        pb, inv = fleet_files(tmp, args.hosts, args.steps)
        state = os.path.join(tmp, "state")
        cases = {
            f"plan {args.hosts} hosts x {args.steps} steps": [LAUNCHER, "plan", pb, "-i", inv, "--state-dir", state],
            "--help": [LAUNCHER, "--help"],
        }
        for name, cmd in cases.items():
            runs = [timed(cmd) for _ in range(args.reps)]
            results[name] = dict(wall_s=round(statistics.median(r[0] for r in runs), 3),
                                 cpu_s=round(statistics.median(r[1] for r in runs), 3),
                                 peak_rss_mib=round(statistics.median(r[2] for r in runs), 1))
    print(f"\nmedians of {args.reps} runs, {os.cpu_count()} cores")
    print(f"{'case':36} {'wall s':>8} {'cpu s':>8} {'peak RSS MiB':>13}")
    for name, v in results.items():
        print(f"{name:36} {v['wall_s']:>8.2f} {v['cpu_s']:>8.2f} {v['peak_rss_mib']:>13.1f}")
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(dict(date=time.strftime("%Y-%m-%d"), reps=args.reps, cores=os.cpu_count(), results=results), f,
                      indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
