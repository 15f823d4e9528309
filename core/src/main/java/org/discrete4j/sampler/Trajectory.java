package org.discrete4j.sampler;

import java.util.function.LongConsumer;

/**
 * Runs a kernel for a fixed number of steps and shows the chains to an observer every few steps, with the step count
 * and the wall time spent inside the kernel's steps so far. This is the shape of the sampling experiments of
 * Grathwohl et al. ("Oops I Took A Gradient", ICML 2021): a figure of the chains (log-MMD to ground-truth draws,
 * log-joint, error of the estimated marginals) against iterations and against seconds, from a given start. Only
 * {@link Kernel#step} is timed, so computing the figure costs nothing in the seconds.
 *
 * <p>Kernels run as they are configured, with adaptation off: the curve then describes one fixed Markov chain from
 * its start, not a tuning procedure.
 */
public final class Trajectory {

    private Trajectory() {}

    /** Looks at the chains; {@code seconds} is the kernel's wall time up to this point. */
    @FunctionalInterface
    public interface Observer {
        void observe(long step, double seconds, ChainState state);
    }

    /**
     * What the run cost and how it moved.
     *
     * @param seconds wall time of all kernel steps
     * @param evaluations energy evaluations per chain during the steps (the initial one excluded)
     * @param acceptance mean acceptance over the steps
     * @param flips mean number of changed sites per chain per step
     */
    public record Summary(String kernel, long steps, double seconds, long evaluations, double acceptance,
            double flips) {}

    /**
     * Runs {@code steps} transitions of {@code kernel} on {@code state} (in place), calling {@code observer} at step 0
     * (before the first transition) and after every {@code every}-th step. {@code progress}, if not null, receives
     * the number of steps done since its last call.
     */
    public static Summary run(Kernel kernel, ChainState state, long steps, int every, Observer observer,
            LongConsumer progress) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (every < 1) {
            throw new IllegalArgumentException("observation interval must be >= 1, got " + every);
        }
        if (!kernel.appliesTo(state.model())) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " does not apply to " + state.model());
        }
        kernel.setAdapting(false);
        long start = System.nanoTime();
        kernel.init(state);
        long nanos = System.nanoTime() - start;
        long before = state.evaluations();
        observer.observe(0, nanos * 1e-9, state);
        double acceptance = 0;
        double flips = 0;
        long chunk = Math.max(1, steps / 1000);
        long pending = 0;
        for (long t = 1; t <= steps; t++) {
            long s = System.nanoTime();
            StepInfo info = kernel.step(state);
            nanos += System.nanoTime() - s;
            acceptance += info.acceptance();
            flips += info.flips();
            if (t % every == 0) {
                observer.observe(t, nanos * 1e-9, state);
            }
            if (progress != null && ++pending >= chunk) {
                progress.accept(pending);
                pending = 0;
            }
        }
        if (progress != null && pending > 0) {
            progress.accept(pending);
        }
        return new Summary(kernel.name(), steps, nanos * 1e-9, state.evaluations() - before,
                steps == 0 ? Double.NaN : acceptance / steps, steps == 0 ? Double.NaN : flips / steps);
    }
}
