package org.discrete4j.sampler;

import java.util.SplittableRandom;
import org.discrete4j.model.SiteCache;

/**
 * The exact locally-balanced proposal over the Hamming-1 neighbourhood (Zanella, "Informed proposals for local MCMC
 * in discrete spaces", JASA 115:852, 2020): q(x'|x) = g(π(x')/π(x)) / Z(x) over the D(K−1)
 * states that differ from x in one site, with Z(x) = Σ_{y ∈ N(x)} g(π(y)/π(x)) and a balancing function
 * g(t) = t·g(1/t): √t ({@code lb-sqrt}) or t/(1+t) ({@code lb-ratio}, Barker's). Followed by Metropolis–Hastings
 * with ratio π(x')q(x|x') / (π(x)q(x'|x)) = e^Δ · g(e^−Δ)/g(e^Δ) · Z(x)/Z(x'), which balance reduces to Z(x)/Z(x');
 * we evaluate the full expression so the bookkeeping does not lean on that identity.
 *
 * <p>The ratios are the model's exact single-site deltas from the site cache. The reverse normaliser Z(x') needs the
 * whole neighbourhood of x': the kernel moves the cache to x', reads it, and moves it back if the proposal is
 * rejected. The neighbourhood of the current states is kept between steps (an accepted proposal's neighbourhood is
 * the next step's), so a step reads D(K−1) deltas; and since a move changes the deltas of few sites in a sparse
 * model, a weight is recomputed (one exp) only where its delta changed, the others are reused bit for bit. The
 * kept neighbourhood is tied to the state's site cache: another kernel that moves the same chains must be followed
 * by {@link #init} again.
 */
public final class LocallyBalanced implements Kernel {

    /** The balancing function g, with g(t) = t·g(1/t). */
    public enum Weight {
        /** g(t) = √t. */
        SQRT,
        /** g(t) = t/(1+t). */
        RATIO;

        /** log g(e^Δ). */
        double logG(double delta) {
            if (this == SQRT) {
                return 0.5 * delta;
            }
            // log(e^Δ/(1+e^Δ)) = −softplus(−Δ), computed without overflow.
            return -(Math.max(-delta, 0) + Math.log1p(Math.exp(-Math.abs(delta))));
        }
    }

    /** Weights are g·e^−ref; a new log-weight this far above ref, or a sum this small, resets ref to the max. */
    private static final double HEADROOM = 300;
    private static final double TINY_SUM = 1e-250;

    private final Weight weight;
    // Per chain, for every single-site move y = (i, v) of the current state at index i·K + v: the delta
    // log p̃(y) − log p̃(x) (NaN at v = x_i), the weight g(e^delta)·e^−ref (0 at v = x_i), ref, the weights' sum and
    // log Z(x) = ref + log sum. The spare rows receive the neighbourhood of a proposal.
    private double[][] delta;
    private double[][] w;
    private double[] ref;
    private double[] sum;
    private double[] logZ;
    private double[] spareDelta;
    private double[] spareW;
    private double spareRef;
    private double spareSum;
    private double[] site;
    private SiteCache owner;
    long rescales; // neighbourhoods recomputed in full after init (read by tests)

    public LocallyBalanced(Weight weight) {
        this.weight = weight;
    }

    @Override
    public String name() {
        return weight == Weight.SQRT ? "lb-sqrt" : "lb-ratio";
    }

    @Override
    public void init(ChainState state) {
        int chains = state.chains();
        int n = state.dim() * state.numValues();
        delta = new double[chains][n];
        w = new double[chains][n];
        ref = new double[chains];
        sum = new double[chains];
        logZ = new double[chains];
        spareDelta = new double[n];
        spareW = new double[n];
        site = new double[state.numValues()];
        owner = state.cache();
        for (int c = 0; c < chains; c++) {
            logZ[c] = neighbourhood(owner, c, null, null, 0, delta[c], w[c]);
            ref[c] = spareRef;
            sum[c] = spareSum;
        }
        state.addEvaluations((long) state.dim() * (state.numValues() - 1));
    }

    /**
     * The neighbourhood of chain c's current state into outDelta/outW, reusing the weight of every move whose delta
     * equals its previous value (prevDelta/prevW/prevRef, or none); leaves ref and the sum in {@link #spareRef} and
     * {@link #spareSum} and returns log Z.
     */
    private double neighbourhood(SiteCache cache, int c, double[] prevDelta, double[] prevW, double prevRef,
            double[] outDelta, double[] outW) {
        int k = site.length;
        int d = outW.length / k;
        int[] x = cache.states();
        boolean reset = prevDelta == null;
        double r = prevRef;
        double s = 0;
        for (int i = 0; i < d; i++) {
            cache.siteDeltas(c, i, site);
            int cur = x[c * d + i];
            for (int v = 0; v < k; v++) {
                int j = i * k + v;
                if (v == cur) {
                    outDelta[j] = Double.NaN;
                    outW[j] = 0;
                    continue;
                }
                double dl = site[v];
                outDelta[j] = dl;
                if (reset) {
                    continue;
                }
                if (dl == prevDelta[j]) { // never true at the old current value (NaN)
                    outW[j] = prevW[j];
                } else {
                    double lg = weight.logG(dl);
                    if (lg - r > HEADROOM) {
                        reset = true;
                        continue;
                    }
                    outW[j] = Math.exp(lg - r);
                }
                s += outW[j];
            }
        }
        if (reset || !(s > TINY_SUM)) {
            if (prevDelta != null) {
                rescales++;
            }
            // Weights relative to the largest log-weight: one exp per move.
            r = Double.NEGATIVE_INFINITY;
            for (double dl : outDelta) {
                if (dl == dl) {
                    r = Math.max(r, weight.logG(dl));
                }
            }
            if (!Double.isFinite(r)) {
                throw new IllegalStateException(name() + ": non-finite locally-balanced weight " + r);
            }
            s = 0;
            for (int j = 0; j < outW.length; j++) {
                double dl = outDelta[j];
                outW[j] = dl == dl ? Math.exp(weight.logG(dl) - r) : 0;
                s += outW[j];
            }
        }
        spareRef = r;
        spareSum = s;
        return r + Math.log(s);
    }

    /** An index drawn with probability row[j] / total. */
    private static int draw(double[] row, double total, SplittableRandom rng) {
        double u = rng.nextDouble() * total;
        double acc = 0;
        for (int j = 0; j < row.length; j++) {
            acc += row[j];
            if (u < acc) {
                return j;
            }
        }
        for (int j = row.length - 1; j >= 0; j--) { // rounding left u at the very top: the last positive weight
            if (row[j] > 0) {
                return j;
            }
        }
        throw new IllegalStateException("empty neighbourhood");
    }

    @Override
    public StepInfo step(ChainState state) {
        if (w == null || owner != state.cache() || w.length != state.chains()
                || w[0].length != state.dim() * state.numValues()) {
            init(state);
        }
        SiteCache cache = owner;
        int d = state.dim();
        int k = state.numValues();
        int[] x = state.x();
        double[] logp = state.logProb();
        long accepted = 0;
        for (int c = 0; c < state.chains(); c++) {
            int move = draw(w[c], sum[c], state.rng());
            int i = move / k;
            int cur = x[c * d + i];
            double dl = delta[c][move];
            cache.set(c, i, move % k);
            double reverseLogZ = neighbourhood(cache, c, delta[c], w[c], ref[c], spareDelta, spareW);
            double logRatio = dl + weight.logG(-dl) - weight.logG(dl) + logZ[c] - reverseLogZ;
            if (Metropolis.accept(logRatio, state.rng(), name())) {
                accepted++;
                logp[c] += dl;
                double[] t = delta[c];
                delta[c] = spareDelta;
                spareDelta = t;
                t = w[c];
                w[c] = spareW;
                spareW = t;
                ref[c] = spareRef;
                sum[c] = spareSum;
                logZ[c] = reverseLogZ;
            } else {
                cache.set(c, i, cur);
            }
        }
        state.addEvaluations((long) d * (k - 1));
        state.invalidateGradient();
        double acceptance = (double) accepted / state.chains();
        return new StepInfo(acceptance, acceptance);
    }
}
