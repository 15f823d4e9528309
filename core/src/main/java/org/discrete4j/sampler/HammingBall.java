package org.discrete4j.sampler;

import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.SiteCache;

/**
 * The Hamming ball sampler (Titsias & Yau, "The Hamming ball sampler", JASA 112:1598, 2017): with H(x)
 * the states within Hamming distance r of x that differ from x only inside a block B of b sites, draw an auxiliary
 * u uniformly from H(x), then x' from p restricted to H(u), by enumerating H(u). Since |H(x)| is the same for every
 * x, p(x)·U(u | x) is symmetric in (x, u) ball membership, and x' | u ∝ p̃ over H(u) is the exact conditional of
 * the augmented target: each step is a two-stage Gibbs update, reversible for every block. The block is a uniform
 * random b-subset of the sites drawn anew each step (a random-scan mixture of such updates); a block larger than the
 * model is cut to D sites. Binary and categorical: |H| = Σ_{m ≤ r} C(b, m)(K−1)^m ({@code hb-10-1}: 11 states).
 *
 * <p>The ball around u is listed depth-first from the site cache (set a site, read deltas below it, set it back),
 * so every state's log-weight is a sum of at most r single-site deltas: |H| − 1 deltas per step, plus the ≤ r that
 * move the cache to u.
 */
public final class HammingBall implements Kernel {

    /** Largest ball enumerated per step. */
    static final int MAX_STATES = 1 << 16;

    private final int blockSize;
    private final int radius;
    private int b;
    private int r;
    private int size;
    private long[] shells; // number of states at each distance 0..r from the centre
    private int[] order; // permutation of the sites; the first b entries are the block
    private double[] logw; // log p̃(y) − log p̃(u) of each state y of the ball around u
    private int[] depth; // Hamming distance of y from u
    private int[] moveSite; // the sites (and values) where y differs from u, r slots per state
    private int[] moveValue;
    private int[] pathSite;
    private int[] pathValue;
    private int[] from;
    private int count;
    private long deltaCarry; // single-site deltas not yet credited as whole evaluations per chain

    public HammingBall(int blockSize, int radius) {
        if (blockSize < 1 || radius < 1) {
            throw new IllegalArgumentException("block size and radius must be >= 1, got " + blockSize + " and "
                    + radius);
        }
        this.blockSize = blockSize;
        this.radius = radius;
    }

    @Override
    public String name() {
        return "hb-" + blockSize + "-" + radius;
    }

    @Override
    public boolean appliesTo(EnergyModel model) {
        int bb = Math.min(blockSize, model.dim());
        return ballSize(bb, Math.min(radius, bb), model.numValues()) <= MAX_STATES;
    }

    /** Σ_{m ≤ r} C(b, m)(K−1)^m, saturating at Long.MAX_VALUE / 2. */
    private static long ballSize(int b, int r, int k) {
        long total = 0;
        double shell = 1;
        for (int m = 0; m <= r; m++) {
            total += (long) Math.min(shell, Long.MAX_VALUE / 4.0);
            shell = shell * (b - m) / (m + 1) * (k - 1);
        }
        return Math.min(total, Long.MAX_VALUE / 2);
    }

    @Override
    public void init(ChainState state) {
        if (!appliesTo(state.model())) {
            throw new IllegalArgumentException(name() + ": the Hamming ball has more than " + MAX_STATES + " states");
        }
        int d = state.dim();
        int k = state.numValues();
        b = Math.min(blockSize, d);
        r = Math.min(radius, b);
        shells = new long[r + 1];
        long shell = 1;
        for (int m = 0; m <= r; m++) {
            shells[m] = shell;
            shell = shell * (b - m) / (m + 1) * (k - 1); // exact: C(b, m+1) = C(b, m)(b−m)/(m+1)
        }
        size = (int) ballSize(b, r, k);
        order = new int[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        logw = new double[size];
        depth = new int[size];
        moveSite = new int[size * r];
        moveValue = new int[size * r];
        pathSite = new int[r];
        pathValue = new int[r];
        from = new int[b];
        state.cache();
    }

    @Override
    public StepInfo step(ChainState state) {
        if (order == null || order.length != state.dim()) {
            init(state);
        }
        SiteCache cache = state.cache();
        int d = state.dim();
        int k = state.numValues();
        int[] x = state.x();
        double[] logp = state.logProb();
        long changed = 0;
        long deltas = 0;
        for (int c = 0; c < state.chains(); c++) {
            int o = c * d;
            shuffle(0, d, b, state);
            // u uniform on H(x): a distance m with probability |shell m| / |H|, then m block sites uniformly
            // (a partial shuffle of the block's own entries) and values uniformly among the other K − 1.
            long pick = state.rng().nextLong(size);
            int m = 0;
            while (pick >= shells[m]) {
                pick -= shells[m];
                m++;
            }
            shuffle(0, b, m, state);
            for (int j = 0; j < b; j++) {
                from[j] = x[o + order[j]];
            }
            double toU = 0;
            for (int j = 0; j < m; j++) {
                int site = order[j];
                int cur = x[o + site];
                int v = state.rng().nextInt(k - 1);
                if (v >= cur) {
                    v++;
                }
                toU += cache.delta(c, site, v);
                cache.set(c, site, v);
            }
            // x' ∝ p̃ on H(u).
            logw[0] = 0;
            depth[0] = 0;
            count = 1;
            enumerate(cache, c, o, 0, 0, 0.0, k, x);
            int e = Categoricals.sampleLog(logw, size, state.rng());
            for (int t = 0; t < depth[e]; t++) {
                cache.set(c, moveSite[e * r + t], moveValue[e * r + t]);
            }
            logp[c] += toU + logw[e];
            deltas += m + size - 1;
            for (int j = 0; j < b; j++) {
                if (x[o + order[j]] != from[j]) {
                    changed++;
                }
            }
        }
        deltaCarry += deltas;
        state.addEvaluations(deltaCarry / state.chains());
        deltaCarry %= state.chains();
        state.invalidateGradient();
        return new StepInfo(1.0, (double) changed / state.chains());
    }

    /** Moves a uniform random n-subset of order[lo..hi) to its front (partial Fisher–Yates). */
    private void shuffle(int lo, int hi, int n, ChainState state) {
        for (int j = lo; j < lo + n; j++) {
            int q = j + state.rng().nextInt(hi - j);
            int t = order[j];
            order[j] = order[q];
            order[q] = t;
        }
    }

    /**
     * Lists every state that differs from the cache's current state (u) at {@code level} more block positions after
     * {@code pos} and at most r in total, with log p̃ relative to u; the cache is back at u on return.
     */
    private void enumerate(SiteCache cache, int c, int o, int pos, int level, double acc, int k, int[] x) {
        for (int j = pos; j < b; j++) {
            int site = order[j];
            int cur = x[o + site];
            pathSite[level] = site;
            for (int v = 0; v < k; v++) {
                if (v == cur) {
                    continue;
                }
                double w = acc + cache.delta(c, site, v);
                cache.set(c, site, v);
                pathValue[level] = v;
                int e = count++;
                logw[e] = w;
                depth[e] = level + 1;
                System.arraycopy(pathSite, 0, moveSite, e * r, level + 1);
                System.arraycopy(pathValue, 0, moveValue, e * r, level + 1);
                if (level + 1 < r) {
                    enumerate(cache, c, o, j + 1, level + 1, w, k, x);
                }
                cache.set(c, site, cur);
            }
        }
    }
}
