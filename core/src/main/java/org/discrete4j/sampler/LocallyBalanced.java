package org.discrete4j.sampler;

import java.util.SplittableRandom;
import org.discrete4j.model.SiteCache;

/**
 * The exact locally-balanced proposal over the Hamming-1 neighbourhood (Zanella, "Informed proposals for local MCMC
 * in discrete spaces", JASA 115:852, 2020, eq. 5 and Theorem 1): q(x'|x) = g(π(x')/π(x)) / Z(x) over the D(K−1)
 * states that differ from x in one site, with Z(x) = Σ_{y ∈ N(x)} g(π(y)/π(x)) and a balancing function
 * g(t) = t·g(1/t): √t ({@code lb-sqrt}) or t/(1+t) ({@code lb-ratio}, Barker's). Followed by Metropolis–Hastings
 * with ratio π(x')q(x|x') / (π(x)q(x'|x)) = e^Δ · g(e^−Δ)/g(e^Δ) · Z(x)/Z(x'), which balance reduces to Z(x)/Z(x');
 * we evaluate the full expression so the bookkeeping does not lean on that identity.
 *
 * <p>The ratios are the model's exact single-site deltas from the site cache. The reverse normaliser Z(x') needs the
 * whole neighbourhood of x': the kernel moves the cache to x', reads it, and moves it back if the proposal is
 * rejected. The neighbourhood weights of the current states are kept between steps (an accepted proposal's
 * weights are those of the next step), so a step costs D(K−1) deltas. They are tied to the state's site cache:
 * another kernel that moves the same chains must be followed by {@link #init} again.
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

    private final Weight weight;
    // Per chain: g(π(y)/π(x)) of each single-site move y from the current state, scaled by e^−max (0 at x_i), their
    // sum, and log Z(x). Scaled weights cost one exp per move and serve both the draw and the normaliser.
    private double[][] w;
    private double[] sum;
    private double[] logZ;
    private double[] spare;
    private double spareSum;
    private double[] site;
    private SiteCache owner;

    public LocallyBalanced(Weight weight) {
        this.weight = weight;
    }

    @Override
    public String name() {
        return weight == Weight.SQRT ? "lb-sqrt" : "lb-ratio";
    }

    @Override
    public void init(ChainState state) {
        int n = state.dim() * state.numValues();
        w = new double[state.chains()][n];
        sum = new double[state.chains()];
        logZ = new double[state.chains()];
        spare = new double[n];
        site = new double[state.numValues()];
        owner = state.cache();
        for (int c = 0; c < state.chains(); c++) {
            logZ[c] = neighbourhood(owner, c, w[c]);
            sum[c] = spareSum;
        }
        state.addEvaluations((long) state.dim() * (state.numValues() - 1));
    }

    /**
     * g(π(y)/π(x)), scaled by a common factor, of every single-site move y of chain c into row (0 at the current
     * values); leaves their sum in {@link #spareSum} and returns log Z(x). One exp per move.
     */
    private double neighbourhood(SiteCache cache, int c, double[] row) {
        deltas(cache, c, row);
        if (weight == Weight.RATIO) {
            // Barker's weights σ(Δ) lie in (0, 1]: no scaling needed unless every move is astronomically unlikely.
            double s = 0;
            for (int j = 0; j < row.length; j++) {
                double e = row[j] == Double.NEGATIVE_INFINITY ? 0 : 1 / (1 + Math.exp(-row[j]));
                row[j] = e;
                s += e;
            }
            if (s > 1e-280) {
                spareSum = s;
                return Math.log(s);
            }
            deltas(cache, c, row);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < row.length; j++) {
            if (row[j] != Double.NEGATIVE_INFINITY) {
                row[j] = weight.logG(row[j]);
                max = Math.max(max, row[j]);
            }
        }
        if (!Double.isFinite(max)) {
            throw new IllegalStateException(name() + ": non-finite locally-balanced weight " + max);
        }
        double s = 0;
        for (int j = 0; j < row.length; j++) {
            double e = row[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(row[j] - max);
            row[j] = e;
            s += e;
        }
        spareSum = s;
        return max + Math.log(s);
    }

    /** The single-site deltas of chain c into row, −∞ at the current values. */
    private void deltas(SiteCache cache, int c, double[] row) {
        int k = site.length;
        int d = row.length / k;
        int[] x = cache.states();
        for (int i = 0; i < d; i++) {
            cache.siteDeltas(c, i, site);
            System.arraycopy(site, 0, row, i * k, k);
            row[i * k + x[c * d + i]] = Double.NEGATIVE_INFINITY;
        }
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
            int v = move % k;
            int cur = x[c * d + i];
            // The same delta that weighted this move (a read of the cache, not a new evaluation).
            double delta = cache.delta(c, i, v);
            cache.set(c, i, v);
            double reverseLogZ = neighbourhood(cache, c, spare);
            double logRatio = delta + weight.logG(-delta) - weight.logG(delta) + logZ[c] - reverseLogZ;
            if (Metropolis.accept(logRatio, state.rng(), name())) {
                accepted++;
                logp[c] += delta;
                double[] t = w[c];
                w[c] = spare;
                spare = t;
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
