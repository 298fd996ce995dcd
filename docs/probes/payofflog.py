#!/usr/bin/env python3
"""Summarises the payoff log (-Dbitquan.bench.payoff=true) of one `bench engine` launch, round 19.

Usage: python3 docs/probes/payofflog.py <stderr of the launch>

Per workload and logged engine (the bench names every BlockStmEngine "block-stm", so within one rep the
checked engines' lines come in --engines order: defaults first, then block-stm-optimistic; since round 19
the unchecked ones, why=unchecked: block-stm-no-fallback, then block-stm-no-payoff), over the timed reps only:
  blocks run in parallel / in order; of the parallel ones, how many look like both workers on one vCPU
  (the calling thread's plus the workers' run-queue wait >= half the way's wall: round 18's sign), how many
  had a worker enter its job on the caller's vCPU (onCallersCpu > 0, round 19's builds only), and the median
  wall of the parallel blocks split by that sign.
"""
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r"^payoff (\S+) (\S+) (rep-\d+) (\S+) (parallel|in-order) wall=([\d.]+)ms .*?"
                  r"queued=([\d.]+)ms workersQueued=([\d.]+)ms(?: onCallersCpu=(\d+))? why=(\w+)")


def main(path):
    rows = defaultdict(list)  # (workload, slot) -> [(parallel, wall, queued, on)]
    seen = defaultdict(int)  # (workload, rep, checked?) -> lines so far
    order = []
    for line in open(path, errors="replace"):
        m = LINE.match(line)
        if not m:
            continue
        workload, engine, rep, kind, way, wall, q, wq, on, why = m.groups()
        threads = engine.split("/")[1]
        unchecked = why == "unchecked"
        k = (workload, threads, rep, unchecked)
        i = seen[k]
        seen[k] += 1
        names = ["no-fallback", "no-payoff"] if unchecked else ["defaults", "optimistic"]
        slot = (workload, names[i] if i < len(names) else f"#{i}", threads)
        if slot not in rows:
            order.append(slot)
        rows[slot].append((way == "parallel", float(wall), float(q) + float(wq), None if on is None else int(on), why))
    print(f"{'workload':22} {'engine':12} thr par ord  oneVcpu  onCallers  wall par ms (two vCPUs / one vCPU)  why of parallel")
    for slot in order:
        r = rows[slot]
        par = [x for x in r if x[0]]
        one = [x for x in par if x[2] >= 0.5 * x[1]]
        two = [x for x in par if x[2] < 0.5 * x[1]]
        onc = [x for x in par if x[3]]
        known = any(x[3] is not None for x in par)
        med = lambda v: f"{statistics.median(v):.1f}" if v else "-"
        whys = defaultdict(int)
        for x in par:
            whys[x[4]] += 1
        print(f"{slot[0]:22} {slot[1]:12} {slot[2]:>3} {len(par):3} {len(r) - len(par):3}  {len(one):3}/{len(par):<3} "
              f"{(str(len(onc)) + '/' + str(len(par))) if known else '-':>8}   {med([x[1] for x in two]):>7} / {med([x[1] for x in one]):<7}"
              f"              {dict(whys)}")


if __name__ == "__main__":
    main(sys.argv[1])
