#!/usr/bin/env python3
# How much the JIT compiled and deoptimized while an engine's workers ran (issue 11, round 17: token's timed reps at
# `--warmup 3` met more than one vCPU's worth of compilation per second of wall, in either order of workloads).
# The window is taken from jdk.ExecutionSample: from the first to the last sample of a thread whose name starts with
# the prefix (the Block-STM pool's workers are named "bitquan-..."; with one block-stm engine per workload, the last
# workload's window is the one printed unless --from/--to narrow it). Record with, e.g.:
#   .bench/measure java ... -XX:StartFlightRecording=filename=x.jfr,settings=jit.jfc -jar <jar> bench engine ...
#   (jit.jfc: jdk.Compilation threshold 0 ms, jdk.Deoptimization, jdk.ExecutionSample period 5 ms)
#   jfr print --json --events jdk.Compilation x.jfr > c.json
#   jfr print --json --events jdk.Deoptimization x.jfr > d.json
#   jfr print --json --events jdk.ExecutionSample --stack-depth 2 x.jfr > s.json
#   docs/probes/jitwindow.py c.json d.json s.json [thread-prefix] [--from HH:MM:SS.ss] [--to HH:MM:SS.ss]
# Prints the window, the compile time in it (all compiler threads; a compilation counts by its start), the part of it
# in a package substring (blockstm), the deoptimizations in it with reason, action and method, and compile time per
# second over the whole recording. JFR starts several seconds into the JVM (the heap's pre-touch), so a run's first
# seconds may be missing: check the per-second line covers the engines' reps.
import collections
import json
import sys


def events(path):
    with open(path) as f:
        return json.load(f)["recording"]["events"]


def clock(v):
    return v["startTime"][11:23]  # HH:MM:SS.sss (UTC as printed by jfr)


def millis(duration):
    # jfr prints durations as ISO-8601, e.g. "PT0.012345S"
    return float(duration[2:-1]) * 1000 if duration.startswith("PT") and duration.endswith("S") else 0.0


def main(argv):
    args = [a for a in argv[1:]]
    lo = hi = None
    if "--from" in args:
        i = args.index("--from"); lo = args[i + 1]; del args[i:i + 2]
    if "--to" in args:
        i = args.index("--to"); hi = args[i + 1]; del args[i:i + 2]
    comp, deopt, samples = events(args[0]), events(args[1]), events(args[2])
    prefix = args[3] if len(args) > 3 else "bitquan"
    package = "blockstm"
    if lo is None or hi is None:
        times = sorted(clock(e["values"]) for e in samples
                       if (e["values"]["sampledThread"].get("javaName") or "").startswith(prefix))
        if not times:
            sys.exit("no samples of threads named " + prefix + "*")
        lo = lo or times[0]
        hi = hi or times[-1]
    total = in_package = 0.0
    count = 0
    largest = []
    per_second = collections.defaultdict(float)
    for e in comp:
        v = e["values"]
        ms = millis(v["duration"])
        per_second[clock(v)[:8]] += ms
        if lo <= clock(v) <= hi:
            count += 1
            total += ms
            owner = v["method"]["type"]["name"]
            if package in owner:
                in_package += ms
            largest.append((ms, owner.split("/")[-1] + "::" + v["method"]["name"], v["compileLevel"]))
    print(f"window {lo} - {hi}: {count} compilations, {total:.0f} ms of compile time, {in_package:.0f} ms in {package}")
    for ms, name, level in sorted(largest, reverse=True)[:10]:
        print(f"  {ms:7.1f} ms  tier {level}  {name}")
    inside = [e["values"] for e in deopt if lo <= clock(e["values"]) <= hi]
    print(f"{len(inside)} deoptimizations in the window "
          f"({sum(1 for v in inside if package in v['method']['type']['name'])} in {package}):")
    for v in inside:
        owner = v["method"]["type"]["name"].split("/")[-1]
        print(f"  {clock(v)} {v['reason']:<36} {v['action']:<16} line {v['lineNumber']:<5} {owner}::{v['method']['name']}")
    print("compile ms per second: " + " ".join(f"{k}={per_second[k]:.0f}" for k in sorted(per_second)))


if __name__ == "__main__":
    main(sys.argv)
