#!/usr/bin/env python3
"""Runs a benchmark command when the shared machine is idle, and says how idle it was.

    python3 benchmarks/when_idle.py [--idle 0.9] [--wait 600] -- COMMAND ...

Two threads can only be timed when the other core is free: this samples /proc/stat
over one second until the CPUs were idle at least --idle of the time (default 90 %;
our own process is not running yet), then runs COMMAND, and prints the idle share of
the second before, the load average and the idle share during the command (other
processes' use of the machine while ours ran). Gives up after --wait seconds and runs
the command anyway, saying so.
"""
import argparse
import os
import subprocess
import sys
import time


def cpu_times():
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return idle, sum(fields[:8])


def idle_share(seconds):
    idle0, total0 = cpu_times()
    time.sleep(seconds)
    idle1, total1 = cpu_times()
    return (idle1 - idle0) / max(1, total1 - total0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=0.9)
    parser.add_argument("--wait", type=float, default=600)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    deadline = time.monotonic() + args.wait
    while (share := idle_share(1.0)) < args.idle and time.monotonic() < deadline:
        pass
    quiet = share >= args.idle
    load = os.getloadavg()
    print(f"[when_idle] {time.strftime('%Y-%m-%d %H:%M:%S %Z')}: CPUs {share:.0%} idle the second before"
          f"{'' if quiet else ' (gave up waiting)'}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
          flush=True)
    user0 = os.times()
    idle0, total0 = cpu_times()
    status = subprocess.call(command)
    idle1, total1 = cpu_times()
    ours = os.times()
    ours_seconds = (ours.children_user - user0.children_user) + (ours.children_system - user0.children_system)
    elapsed = (total1 - total0) / os.sysconf("SC_CLK_TCK")  # CPU-seconds of every CPU
    others = max(0.0, 1 - (idle1 - idle0) / max(1, total1 - total0) - ours_seconds / max(1e-9, elapsed))
    print(f"[when_idle] during the command: others used {others:.0%} of the CPUs", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
