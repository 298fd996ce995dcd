#!/usr/bin/env python3
# Round 20 (branch tok20): groups jdk.ExecutionSample stacks of the optimistic run (Block-STM proper) and of the
# sequential engine into steps; each sample goes to the innermost frame (from the top of the stack down) that matches
# a step's pattern, so a key hash inside the chain table's lookup counts as the lookup, and the contract VM's own
# frames count as the VM unless a view or engine frame is above them. Runs are told apart by the stack:
#   seq    SequentialEngine.execute without BlockStmEngine/TokenSplit.optimistic below it
#   stm    the optimistic run (BlockRun / TokenSplit.optimistic / BlockStmEngine), split by thread: caller vs pool.
# Usage: jfr print --json --stack-depth 256 --events jdk.ExecutionSample x.jfr > x.json; stmbuckets.py x.json
import json, sys, re, collections
STEPS = [
    ("idle wait", r"IdleWait\.|LockSupport\.park|Thread\.yield|Thread\.onSpinWait"),
    ("pool hand-off", r"WorkerPool\."),
    ("write-set sort", r"KeyOrder\.|WriteSetSorter\.|TimSort|ComparableTimSort|Arrays\.sort|RangeOutput\.(sort|joined)"),
    ("output collect", r"MvMemory\.finalWritesOf|MvMemory\.resolveCredits|BlockRun\.collectOutput|RangeOutput\.(collect|rangeOf|newLists|cuts|placeCuts)"),
    ("finish", r"SequentialEngine\.finish"),
    ("validation", r"MvMemory\.validateReadSet|BlockRun\.advanceCommit"),
    ("scheduler", r"Scheduler\."),
    ("record", r"VersionedView\.recordInto|MvMemory\.record|VersionChain\.put|VersionedView\.chainFor|MvMemory\.convertWrites"),
    ("base read", r"VersionChain\.base|InMemoryStateStore\.read"),
    ("chain lookup", r"ChainTable\.chain|MvMemory\.chain"),
    ("resolve", r"VersionChain\.resolve|VersionChain\.noteReader"),
    ("view read (dedup, log)", r"VersionedView\.(read|readThrough|log|materializePending)"),
    ("view write", r"VersionedView\.(write|put|indexOf|credit|wasRead|discardWrites|reset)"),
    ("seq buffer", r"WriteBuffer\."),
    ("VM", r"wasm\.|chicory|ChainVm\.|AccountRules\.|ContractRuntime|StorageOverlay|HostFunctions"),
    ("try_execute / loop", r"BlockRun\.|SequentialEngine\.execute"),
]
INCL = [r"WasmContractRuntime\.call", r"VersionedView\.read", r"ChainTable\.chain", r"VersionChain\.base",
        r"VersionChain\.resolve", r"VersionChain\.noteReader", r"StateKey\.hashCode", r"StateKey\.equals",
        r"MvMemory\.record", r"MvMemory\.validateReadSet", r"MvMemory\.finalWritesOf", r"KeyOrder\.",
        r"WriteBuffer\.", r"InMemoryStateStore\.read", r"IdleWait", r"Scheduler\."]

def frames(ev):
    st = ev["values"].get("stackTrace")
    if not st:
        return []
    out = []
    for f in st["frames"]:
        m = f["method"]
        t = m["type"]["name"].replace("/", ".")
        out.append(t + "." + m["name"])
    return out

data = json.load(open(sys.argv[1]))
runs = collections.defaultdict(collections.Counter)
incl = collections.defaultdict(collections.Counter)
totals = collections.Counter()
others = collections.defaultdict(collections.Counter)
for ev in data["recording"]["events"]:
    th = ev["values"].get("sampledThread") or {}
    name = th.get("javaName") or th.get("osName") or "?"
    fr = frames(ev)
    s = " ".join(fr)
    pool = name.startswith("bitquan-exec")
    if pool:
        if "BlockRun." not in s and "TokenSplit" not in s and "WorkerPool" not in s:
            continue
        run = "stm pool"
    elif re.search(r"TokenSplit\.optimistic|BlockStmEngine\.execute", s):
        run = "stm caller"
    elif "SequentialEngine.execute" in s:
        run = "seq"
    else:
        continue
    totals[run] += 1
    step = "other"
    for x in fr:
        hit = next((n for n, p in STEPS if re.search(p, x)), None)
        if hit:
            step = hit
            break
    if step == "other":
        others[run][fr[0].split(".")[-2] + "." + fr[0].split(".")[-1] if fr else "?"] += 1
    runs[run][step] += 1
    for p in INCL:
        if re.search(p, s):
            incl[run][p] += 1
for run in sorted(runs):
    print(f"{run}: {totals[run]} samples")
    for step, c in runs[run].most_common():
        print(f"  {step:28s} {c:6d} {100.0 * c / totals[run]:6.1f} %")
    print("  inclusive:", ", ".join(f"{p} {100.0 * incl[run][p] / totals[run]:.1f}%" for p in INCL if incl[run][p]))
    print("  other's top frames:", others[run].most_common(8))
