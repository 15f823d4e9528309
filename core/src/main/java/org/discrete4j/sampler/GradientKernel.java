package org.discrete4j.sampler;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.discrete4j.model.ChainLanes;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.GradientCache;

/**
 * The step shared by the gradient-informed kernels (Gibbs-with-Gradients, path auxiliary, discrete Langevin): a
 * proposal read off the one-hot gradient at x, then a Metropolis–Hastings test whose reverse proposal needs the
 * gradient at x'.
 *
 * <p>The cost is what makes these samplers fast, so it is fixed here once: every chain's proposal is written into one
 * buffer and log p̃(x') and ∇log p̃(x') come from ONE batched {@code logProbAndGradient} call. That single
 * evaluation gives the Metropolis–Hastings ratio (Δlog p̃ in double precision, from two full evaluations, never
 * accumulated) and the reverse proposal, and on acceptance it becomes the state's cached log p̃ and gradient, so the
 * next step's forward proposal needs no evaluation. A step is one energy-and-gradient evaluation; the reference code
 * of Grathwohl et al. evaluates four times (log p̃ and its gradient at x and at x', then log p̃ at both again for the
 * ratio), and DISCS counts four.
 *
 * <p>When the model's site cache is a {@link GradientCache} (Ising, Potts, RBM, factorial HMM), that one evaluation is
 * incremental: each proposal differs from its chain's state in a few sites, and the cache gives Δlog p̃ in closed
 * form and the gradient at x' from its local quantities updated at those sites (the RBM's hidden inputs by one row
 * add, then one batched product for the gradients of all chains). Δlog p̃ enters the Metropolis–Hastings ratio
 * directly, and the cached log p̃ of the state is its running sum; every {@value #REFRESH} steps the kernel has the
 * cache evaluate the states afresh, so rounding can never accumulate in a long run. Other
 * models get one full {@code logProbAndGradient} of the proposals.
 *
 * <p>All buffers are sized on the first step of a batch of chains and reused: a step allocates nothing but its
 * {@link StepInfo}.
 */
abstract class GradientKernel implements Kernel {

    /** Steps of the incremental path between fresh evaluations of the states. */
    static final int REFRESH = 1000;

    /**
     * Batches with at least this many one-hot gradient entries (chains × D × K) run their tests in two lanes when
     * the subclass allows it: below, a step takes tens of microseconds and the hand-off to a second thread would eat
     * the gain (an Ising 10×10 with 100 chains has 20,000 entries; an RBM with 784 visible units 156,800).
     */
    static final int LANE_ENTRIES = 65_536;

    private int chains = -1;
    private int dim;
    private int values;
    private int[] proposal;
    private double[] proposalLogProb;
    private double[] delta;
    private float[] proposalGradient;
    // Whether row c of proposalGradient equals row c of the state's gradient: true after an accepted move (the row
    // was copied over), so a GradientCache only writes the entries its next proposal changes.
    private boolean[] proposalRowCurrent;
    private double[] forward;
    private int[] sites; // chains × dim: the sites where each chain's proposal differs from its state
    private int[] counts;
    private ChainState owner; // the state and gradient array the subclass's per-chain caches describe
    private float[] ownerGradient;
    private int sinceRefresh;
    private EnergyModel checkedModel; // the model whose cache was checked for a GradientCache
    private boolean incremental;
    // The Metropolis–Hastings tests run in lanes of chains (two at once on two cores, for large batches); each lane
    // draws from its own stream, split off the state's when the kernel first meets the state.
    private ChainLanes lanes;
    private final SplittableRandom[] laneRng = new SplittableRandom[2];
    private final ChainLanes.Body test = this::test;
    private final int[] laneAccepted = new int[2];
    private final long[] laneFlips = new long[2];
    private final double[] laneAcceptance = new double[2];
    private ChainState stepState; // the state of the step in progress, for the lanes

    /** Sizes the subclass's per-chain and per-site buffers. */
    abstract void allocate(int chains, int dim, int values);

    /**
     * Writes the proposal of chain {@code c} into {@code xp} (which holds a copy of x on entry) and returns
     * log q(x' | x), or {@link Double#NEGATIVE_INFINITY} for a draw that is not a move of this kernel (then the chain
     * stays where it is). {@code g} is the one-hot gradient at x of all chains.
     */
    abstract double propose(int c, int[] x, float[] g, int[] xp, SplittableRandom rng);

    /** log q(x | x') of chain {@code c}, the reverse of the move just proposed, with {@code gp} the gradient at x'. */
    abstract double reverse(int c, int[] x, int[] xp, float[] gp);

    /** Chain c moved to its proposal (after {@link #reverse} of the same step, for corrected kernels). */
    void accepted(int c) {}

    /** Chain c stayed after {@link #reverse} of the same step. */
    void rejected(int c) {}

    /**
     * Whether {@link #reverse}, {@link #accepted} and {@link #rejected} may run for chains of two lanes at once
     * (scratch kept per {@code lane(c)}); {@link #propose} always runs on one thread.
     */
    boolean laneSafe() {
        return false;
    }

    /** The lane of chain c in this step's batch (0 or 1; 0 for a kernel driven by another, never sized itself). */
    final int lane(int c) {
        return lanes == null ? 0 : lanes.laneOf(c);
    }

    /**
     * The states or their gradient changed behind the kernel's back (another kernel stepped the chains, or the
     * gradient was recomputed): anything the subclass keeps per chain must be rebuilt from x and the gradient.
     */
    void forget() {}

    /** Whether the kernel applies the Metropolis–Hastings correction (false only for the unadjusted DULA). */
    boolean corrected() {
        return true;
    }

    /**
     * Called after every step with the mean over chains of min(1, exp(log ratio)), the expected acceptance, which is
     * a far less noisy signal than the 0/1 decisions. Adaptive kernels override it.
     */
    void observe(double meanAcceptance) {}

    @Override
    public void init(ChainState state) {
        size(state);
        state.gradient();
    }

    private void size(ChainState state) {
        int c = state.chains();
        int d = state.dim();
        int k = state.numValues();
        if (c == chains && d == dim && k == values) {
            return;
        }
        chains = c;
        dim = d;
        values = k;
        proposal = new int[c * d];
        proposalLogProb = new double[c];
        delta = new double[c];
        proposalGradient = new float[c * d * k];
        proposalRowCurrent = new boolean[c];
        forward = new double[c];
        sites = new int[c * d];
        counts = new int[c];
        owner = null;
        lanes = new ChainLanes(c, laneSafe() && (long) c * d * k >= LANE_ENTRIES);
        allocate(c, d, k);
    }

    @Override
    public StepInfo step(ChainState state) {
        size(state);
        if (state.model() != checkedModel) {
            checkedModel = state.model();
            incremental = state.cache() instanceof GradientCache;
        }
        int[] x = state.x();
        float[] g = state.gradient();
        if (incremental && ++sinceRefresh >= REFRESH) {
            sinceRefresh = 0;
            ((GradientCache) state.cache()).refresh(state.logProb(), g); // a fresh evaluation, in place
            state.addEvaluations(1);
            forget();
            Arrays.fill(proposalRowCurrent, false);
        }
        if (owner != state) {
            for (int l = 0; l < 2; l++) {
                laneRng[l] = lanes.lanes() == 1 ? state.rng() : state.rng().split();
            }
        }
        if (owner != state || ownerGradient != g || state.stepper != this) {
            forget();
            Arrays.fill(proposalRowCurrent, false);
            owner = state;
            ownerGradient = g;
        }
        state.stepper = this;
        double[] logp = state.logProb();
        System.arraycopy(x, 0, proposal, 0, x.length);
        for (int c = 0; c < chains; c++) {
            forward[c] = propose(c, x, g, proposal, laneRng[lanes.laneOf(c)]);
        }
        if (incremental) {
            int row = dim * values;
            for (int c = 0; c < chains; c++) {
                counts[c] = forward[c] == Double.NEGATIVE_INFINITY ? -1 : changedSites(c, x);
                if (counts[c] >= 0) {
                    if (!proposalRowCurrent[c]) {
                        System.arraycopy(g, c * row, proposalGradient, c * row, row); // the contract of evaluate
                    }
                    proposalRowCurrent[c] = false;
                }
            }
            ((GradientCache) state.cache()).evaluate(proposal, sites, counts, delta, proposalGradient);
            for (int c = 0; c < chains; c++) {
                proposalLogProb[c] = logp[c] + delta[c];
            }
        } else {
            Arrays.fill(proposalRowCurrent, false);
            state.model().logProbAndGradient(proposal, chains, proposalLogProb, proposalGradient);
            for (int c = 0; c < chains; c++) {
                delta[c] = proposalLogProb[c] - logp[c];
            }
        }
        state.addEvaluations(1);

        stepState = state;
        try {
            lanes.run(test);
        } finally {
            stepState = null;
        }
        int accepted = 0;
        long flips = 0;
        double acceptance = 0;
        for (int l = 0; l < lanes.lanes(); l++) {
            accepted += laneAccepted[l];
            flips += laneFlips[l];
            acceptance += laneAcceptance[l];
        }
        if (!incremental) {
            state.invalidateCache(); // a site cache would now describe the old states
        }
        if (corrected()) {
            observe(acceptance / chains);
        }
        return new StepInfo((double) accepted / chains, (double) flips / chains);
    }

    /** The Metropolis–Hastings tests of the chains [from, to) of one lane, and the moves of those accepted. */
    private void test(int lane, int from, int to) {
        ChainState state = stepState;
        SplittableRandom rng = laneRng[lane];
        int[] x = state.x();
        float[] g = state.gradient();
        double[] logp = state.logProb();
        GradientCache cache = incremental ? (GradientCache) state.cache() : null;
        boolean mh = corrected();
        int accepted = 0;
        long flips = 0;
        double acceptance = 0;
        int row = dim * values;
        for (int c = from; c < to; c++) {
            if (forward[c] == Double.NEGATIVE_INFINITY) {
                continue; // not a move: the chain stays, and counts as a rejection
            }
            boolean accept = true;
            if (mh) {
                double logRatio = delta[c] + reverse(c, x, proposal, proposalGradient) - forward[c];
                accept = Metropolis.accept(logRatio, rng, name());
                acceptance += logRatio >= 0 ? 1 : Math.exp(logRatio);
            }
            if (!accept) {
                rejected(c);
                continue;
            }
            accepted++;
            if (cache != null) {
                flips += counts[c];
                cache.accept(c);
            } else {
                int o = c * dim;
                for (int i = o; i < o + dim; i++) {
                    if (x[i] != proposal[i]) {
                        flips++;
                        x[i] = proposal[i];
                    }
                }
            }
            logp[c] = proposalLogProb[c];
            System.arraycopy(proposalGradient, c * row, g, c * row, row);
            proposalRowCurrent[c] = true;
            accepted(c);
        }
        laneAccepted[lane] = accepted;
        laneFlips[lane] = flips;
        laneAcceptance[lane] = acceptance;
    }

    /** Lists the sites where chain c's proposal differs from its state into {@link #sites}; returns how many. */
    private int changedSites(int c, int[] x) {
        int o = c * dim;
        int end = o + dim;
        int n = 0;
        // Arrays.mismatch compares whole vectors at a time: a proposal differs in a few sites of hundreds.
        for (int i = o; i < end; i++) {
            int d = java.util.Arrays.mismatch(x, i, end, proposal, i, end);
            if (d < 0) {
                break;
            }
            i += d;
            sites[o + n++] = i - o;
        }
        return n;
    }

    /**
     * Fills {@code logits} with the log-weights d_{ik}·scale of chain {@code c} at state {@code s} over its D(K−1)
     * candidate moves, d_{ik} = g_{ik} − g_{i,x_i} read off the one-hot gradient {@code g} (move i·(K−1) + r sends
     * site i to the r-th value other than its current one), and returns their maximum, checked finite.
     */
    final double moveLogits(int c, int[] s, float[] g, int dim, int values, double scale, double[] logits) {
        int o = c * dim;
        int go = o * values;
        double max = Double.NEGATIVE_INFINITY;
        if (values == 2) {
            // Binary: one move per site, d_i = ±(g_{i1} − g_{i0}); written out because it is the hot case.
            // The sign as arithmetic, not a branch: on random states a branch mispredicts every other site (measured
            // a third of an RBM 784×500 step's Java time).
            for (int i = 0; i < dim; i++) {
                double l = (g[go + 2 * i + 1] - g[go + 2 * i]) * scale * (1 - 2 * s[o + i]);
                logits[i] = l;
                max = Math.max(max, l);
            }
            return requireFinite(max);
        }
        int m = values - 1;
        for (int i = 0; i < dim; i++) {
            int cur = s[o + i];
            int base = go + i * values;
            double gc = g[base + cur];
            for (int r = 0; r < m; r++) {
                double l = (g[base + (r < cur ? r : r + 1)] - gc) * scale;
                logits[i * m + r] = l;
                max = Math.max(max, l);
            }
        }
        return requireFinite(max);
    }

    /**
     * Checks the largest proposal log-weight: a NaN or infinite gradient is a bug in the model, so it is an error
     * here rather than a proposal that silently never moves. (Math.max propagates NaN, so a NaN anywhere shows.)
     */
    final double requireFinite(double max) {
        if (!Double.isFinite(max)) {
            throw new IllegalStateException(name() + ": proposal log-weights have no finite maximum (" + max
                    + "): the model's gradient is not finite");
        }
        return max;
    }
}
