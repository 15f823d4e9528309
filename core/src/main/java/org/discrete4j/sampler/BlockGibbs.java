package org.discrete4j.sampler;

import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.SiteCache;

/**
 * Block Gibbs sampling by enumeration (the {@code bg-b} baseline of Grathwohl et al., ICML 2021, and of the DISCS
 * benchmark, Goshvadi et al., NeurIPS 2023): each step picks, for every chain, b distinct sites uniformly at random
 * (a random subset, not a fixed partition: a random-scan mixture of exact block updates, each leaving p invariant),
 * lists all K^b joint values of the block and redraws the block from its exact conditional
 * p(x_B | x_−B) ∝ p̃(x).
 *
 * <p>The K^b values are visited in reflected (Gray-code) order from the current state, so consecutive values differ
 * in one site and each log-weight is the previous one plus one single-site delta read off the model's cache: K^b − 1
 * deltas and cache moves per step, no full evaluation. A block larger than the model is cut to D sites.
 */
public final class BlockGibbs implements Kernel {

    /** Largest K^b enumerated per step. */
    static final int MAX_STATES = 1 << 16;

    private final int blockSize;
    private int b;
    private int states;
    private int[] order; // a permutation of the sites; its first b entries are the block
    private double[] logw; // log p̃(value) − log p̃(x) of each enumerated value
    private int[] code; // the block's values, base-K digits, at each enumeration index
    private int[] digit; // Gray-code offsets of the block sites from their starting values
    private int[] dir;
    private int[] from;
    private int[] place; // K^(b−1−j), the weight of block site j in the code

    public BlockGibbs(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be >= 1, got " + blockSize);
        }
        this.blockSize = blockSize;
    }

    @Override
    public String name() {
        return "bg-" + blockSize;
    }

    @Override
    public boolean appliesTo(EnergyModel model) {
        return Math.pow(model.numValues(), Math.min(blockSize, model.dim())) <= MAX_STATES;
    }

    @Override
    public void init(ChainState state) {
        if (!appliesTo(state.model())) {
            throw new IllegalArgumentException(name() + ": " + state.numValues() + "^" + blockSize
                    + " block values exceed " + MAX_STATES);
        }
        int d = state.dim();
        int k = state.numValues();
        b = Math.min(blockSize, d);
        states = (int) Math.round(Math.pow(k, b));
        order = new int[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        logw = new double[states];
        code = new int[states];
        digit = new int[b];
        dir = new int[b];
        from = new int[b];
        place = new int[b];
        for (int j = b - 1, w = 1; j >= 0; j--, w *= k) {
            place[j] = w;
        }
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
        for (int c = 0; c < state.chains(); c++) {
            int o = c * d;
            // Partial Fisher–Yates: the first b entries become a uniform random b-subset of the sites.
            for (int j = 0; j < b; j++) {
                int r = j + state.rng().nextInt(d - j);
                int t = order[j];
                order[j] = order[r];
                order[r] = t;
            }
            int start = 0;
            for (int j = 0; j < b; j++) {
                from[j] = x[o + order[j]];
                digit[j] = 0;
                dir[j] = 1;
                start = start * k + from[j];
            }
            logw[0] = 0;
            code[0] = start;
            // Reflected mixed-radix Gray code: move the lowest digit that can move in its direction, reversing the
            // directions of the digits below it. Site j takes the value (from_j + digit_j) mod K.
            double acc = 0;
            for (int t = 1; t < states; t++) {
                int j = 0;
                while (digit[j] + dir[j] < 0 || digit[j] + dir[j] >= k) {
                    dir[j] = -dir[j];
                    j++;
                }
                digit[j] += dir[j];
                int site = order[j];
                int v = (from[j] + digit[j]) % k;
                code[t] = code[t - 1] + (v - x[o + site]) * place[j];
                acc += cache.delta(c, site, v);
                cache.set(c, site, v);
                logw[t] = acc;
            }
            int pick = Categoricals.sampleLog(logw, states, state.rng());
            int cd = code[pick];
            for (int m = b - 1; m >= 0; m--) {
                int site = order[m];
                int v = cd % k;
                cd /= k;
                if (v != from[m]) {
                    changed++;
                }
                cache.set(c, site, v);
            }
            logp[c] += logw[pick];
        }
        state.addEvaluations(states - 1);
        state.invalidateGradient();
        return new StepInfo(1.0, (double) changed / state.chains());
    }
}
