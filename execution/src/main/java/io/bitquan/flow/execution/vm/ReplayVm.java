package io.bitquan.flow.execution.vm;

/**
 * The VM every runner that replays a chain executes with: the chain's VM behind a fresh
 * {@link KeyHashCache} (the runner's own, shared by its engine's workers). One place, so that no
 * runner runs or is measured without it by accident: the job's executor (and so {@code run} and
 * the cluster entry), {@code bench job}'s standalone reference, {@code execute}, the demo's
 * reference runner and the determinism probe. Round 18 measured why it matters: the job's
 * executor held key hashes while the standalone reference hashed every key, so
 * {@code job/standalone=} counted an executor-only cache as the job's gain.
 *
 * <p>Not for {@code bench engine} (it compares engines on fresh blocks, each key seen once, with
 * the VM as the engines see it) and not inside {@code Engines.create}: the engines stay
 * independent of it, and tests build them over the bare VM. {@code ReplayVmUseTest} (jobs) fails
 * when a runner in the jobs or operators code creates its engine over another VM.
 */
public final class ReplayVm {
    private ReplayVm() {}

    /** {@code vm} with a new key-hash cache in front of its views' key hashing. */
    public static TransactionVm of(TransactionVm vm) {
        return new KeyHashCache().around(vm);
    }
}
