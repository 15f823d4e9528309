package org.discrete4j.sampler;

import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Enumeration;

/**
 * Total-variation checks of a kernel against exact enumeration, with a bound derived from the sample size.
 *
 * <p>We run {@code chains} independent chains from uniform random starts for {@code steps} steps and keep only the
 * final state of each: N = chains independent draws (up to the burn-in bias, which the run length makes
 * negligible on these tiny models). For the empirical distribution p̂ of N iid draws,
 * E|p̂_s − p_s| ≤ sqrt(p_s(1−p_s)/N) (Jensen), so E[TV] ≤ ½ Σ_s sqrt(p_s(1−p_s)/N); and TV changes by at most 1/N
 * when one draw changes, so by McDiarmid P(TV > E[TV] + t) ≤ exp(−2Nt²). With t = sqrt(ln(1/δ)/(2N)), δ = 1e-6,
 * the bound fails for a correct sampler with probability below one in a million.
 */
final class ExactCheck {

    static final double DELTA = 1e-6;

    private ExactCheck() {}

    /** Result of one check: the distance, and the bound it must stay under. */
    record Result(double tv, double bound, int draws) {
        boolean passes() {
            return tv <= bound;
        }

        @Override
        public String toString() {
            return String.format("TV %.5f (bound %.5f, N = %d)", tv, bound, draws);
        }
    }

    /** Final states of {@code chains} independent chains after {@code steps} steps of the kernel. */
    static int[] finalStates(EnergyModel model, Kernel kernel, int chains, int steps, long seed) {
        ChainState state = ChainState.uniform(model, chains, seed);
        kernel.init(state);
        for (int t = 0; t < steps; t++) {
            kernel.step(state);
        }
        return state.x().clone();
    }

    /** TV between the empirical distribution of the states and the exact distribution p. */
    static Result tv(int[] states, int chains, int d, int k, double[] p) {
        double[] counts = new double[p.length];
        for (int c = 0; c < chains; c++) {
            counts[Enumeration.encode(states, c * d, d, k)]++;
        }
        return compare(counts, chains, p);
    }

    /** TV between the empirical histogram {@code counts} (N draws) and p, with the bound above. */
    static Result compare(double[] counts, int n, double[] p) {
        double tv = 0;
        double expected = 0;
        for (int s = 0; s < p.length; s++) {
            tv += Math.abs(counts[s] / n - p[s]);
            expected += Math.sqrt(p[s] * (1 - p[s]) / n);
        }
        double bound = 0.5 * expected + Math.sqrt(Math.log(1 / DELTA) / (2.0 * n));
        return new Result(0.5 * tv, bound, n);
    }

    /** Runs the kernel and compares with the model's exact distribution. */
    static Result check(EnergyModel model, Kernel kernel, int chains, int steps, long seed) {
        int[] x = finalStates(model, kernel, chains, steps, seed);
        return tv(x, chains, model.dim(), model.numValues(), Enumeration.of(model).probabilities());
    }

    /**
     * Final states of chains started from exact draws of the model. A kernel that leaves p invariant keeps them
     * exactly p-distributed at every step, so this checks invariance without waiting for mixing (useful where mixing
     * is slow, e.g. a strongly coupled Ising model); it does not check convergence, so pair it with a run from
     * {@link #finalStates uniform starts} and check that the chains move.
     */
    static ChainState runFromExact(EnergyModel model, Kernel kernel, int chains, int steps, long seed) {
        double[] p = Enumeration.of(model).probabilities();
        int d = model.dim();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] x0 = new int[chains * d];
        for (int c = 0; c < chains; c++) {
            double u = r.nextDouble();
            int s = 0;
            double acc = p[0];
            while (u >= acc && s < p.length - 1) {
                acc += p[++s];
            }
            Enumeration.decode(s, d, model.numValues(), x0, c * d);
        }
        ChainState state = new ChainState(model, x0, chains, seed);
        kernel.init(state);
        for (int t = 0; t < steps; t++) {
            kernel.step(state);
        }
        return state;
    }
}
