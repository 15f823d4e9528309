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
 *
 * <p>Cost: the proposal weights of each chain's current state are kept from step to step (they are the reverse
 * weights of the move that led there), so the forward proposal needs no exponential at all, and the reverse weights
 * at x' recompute only the sites whose value or gradient changed: on an Ising lattice the flipped site and its
 * neighbours, 5 exponentials instead of D. Weights are exp(logit − shift) with a per-chain shift that moves only
 * when a logit climbs far above it or the total sinks far below 1 (then all weights are recomputed), so they never
 * overflow or underflow as a whole.
 */
public final class GibbsWithGradients extends GradientKernel {

    private final double tau;
    private final int draws;
    private final String name;

    /** A logit this far above the shift, or a total this far below 1 (in log), triggers a full reweighing. */
    private static final double RANGE = 64;

    private int dim;
    private int values;
    // Per chain: the log-weights and weights of its D(K−1) candidate moves at its current state (move
    // j = i·(K−1) + r sends site i to the r-th value other than its current one; for binary models j = i flips
    // site i), and the shift of the weights, w_j = exp(logit_j − shift). Rows are swapped with the reverse buffers
    // on acceptance.
    private double[][] logits;
    private double[][] weights;
    private double[] shift;
    private boolean[] known;
    // The reverse proposal's log-weights and weights at x' of the chain being tested, and their shift.
    private double[] reverseLogits;
    private double[] reverseWeights;
    private double reverseShift;
    private double[] cumulative;
    private float[] gradient; // the gradient at the current states (the state's array), for the reverse's comparison
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
        int moves = dim * (values - 1);
        logits = new double[chains][moves];
        weights = new double[chains][moves];
        shift = new double[chains];
        known = new boolean[chains];
        reverseLogits = new double[moves];
        reverseWeights = new double[moves];
        cumulative = new double[moves];
        drawnSite = new int[chains * draws];
    }

    @Override
    void forget() {
        java.util.Arrays.fill(known, false);
    }

    /** All log-weights d_{ik}/τ of chain c at state s with gradient g into l, and w = exp(l − max); returns max. */
    private double weighAll(int c, int[] s, float[] g, double[] l, double[] w) {
        double max = moveLogits(c, s, g, dim, values, 1 / tau, l);
        for (int j = 0; j < l.length; j++) {
            w[j] = Math.exp(l[j] - max);
        }
        return max;
    }

    @Override
    double propose(int c, int[] x, float[] g, int[] xp, SplittableRandom rng) {
        gradient = g;
        if (!known[c]) {
            shift[c] = weighAll(c, x, g, logits[c], weights[c]);
            known[c] = true;
        }
        double[] w = weights[c];
        double total = 0;
        for (int j = 0; j < w.length; j++) {
            total += w[j];
            cumulative[j] = total;
        }
        double logZ = shift[c] + Math.log(total);
        double[] l = logits[c];
        int n = w.length;
        int m = values - 1;
        int o = c * dim;
        double logq = 0;
        for (int t = 0; t < draws; t++) {
            int j = search(rng.nextDouble() * total, n);
            logq += l[j] - logZ;
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

    /**
     * log q(x | x'): the weights at x' are those at x except at the sites whose value or gradient changed, which
     * are recomputed (with the same shift, so the others can be copied).
     */
    @Override
    double reverse(int c, int[] x, int[] xp, float[] gp) {
        int m = values - 1;
        int o = c * dim;
        double sh = shift[c];
        double[] l = reverseLogits;
        double[] w = reverseWeights;
        System.arraycopy(logits[c], 0, l, 0, l.length);
        System.arraycopy(weights[c], 0, w, 0, w.length);
        double scale = 1 / tau;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < dim; i++) {
            int cur = xp[o + i];
            int base = (o + i) * values;
            if (cur == x[o + i] && sameSite(gp, gradient, base)) {
                continue;
            }
            double gc = gp[base + cur];
            for (int r = 0; r < m; r++) {
                double v = (gp[base + (r < cur ? r : r + 1)] - gc) * scale;
                l[i * m + r] = v;
                w[i * m + r] = Math.exp(v - sh);
                max = Math.max(max, v);
            }
        }
        if (max != Double.NEGATIVE_INFINITY) {
            requireFinite(max); // Math.max propagates NaN
        }
        double total = 0;
        for (int j = 0; j < w.length; j++) {
            total += w[j];
        }
        if (max > sh + RANGE || !(total > Math.exp(-RANGE))) {
            sh = moveLogits(c, xp, gp, dim, values, scale, l);
            total = 0;
            for (int j = 0; j < w.length; j++) {
                w[j] = Math.exp(l[j] - sh);
                total += w[j];
            }
        }
        reverseShift = sh;
        double logZ = sh + Math.log(total);
        double logq = 0;
        for (int t = 0; t < draws; t++) {
            int i = drawnSite[c * draws + t];
            int old = x[o + i];
            int r = old < xp[o + i] ? old : old - 1; // site i back to its old value, scored at x'
            logq += l[i * m + r] - logZ;
        }
        return logq;
    }

    /** Whether the K gradient entries of a site agree bit for bit. */
    private boolean sameSite(float[] a, float[] b, int base) {
        for (int v = 0; v < values; v++) {
            if (Float.floatToRawIntBits(a[base + v]) != Float.floatToRawIntBits(b[base + v])) {
                return false;
            }
        }
        return true;
    }

    @Override
    void accepted(int c) {
        double[] l = logits[c];
        logits[c] = reverseLogits;
        reverseLogits = l;
        double[] w = weights[c];
        weights[c] = reverseWeights;
        reverseWeights = w;
        shift[c] = reverseShift;
    }
}
