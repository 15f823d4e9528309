package org.discrete4j.sampler;

import java.util.SplittableRandom;

/**
 * Gibbs-with-Gradients (Grathwohl, Swersky, Hashemi, Duvenaud &amp; Maddison, "Oops I Took A Gradient: Scalable
 * Sampling for Discrete Distributions", ICML 2021): a Metropolis–Hastings move to a Hamming neighbour chosen by a
 * first-order estimate of how much each single-site change would raise log p̃. Binary and categorical.
 *
 * <p>With g the one-hot gradient at x, d_{ik} = g_{ik} − g_{i,x_i} estimates log p̃(x with x_i = k) − log p̃(x)
 * (for binary models d_i = (1 − 2x_i) ∂log p̃/∂x_i, the paper's eq. 3). The proposal is
 * q(i, k | x) = softmax over all pairs (i, k ≠ x_i) of d_{ik}/τ; τ = 2 makes it the locally-balanced proposal with
 * g(t) = √t (Zanella 2020) that the paper uses throughout. The move x → x' (x_i := k) is accepted with probability
 * min(1, p̃(x') q(i, x_i | x') / (p̃(x) q(i, k | x))), so the exactness never depends on the gradient being
 * accurate.
 *
 * <p>Multi-flip ({@code gwg-n}): n pairs are drawn independently WITH replacement from the same q(·|x), as in the
 * paper's multi-flip variant, and every drawn site takes its drawn value. Repeated draws make the probability of the
 * resulting x' a sum over all sequences that produce it, so instead the drawn sequence s = (j_1..j_n) is the
 * auxiliary variable: the proposal on (x, s) is q(s|x) = Π_m q(j_m|x), and the map (x, s) ↦ (x', s̄) with
 * s̄ the same sites taking their old values is an involution (applying s̄ to x' gives back x, and the reverse of
 * s̄ is s). Metropolis–Hastings on the extended space then accepts with
 * p̃(x') q(s̄|x') / (p̃(x) q(s|x)), both products over the n draws with the reverse evaluated at x'; each pair of
 * (x, s) terms balances, so summing over s gives detailed balance for x alone. For categorical models a sequence
 * that sends one site to two different values is not a move of this kernel (there is no consistent s̄) and the
 * chain stays; binary sites have only one other value, so this never happens there.
 */
public final class GibbsWithGradients extends GradientKernel {

    private final double tau;
    private final int draws;
    private final String name;

    private int dim;
    private int values;
    // Log-weights and running sums of one chain over its D(K−1) candidate moves: move j = i·(K−1) + r sends site
    // i to the r-th value other than its current one (for binary models, j = i flips site i).
    private double[] logits;
    private double[] cumulative;
    private int[] drawnSite; // chains × draws

    /** Single-flip GWG with τ = 2, CLI name {@code gwg}. */
    public GibbsWithGradients() {
        this(2.0, 1);
    }

    /**
     * GWG with temperature {@code tau} and {@code draws} pairs drawn with replacement per step ({@code gwg} for 1,
     * {@code gwg-n} otherwise).
     */
    public GibbsWithGradients(double tau, int draws) {
        if (!(tau > 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException("temperature tau must be finite and > 0, got " + tau);
        }
        if (draws < 1) {
            throw new IllegalArgumentException("number of draws must be >= 1, got " + draws);
        }
        this.tau = tau;
        this.draws = draws;
        String base = draws == 1 ? "gwg" : "gwg-" + draws;
        this.name = tau == 2.0 ? base : base + "(tau=" + tau + ")";
    }

    @Override
    public String name() {
        return name;
    }

    public double temperature() {
        return tau;
    }

    public int draws() {
        return draws;
    }

    @Override
    void allocate(int chains, int dim, int values) {
        this.dim = dim;
        this.values = values;
        logits = new double[dim * (values - 1)];
        cumulative = new double[dim * (values - 1)];
        drawnSite = new int[chains * draws];
    }

    /**
     * Fills {@link #logits} with d_{ik}/τ for chain {@code c} at state {@code s} with gradient {@code g}, and
     * {@link #cumulative} with the running sums of exp(logit − max); returns log Σ exp(logit), the normaliser.
     */
    private double weigh(int c, int[] s, float[] g) {
        double max = moveLogits(c, s, g, dim, values, 1 / tau, logits);
        double total = 0;
        for (int j = 0; j < logits.length; j++) {
            total += Math.exp(logits[j] - max);
            cumulative[j] = total;
        }
        return max + Math.log(total);
    }

    @Override
    double propose(int c, int[] x, float[] g, int[] xp, SplittableRandom rng) {
        double logZ = weigh(c, x, g);
        int n = logits.length;
        double total = cumulative[n - 1];
        int m = values - 1;
        int o = c * dim;
        double logq = 0;
        for (int t = 0; t < draws; t++) {
            int j = search(rng.nextDouble() * total, n);
            logq += logits[j] - logZ;
            int i = j / m;
            int r = j - i * m;
            int v = r < x[o + i] ? r : r + 1;
            drawnSite[c * draws + t] = i;
            if (xp[o + i] != x[o + i] && xp[o + i] != v) {
                System.arraycopy(x, o, xp, o, dim); // one site sent to two values: no move
                return Double.NEGATIVE_INFINITY;
            }
            xp[o + i] = v;
        }
        return logq;
    }

    /** The first index whose running sum exceeds u: an index drawn with probability ∝ its weight. */
    private int search(double u, int n) {
        int lo = 0;
        int hi = n - 1;
        if (!(u < cumulative[hi])) {
            // u rounded up to the total: take the last index with positive weight
            while (hi > 0 && cumulative[hi - 1] == cumulative[hi]) {
                hi--;
            }
            return hi;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    @Override
    double reverse(int c, int[] x, int[] xp, float[] gp) {
        double logZ = weigh(c, xp, gp);
        int m = values - 1;
        int o = c * dim;
        double logq = 0;
        for (int t = 0; t < draws; t++) {
            int i = drawnSite[c * draws + t];
            int old = x[o + i];
            int r = old < xp[o + i] ? old : old - 1; // site i back to its old value, scored at x'
            logq += logits[i * m + r] - logZ;
        }
        return logq;
    }
}
