package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DonationsTest {
    @Test
    void aDonorGivesTheOlderHalfOfItsStackAndKeepsTheNewer() {
        Donations shared = new Donations(16);
        int[] stack = {10, 11, 12, 13, 14};
        int top = shared.donate(stack, 5);
        assertThat(top).isEqualTo(3);
        assertThat(stack).startsWith(12, 13, 14); // the newest stay on top, nearest the chain being run
        assertThat(shared.take()).isEqualTo(10);
        assertThat(shared.take()).isEqualTo(11);
        assertThat(shared.take()).isEqualTo(-1);
    }

    /** What a donor keeps it runs itself; what it gives, idle workers take: each transaction exactly once. */
    @Test
    void everyTransactionIsRunExactlyOnceByTheDonorOrOneTaker() throws Exception {
        int n = 20_000;
        Donations shared = new Donations(n);
        java.util.concurrent.atomic.AtomicIntegerArray runs = new java.util.concurrent.atomic.AtomicIntegerArray(n);
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] takers = new Thread[3];
        for (int i = 0; i < takers.length; i++) {
            takers[i] = new Thread(() -> {
                while (done.get() < n) {
                    int t = shared.take();
                    if (t >= 0) {
                        runs.incrementAndGet(t);
                        done.incrementAndGet();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            takers[i].start();
        }
        int[] stack = new int[8];
        for (int next = 0; next < n; ) {
            int top = 0;
            while (top < stack.length && next < n) {
                stack[top++] = next++;
            }
            while (top >= 2) {
                top = shared.donate(stack, top);
                runs.incrementAndGet(stack[--top]); // the donor runs the newest of what it kept
                done.incrementAndGet();
            }
            if (top == 1) {
                runs.incrementAndGet(stack[0]);
                done.incrementAndGet();
            }
        }
        for (Thread t : takers) {
            t.join(60_000);
        }
        for (int t = 0; t < n; t++) {
            assertThat(runs.get(t)).as("runs of " + t).isEqualTo(1);
        }
    }
}
