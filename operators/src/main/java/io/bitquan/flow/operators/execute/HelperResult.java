package io.bitquan.flow.operators.execute;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The task thread taking a result computed for it on one of the executor's helper threads
 * ({@code chunk-decode}, {@code state-prefetch}).
 */
final class HelperResult {
    private HelperResult() {
    }

    /**
     * {@code f}'s result, waiting through interrupts (the helper is computing it right now, and the
     * task thread needs it; the interrupt is restored afterwards). A failure is rethrown as the
     * helper threw it, so the task sees the same exception as if it had computed the result itself.
     *
     * @throws java.util.concurrent.CancellationException if {@code f} was cancelled
     */
    static <T> T await(Future<T> f, String what) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed", cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
