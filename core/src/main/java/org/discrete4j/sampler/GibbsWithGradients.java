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

    private int dim;
    private int values;
    private MoveWeights weights; // each chain's proposal at its current state, kept across steps
    private float[] gradient; // at the current states (the state's array), for the reverse's comparison
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
        weights = new MoveWeights(chains, dim, values, 1 / tau, draws);
        drawnSite = new int[chains * draws];
    }

    @Override
    void forget() {
        weights.forget();
    }

    /** Forgets the kept weights of one chain (for a kernel that drives this one). */
    void forget(int c) {
        weights.forget(c);
    }

    @Override
    double propose(int c, int[] x, float[] g, int[] xp, SplittableRandom rng) {
        gradient = g;
        double logZ = weights.logNormaliser(this, c, x, g);
        int m = values - 1;
        int o = c * dim;
        double logq = 0;
        for (int t = 0; t < draws; t++) {
            int j = weights.draw(c, rng.nextDouble());
            logq += weights.logit(c, x, g, j) - logZ;
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

    /**
     * log q(x | x'): the weights at x' (see {@link MoveWeights}: those at x rewritten where the value or the gradient
     * changed, or all afresh) scored at the moves that send the drawn sites back.
     */
    @Override
    double reverse(int c, int[] x, int[] xp, float[] gp) {
        int m = values - 1;
        int o = c * dim;
        double logZ = weights.reverse(this, lane(c), c, xp, gp, gradient, drawnSite, c * draws, draws);
        double logq = 0;
        for (int t = 0; t < draws; t++) {
            int i = drawnSite[c * draws + t];
            int old = x[o + i];
            int r = old < xp[o + i] ? old : old - 1; // site i back to its old value, scored at x'
            logq += weights.logit(c, xp, gp, i * m + r) - logZ;
        }
        return logq;
    }

    @Override
    void accepted(int c) {
        weights.accept(lane(c), c);
    }

    @Override
    void rejected(int c) {
        weights.reject(lane(c), c);
    }

    @Override
    boolean laneSafe() {
        return true;
    }
}
