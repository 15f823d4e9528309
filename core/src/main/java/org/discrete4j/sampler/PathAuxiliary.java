package org.discrete4j.sampler;

import java.util.SplittableRandom;
import org.discrete4j.model.EnergyModel;

/**
 * The path auxiliary sampler with n distinct sites per step (Sun, Dai, Xia &amp; Ramamurthy, "Path Auxiliary
 * Proposal for MCMC in Discrete Space", ICLR 2022; drawing the sites without replacement as the no-replacement
 * variant of the DISCS benchmark, Goshvadi et al., NeurIPS 2023). CLI name {@code pas-n}. Binary and categorical.
 *
 * <p>The weights are Gibbs-with-Gradients' locally-balanced estimates read off the gradient at x,
 * w_{ik} = exp(d_{ik}/τ), d_{ik} = g_{ik} − g_{i,x_i}, τ = 2 (the factor ½ in {@code weigh}), with
 * W_i = Σ_{k≠x_i} w_{ik} the weight of site i. A path is an ordered list of n distinct sites, each with a new value,
 * drawn one move at a time from what is left:
 * <pre>
 *   q(path | x) = Π_{m=1..n} w_{i_m k_m} / Σ_{i ∉ {i_1..i_{m−1}}} W_i
 * </pre>
 * (drawing the site ∝ W_i and then its value ∝ w_{ik} is the same thing; it is also the law of the order of a
 * Gumbel top-n draw over the sites). The probability of the unordered set of moves is the sum of this over all n!
 * orders, which is exponential in n; so, as in the path auxiliary construction, the order itself is the auxiliary
 * variable. The map (x, path) ↦ (x', reversed path with the old values) is an involution: walking the reversed path
 * from x' restores x, and reversing again gives the original path. Metropolis–Hastings on (x, path) with the
 * reverse path scored by the weights at x' (the gradient of the one batched evaluation) is therefore exact:
 * <pre>
 *   log A = Δlog p̃ + Σ_m [log w'_{i_m, x_{i_m}} − log Σ_{i ∉ {i_n..i_{m+1}}} W'_i] − log q(path | x).
 * </pre>
 * Any fixed involution of the order would be exact too; the reversal is the natural reading of a path walked back.
 * Marginalising the order would raise acceptance, at a cost of n! terms.
 *
 * <p>Numerics: each remaining mass is re-summed over the sites left (no subtraction of large sums, so no
 * cancellation when one site holds nearly all the weight), relative to a shift that is moved to the largest
 * remaining log-weight whenever the sum would underflow.
 */
public final class PathAuxiliary extends GradientKernel {

    /** Below this the remaining mass is re-shifted: far above the subnormals, far below any mass that matters. */
    private static final double TINY = 1e-250;

    private final int length;
    private final String name;

    private int dim;
    private int values;
    private double[] logits;
    private double[] weights;
    private double[] siteWeight;
    private boolean[] used;
    private int[] pathSite; // chains × length
    private double shift;
    private double remaining;

    /** A path of {@code length} distinct sites per step (τ = 2). */
    public PathAuxiliary(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("path length must be >= 1, got " + length);
        }
        this.length = length;
        this.name = "pas-" + length;
    }

    @Override
    public String name() {
        return name;
    }

    public int length() {
        return length;
    }

    @Override
    public boolean appliesTo(EnergyModel model) {
        return model.dim() >= length;
    }

    @Override
    void allocate(int chains, int dim, int values) {
        if (dim < length) {
            throw new IllegalArgumentException(name() + " needs at least " + length + " sites, the model has " + dim);
        }
        this.dim = dim;
        this.values = values;
        logits = new double[dim * (values - 1)];
        weights = new double[dim * (values - 1)];
        siteWeight = new double[dim];
        used = new boolean[dim];
        pathSite = new int[chains * length];
    }

    /**
     * Log-weights d_{ik}/τ at state s over the D(K−1) candidate moves (move i·(K−1) + r sends site i to the r-th
     * value other than its current one) and their exponentials relative to the maximum.
     */
    private void weigh(int c, int[] s, float[] g) {
        shift = moveLogits(c, s, g, dim, values, 0.5, logits);
        for (int i = 0; i < dim; i++) {
            reweighSite(i);
        }
    }

    private void reweighSite(int i) {
        int m = values - 1;
        double sum = 0;
        for (int j = i * m; j < i * m + m; j++) {
            double w = Math.exp(logits[j] - shift);
            weights[j] = w;
            sum += w;
        }
        siteWeight[i] = sum;
    }

    /** Sets {@link #remaining} to the weight of the unused sites (re-shifted if it underflows); returns its log. */
    private double logRemaining() {
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            if (!used[i]) {
                sum += siteWeight[i];
            }
        }
        if (!(sum > TINY)) {
            int m = values - 1;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < dim; i++) {
                if (!used[i]) {
                    for (int j = i * m; j < i * m + m; j++) {
                        max = Math.max(max, logits[j]);
                    }
                }
            }
            shift = max;
            sum = 0;
            for (int i = 0; i < dim; i++) {
                if (!used[i]) {
                    reweighSite(i);
                    sum += siteWeight[i];
                }
            }
        }
        remaining = sum;
        return shift + Math.log(sum);
    }

    @Override
    double propose(int c, int[] x, float[] g, int[] xp, SplittableRandom rng) {
        weigh(c, x, g);
        int o = c * dim;
        int m = values - 1;
        double logq = 0;
        for (int t = 0; t < length; t++) {
            double logRem = logRemaining();
            double u = rng.nextDouble() * remaining;
            int site = -1;
            double before = 0;
            for (int i = 0; i < dim; i++) {
                if (used[i] || siteWeight[i] == 0) {
                    continue;
                }
                site = i; // the last candidate also catches u rounded up to the total
                if (u < before + siteWeight[i]) {
                    break;
                }
                before += siteWeight[i];
            }
            // u − before is uniform on [0, W_site) given the site: reuse it to draw the value.
            double rest = u - before;
            int move = -1;
            double acc = 0;
            for (int j = site * m; j < site * m + m; j++) {
                if (weights[j] == 0) {
                    continue;
                }
                move = j;
                acc += weights[j];
                if (rest < acc) {
                    break;
                }
            }
            logq += logits[move] - logRem;
            used[site] = true;
            pathSite[c * length + t] = site;
            int r = move - site * m;
            xp[o + site] = r < x[o + site] ? r : r + 1;
        }
        clearPath(c);
        return logq;
    }

    @Override
    double reverse(int c, int[] x, int[] xp, float[] gp) {
        weigh(c, xp, gp);
        int o = c * dim;
        int m = values - 1;
        double logq = 0;
        for (int t = length - 1; t >= 0; t--) {
            double logRem = logRemaining();
            int site = pathSite[c * length + t];
            int old = x[o + site];
            int r = old < xp[o + site] ? old : old - 1; // back to the old value, scored at x'
            logq += logits[site * m + r] - logRem;
            used[site] = true;
        }
        clearPath(c);
        return logq;
    }

    private void clearPath(int c) {
        for (int t = 0; t < length; t++) {
            used[pathSite[c * length + t]] = false;
        }
    }
}
