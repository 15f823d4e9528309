package org.discrete4j.sampler;

import java.util.function.LongConsumer;

/**
 * Runs a kernel on a batch of chains the way MCMC results are reported (the protocol of DISCS, Goshvadi et al.,
 * NeurIPS 2023): a burn-in of B steps with adaptation on, then N steps with adaptation off of which every k-th state
 * is kept. It records what the diagnostics need and times only the kernel's steps after burn-in, so recording costs
 * nothing in ESS per second.
 *
 * <p>Recorded at every step (burn-in included): acceptance, mean flips per chain and the mean log p̃ over chains.
 * At every kept step: log p̃ of every chain and, with a reference state, every chain's Hamming distance to it (the
 * scalar DISCS computes ESS of); optionally the states of the first few chains (for per-coordinate ESS and
 * {@code samples.csv}).
 */
public final class ChainRunner {

    private ChainRunner() {}

    /**
     * What to run and record.
     *
     * @param burnIn steps before recording, with adaptation on (≥ 0)
     * @param steps steps after burn-in, adaptation off (≥ 1)
     * @param thin keep every thin-th state after burn-in (1 ≤ thin ≤ steps)
     * @param reference a state ({@code dim} values) whose Hamming distance to every chain is recorded, or null
     * @param stateChains record the kept states of chains 0..stateChains−1 (0 for none; at most the chain count)
     */
    public record Settings(int burnIn, int steps, int thin, int[] reference, int stateChains) {
        public Settings {
            if (burnIn < 0) {
                throw new IllegalArgumentException("burn-in must be >= 0, got " + burnIn);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
            if (thin < 1 || thin > steps) {
                throw new IllegalArgumentException("thin must be in 1..steps = " + steps + ", got " + thin);
            }
            if (stateChains < 0) {
                throw new IllegalArgumentException("state chains must be >= 0, got " + stateChains);
            }
            reference = reference == null ? null : reference.clone();
        }

        /** Plain settings: no reference state, no recorded states. */
        public static Settings of(int burnIn, int steps, int thin) {
            return new Settings(burnIn, steps, thin, null, 0);
        }

        /** Number of kept states per chain, ⌊steps / thin⌋. */
        public int kept() {
            return steps / thin;
        }

        public Settings withReference(int[] x) {
            return new Settings(burnIn, steps, thin, x, stateChains);
        }

        public Settings withStateChains(int n) {
            return new Settings(burnIn, steps, thin, reference, n);
        }
    }

    /**
     * What a run recorded.
     *
     * @param kernel the kernel's name
     * @param acceptance per step, burn-in included ({@code burnIn + steps} entries)
     * @param flips mean number of changed sites per chain, per step
     * @param meanLogProb mean log p̃ over chains after each step
     * @param logProb {@code [chain][j]}: log p̃ of chain c at kept state j
     * @param hamming {@code [chain][j]}: Hamming distance of kept state j to the reference, or null without one
     * @param states {@code [chain][j·dim + i]} for the recorded chains: site i of kept state j (values 0..K−1)
     * @param seconds wall time of the kernel's steps after burn-in
     * @param evaluations energy evaluations per chain after burn-in
     * @param burnInEvaluations energy evaluations per chain up to the end of burn-in (initial one included)
     */
    public record Result(String kernel, int chains, int dim, int numValues, Settings settings, double[] acceptance,
            double[] flips, double[] meanLogProb, double[][] logProb, double[][] hamming, byte[][] states,
            double seconds, long evaluations, long burnInEvaluations) {

        /** Number of kept states per chain. */
        public int kept() {
            return settings.kept();
        }

        /** The step number (counted from the start, burn-in included) of kept state j. */
        public long step(int j) {
            return settings.burnIn() + (long) (j + 1) * settings.thin();
        }

        /** Site i of kept state j of recorded chain c. */
        public int state(int c, int j, int i) {
            return states[c][j * dim + i] & 0xFF;
        }

        /** The kept values of site i of recorded chain c, as a series for ESS. */
        public double[] coordinate(int c, int i) {
            double[] s = new double[kept()];
            for (int j = 0; j < s.length; j++) {
                s[j] = states[c][j * dim + i] & 0xFF;
            }
            return s;
        }

        /** Mean acceptance over the steps after burn-in. */
        public double meanAcceptance() {
            double s = 0;
            for (int t = settings.burnIn(); t < acceptance.length; t++) {
                s += acceptance[t];
            }
            return s / settings.steps();
        }

        /** Mean flips per chain per step after burn-in. */
        public double meanFlips() {
            double s = 0;
            for (int t = settings.burnIn(); t < flips.length; t++) {
                s += flips[t];
            }
            return s / settings.steps();
        }
    }

    /**
     * Runs {@code kernel} on {@code state} (advancing it in place). {@code progress}, if not null, receives the
     * number of steps done since its last call, every few steps.
     */
    public static Result run(Kernel kernel, ChainState state, Settings s, LongConsumer progress) {
        int chains = state.chains();
        int d = state.dim();
        int k = state.numValues();
        if (!kernel.appliesTo(state.model())) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " does not apply to " + state.model());
        }
        if (s.reference() != null) {
            if (s.reference().length != d) {
                throw new IllegalArgumentException("reference state has " + s.reference().length + " values, dim is "
                        + d);
            }
        }
        int recorded = Math.min(s.stateChains(), chains);
        if (recorded > 0 && k > 256) {
            throw new IllegalArgumentException("recording states needs K <= 256, got " + k);
        }
        int total = s.burnIn() + s.steps();
        int kept = s.kept();
        double[] acceptance = new double[total];
        double[] flips = new double[total];
        double[] meanLogProb = new double[total];
        double[][] logProb = new double[chains][kept];
        double[][] hamming = s.reference() == null ? null : new double[chains][kept];
        byte[][] states = new byte[recorded][kept * d];
        long chunk = Math.max(1, total / 1000);
        long pending = 0;

        kernel.init(state);
        kernel.setAdapting(true);
        for (int t = 0; t < s.burnIn(); t++) {
            record(kernel.step(state), state, t, acceptance, flips, meanLogProb);
            if (progress != null && ++pending >= chunk) {
                progress.accept(pending);
                pending = 0;
            }
        }
        kernel.setAdapting(false);
        long burnInEvaluations = state.evaluations();
        long nanos = 0;
        int j = 0;
        for (int t = 1; t <= s.steps(); t++) {
            long start = System.nanoTime();
            StepInfo info = kernel.step(state);
            nanos += System.nanoTime() - start;
            record(info, state, s.burnIn() + t - 1, acceptance, flips, meanLogProb);
            if (t % s.thin() == 0) {
                keep(state, j++, s.reference(), logProb, hamming, states);
            }
            if (progress != null && ++pending >= chunk) {
                progress.accept(pending);
                pending = 0;
            }
        }
        if (progress != null && pending > 0) {
            progress.accept(pending);
        }
        return new Result(kernel.name(), chains, d, k, s, acceptance, flips, meanLogProb, logProb, hamming, states,
                nanos * 1e-9, state.evaluations() - burnInEvaluations, burnInEvaluations);
    }

    private static void record(StepInfo info, ChainState state, int t, double[] acceptance, double[] flips,
            double[] meanLogProb) {
        acceptance[t] = info.acceptance();
        flips[t] = info.flips();
        double[] lp = state.logProb();
        double m = 0;
        for (double v : lp) {
            m += v;
        }
        meanLogProb[t] = m / lp.length;
    }

    private static void keep(ChainState state, int j, int[] reference, double[][] logProb, double[][] hamming,
            byte[][] states) {
        int[] x = state.x();
        int d = state.dim();
        double[] lp = state.logProb();
        for (int c = 0; c < state.chains(); c++) {
            logProb[c][j] = lp[c];
            if (reference != null) {
                int h = 0;
                for (int i = 0, o = c * d; i < d; i++) {
                    if (x[o + i] != reference[i]) {
                        h++;
                    }
                }
                hamming[c][j] = h;
            }
        }
        for (int c = 0; c < states.length; c++) {
            for (int i = 0, o = c * d; i < d; i++) {
                states[c][j * d + i] = (byte) x[o + i];
            }
        }
    }
}
