package org.discrete4j.model;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * A batch of chains cut into two lanes that run at once, the second on the common fork-join pool: for per-chain loops
 * heavy enough to repay the hand-off (some 10 to 50 µs to wake a pool thread), on a machine with a second core. Which
 * chains form a lane depends only on the batch, never on the machine, so anything drawn per lane (a random stream)
 * is the same on one core or many; with one thread the lanes run one after the other on the caller.
 *
 * <p>The thread count is the process-wide {@link #threads()} (system property {@code discrete4j.threads}, default
 * the number of cores), the counterpart of PyTorch's intra-op threads for the Java side; more than two lanes never
 * paid on the 2-core machine this was measured on, so a batch has at most two. Running a body allocates nothing.
 */
public final class ChainLanes {

    /** A per-chain loop over the chains [from, to) of one lane. */
    public interface Body {
        void run(int lane, int from, int to);
    }

    private static volatile int threads = Math.max(1, Integer.getInteger("discrete4j.threads",
            Runtime.getRuntime().availableProcessors()));

    private final int chains;
    private final int lanes;
    private final Task second = new Task();

    /** The chains in two lanes if {@code split} and there are at least two, else one. */
    public ChainLanes(int chains, boolean split) {
        this.chains = chains;
        this.lanes = split && chains >= 2 ? 2 : 1;
    }

    /** Threads the lanes of a batch may use (1: one after the other on the caller). */
    public static int threads() {
        return threads;
    }

    /** Sets {@link #threads()} for the whole process (a benchmark compares both sides at the same count). */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        threads = n;
    }

    public int lanes() {
        return lanes;
    }

    /** First chain of lane l. */
    public int from(int lane) {
        return lane == 0 ? 0 : chains / 2;
    }

    /** One past the last chain of lane l. */
    public int to(int lane) {
        return lane == 0 && lanes == 2 ? chains / 2 : chains;
    }

    /** The lane of chain c. */
    public int laneOf(int c) {
        return lanes == 2 && c >= chains / 2 ? 1 : 0;
    }

    /** Runs the body on every lane, at once when there are two lanes and two threads; returns when all are done. */
    public void run(Body body) {
        if (lanes == 1 || threads < 2 || ForkJoinPool.getCommonPoolParallelism() < 1) {
            for (int l = 0; l < lanes; l++) {
                body.run(l, from(l), to(l));
            }
            return;
        }
        second.body = body;
        second.reinitialize();
        second.fork(); // onto the common pool; join() runs it here if no pool thread has taken it yet
        try {
            body.run(0, from(0), to(0));
        } finally {
            second.join();
            second.body = null;
        }
    }

    /** Lane 1 as a reusable fork-join task. */
    private final class Task extends RecursiveAction {
        Body body;

        @Override
        protected void compute() {
            body.run(1, from(1), to(1));
        }
    }
}
