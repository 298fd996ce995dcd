#!/usr/bin/env python3
# Groups jdk.ExecutionSample stacks into ledger buckets: each sample goes to the innermost frame (from the top of the
# stack down) that matches a bucket's pattern; also prints inclusive shares of a few frames. Usage:
#   jfr print --json --events jdk.ExecutionSample --stack-depth 96 x.jfr > x.json; jfrbuckets.py x.json [thread-substring]
import json, sys, re, collections
BUCKETS = [
    ("idle wait", r"IdleWait\.|LockSupport\.park|Thread\.yield|Thread\.onSpinWait"),
    ("pool hand-off", r"WorkerPool\."),
    ("pubkey BLAKE3", r"crypto\.Blake3|KeyHasher\.|KeyBinding\.<init>"),
    ("binding compare", r"KeyBinding\.hashOf|ScheduledView\.publicKeyHash"),
    ("base reads", r"InMemoryStateStore\.read"),
    ("key hash", r"StateKey\.hashCode|StateKey\.bytesHash"),
    ("key equals", r"StateKey\.equals"),
    ("key build", r"StateKey\.(account|utxo|tagged|<init>)"),
    ("interning", r"KeyIndex\.intern|KeyIndex\.grow"),
    ("write-set sort", r"IdOrder\.|KeyOrder\.|KeyIndex\.compare"),
    ("link (other)", r"AccessDag\.(link|push)"),
    ("graph alloc", r"AccessDag\.(of|<init>)|KeyIndex\.<init>|DagRun\.<init>|Donations\.<init>|PredictedRun\.<init>"),
    ("predict (other)", r"NativePrediction\.|AccessDag\.(predict|distinct)"),
    ("view: key lookup", r"ScheduledView\.(accountKey|utxoKey|predicted|accessOf)"),
    ("view: slots", r"ScheduledView\.(read|write)|DagRun\.(value|set)"),
    ("seq: tx buffer read", r"WriteBuffer\.read"),
    ("seq: tx buffer write", r"WriteBuffer\.write$"),
    ("seq: tx write list", r"WriteBuffer\.writes"),
    ("seq: buffer alloc", r"WriteBuffer\.<init>"),
    ("make writes", r"DagRun\.(makeWrites|sortedWrites)"),
    ("finish/collect", r"SequentialEngine\.finish|DagRun\.collect"),
    ("VM rules", r"AccountRules\.|UtxoRules\.|ChainVm\.|Amounts\.|AccountState\.|TxOutcome\.|Bytes\.of"),
    ("run loop (release, claim)", r"DagRun\.(runReleased|work|execute|fed|flush|allDoneBelowStop)"),
    ("seq engine loop", r"SequentialEngine\.execute"),
]
INCL = [r"AccessDag\.predict", r"NativePrediction\.of", r"AccessDag\.link", r"KeyIndex\.intern", r"DagRun\.runReleased",
        r"ChainVm\.execute", r"InMemoryStateStore\.read", r"crypto\.Blake3|KeyHasher", r"IdleWait", r"DagRun\.makeWrites",
        r"IdOrder", r"SequentialEngine\.execute", r"WriteBuffer\.", r"StateKey\.hashCode", r"DagRun\.value"]
def frames(ev):
    st = ev["values"].get("stackTrace")
    if not st: return []
    out = []
    for f in st["frames"]:
        m = f["method"]; t = m["type"]["name"].split(".")[-1].replace("/", ".").split("/")[-1]
        out.append(t + "." + m["name"])
    return out
data = json.load(open(sys.argv[1]))
want = sys.argv[2] if len(sys.argv) > 2 else None
cnt = collections.Counter(); incl = collections.Counter(); threads = collections.Counter(); total = 0
tops = collections.Counter()
for ev in data["recording"]["events"]:
    th = ev["values"].get("sampledThread") or {}
    name = th.get("javaName") or th.get("osName") or "?"
    fr = frames(ev)
    if not any("bitquan" in x or "DagRun" in x or "Sequential" in x for x in fr) and not any(re.search(r"DagRun|SequentialEngine|PredictedRun|WorkerPool", x) for x in fr):
        continue
    if want and want not in name: continue
    if not any(re.search(r"DagRun|SequentialEngine|PredictedRun|AccessDag|WorkerPool|BlockStmEngine", x) for x in fr):
        continue
    total += 1; threads[name] += 1
    b = "other"
    for x in fr:
        hit = next((n for n, p in BUCKETS if re.search(p, x)), None)
        if hit: b = hit; break
    if b == "other": tops[fr[0] if fr else "?"] += 1
    cnt[b] += 1
    s = " ".join(fr)
    for p in INCL:
        if re.search(p, s): incl[p] += 1
print("samples", total, dict(threads))
for b, c in cnt.most_common():
    print(f"  {b:32s} {c:6d} {100.0*c/total:6.1f} %")
print(" inclusive:")
for p in INCL:
    print(f"  {p:40s} {100.0*incl[p]/max(1,total):6.1f} %")
print(" top frames of 'other':", tops.most_common(12))
