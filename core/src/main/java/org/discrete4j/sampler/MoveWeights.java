package org.discrete4j.sampler;

import java.util.Arrays;
import org.discrete4j.model.FastExp;

/**
 * Gibbs-with-Gradients' proposal weights for a batch of chains, kept from step to step so that a step computes
 * exponentials only where something changed.
 *
 * <p>For each chain, at its current state x with one-hot gradient g: the weight w_j = exp(l_j − shift) of each of its
 * D(K−1) moves (move j = i·(K−1) + r sends site i to the r-th value other than x_i; l_j = (g_{i,v} − g_{i,x_i})/τ),
 * the sums of the weights over blocks of {@value #BLOCK} moves, their total and log Σ_j exp(l_j). A draw scans the
 * block sums, then one block. The log-weights are not stored: the one a draw needs is recomputed from g, by the same
 * formula that made its weight.
 *
 * <p>The reverse proposal at x' of a chain under test is built in one of two ways. Sparse, when the gradient changed
 * at few sites (an Ising lattice: the flipped site's neighbours): the changed sites are found a vector at a time
 * ({@link Arrays#mismatch}), their weights rewritten in place with the chain's shift, and the old values kept in an
 * undo log for a rejection. Dense, when it changed at many (an RBM's changes everywhere): all weights afresh into a
 * spare row, shifted to their largest log-weight, copied in on acceptance; a chain found dense skips the search for
 * changed sites for its next {@value #DENSE_RUN} reverses. The shift moves only in the dense case, so
 * a weight reused from an earlier step always shares the shift of those recomputed now; should a new log-weight
 * climb {@value #RANGE} above the shift, or the total sink below e^−{@value #RANGE}, the sparse attempt is undone
 * and the dense one taken, so the weights never overflow or underflow as a whole.
 *
 * <p>The reverse side keeps its scratch per lane (two chains of different lanes may be tested at once); the forward
 * side runs on one thread.
 */
final class MoveWeights {

    /** Moves per block of the two-level search. */
    static final int BLOCK = 16;
    /** How far (in log) the weights may stray from their shift before all are recomputed. */
    static final double RANGE = 64;
    private static final double SMALLEST_TOTAL = Math.exp(-RANGE);
    /**
     * Reverses that go straight to the dense path after a chain's gradient changed at too many sites: an RBM's
     * changes everywhere, every step, and looking for the changed sites costs a fifth of a dense rebuild.
     */
    static final int DENSE_RUN = 15;

    private final int dim;
    private final int values;
    private final int moves;
    private final int blocks;
    private final double scale; // 1/τ
    private final int budget; // most sites the sparse reverse rewrites

    private final double[] weight; // chains × moves
    private final double[] blockSum; // chains × blocks
    private final double[] total;
    private final double[] shift;
    private final double[] logZ;
    private final boolean[] known;
    private final int[] denseRun; // per chain: reverses left to take dense without looking for changed sites

    private final Lane[] lanes;

    /** The reverse side's scratch for one lane. */
    private final class Lane {
        final double[] logits = new double[moves];
        final double[] weight = new double[moves];
        final double[] blockSum = new double[blocks];
        double total;
        double shift;
        double logZ;
        boolean dense; // whether the pending reverse is in this spare row (else in place, with an undo log)
        final int[] sites = new int[budget];
        int count;
        final int[] undoMove = new int[budget * (values - 1)];
        final double[] undoWeight = new double[budget * (values - 1)];
        int undoMoves;
        final int[] undoBlock = new int[budget * ((values - 1) / BLOCK + 2)];
        final double[] undoBlockSum = new double[budget * ((values - 1) / BLOCK + 2)];
        int undoBlocks;
        double undoTotal;
        double undoLogZ;
    }

    MoveWeights(int chains, int dim, int values, double scale, int draws) {
        this.dim = dim;
        this.values = values;
        this.moves = dim * (values - 1);
        this.blocks = (moves + BLOCK - 1) / BLOCK;
        this.scale = scale;
        this.budget = Math.max(4, dim / 16) + draws;
        this.weight = new double[chains * moves];
        this.blockSum = new double[chains * blocks];
        this.total = new double[chains];
        this.shift = new double[chains];
        this.logZ = new double[chains];
        this.known = new boolean[chains];
        this.denseRun = new int[chains];
        this.lanes = new Lane[] {new Lane(), new Lane()};
    }

    void forget() {
        Arrays.fill(known, false);
    }

    void forget(int c) {
        known[c] = false;
    }

    /**
     * The log-weight of move j of chain c at state s with gradient g (the same arithmetic as when its weight was
     * made, so the two agree exactly).
     */
    double logit(int c, int[] s, float[] g, int j) {
        int m = values - 1;
        int i = j / m;
        int r = j - i * m;
        int cur = s[c * dim + i];
        int base = (c * dim + i) * values;
        return (g[base + (r < cur ? r : r + 1)] - g[base + cur]) * scale;
    }

    /** log Σ_j exp(l_j) of chain c, computing its weights from the state and gradient first if they are not kept. */
    double logNormaliser(GradientKernel kernel, int c, int[] x, float[] g) {
        if (!known[c]) {
            Lane scratch = lanes[0];
            double max = kernel.moveLogits(c, x, g, dim, values, scale, scratch.logits);
            shift[c] = max;
            int o = c * moves;
            FastExp.exp(scratch.logits, max, scratch.logits, moves);
            System.arraycopy(scratch.logits, 0, weight, o, moves);
            total[c] = sumBlocks(weight, o, blockSum, c * blocks);
            logZ[c] = max + Math.log(total[c]);
            known[c] = true;
        }
        return logZ[c];
    }

    /**
     * A move of chain c drawn with probability w_j / total from u uniform in [0, 1): the block whose running sum
     * passes u·total, then the move within it. Should rounding carry u past the last sum, the last move with positive
     * weight is taken.
     */
    int draw(int c, double u01) {
        double u = u01 * total[c];
        int bo = c * blocks;
        int wo = c * moves;
        double before = 0;
        int b = 0;
        while (b < blocks - 1 && !(u < before + blockSum[bo + b])) {
            before += blockSum[bo + b++];
        }
        while (b > 0 && blockSum[bo + b] == 0) {
            b--; // u ran past the end onto empty blocks
        }
        int j = b * BLOCK;
        int end = Math.min(moves, j + BLOCK) - 1;
        double acc = before;
        for (; j < end; j++) {
            acc += weight[wo + j];
            if (u < acc) {
                return j;
            }
        }
        while (j > b * BLOCK && weight[wo + j] == 0) {
            j--;
        }
        return j;
    }

    /**
     * Builds the weights of chain c at its proposal x' (gradient gp), in place or in the lane's spare row, and returns
     * their log-normaliser. {@code g} is the gradient at the current states; {@code drawn} lists the sites that moved
     * (maybe repeated). {@link #accept} or {@link #reject} must follow before the lane's next chain.
     */
    double reverse(GradientKernel kernel, int lane, int c, int[] xp, float[] gp, float[] g, int[] drawn, int from,
            int count) {
        Lane s = lanes[lane];
        if (denseRun[c] > 0) {
            denseRun[c]--;
        } else if (!collectChanged(s, c, gp, g, drawn, from, count)) {
            denseRun[c] = DENSE_RUN;
        } else if (sparse(kernel, s, c, xp, gp)) {
            s.dense = false;
            return logZ[c];
        }
        s.dense = true;
        double max = kernel.moveLogits(c, xp, gp, dim, values, scale, s.logits);
        FastExp.exp(s.logits, max, s.weight, moves);
        s.shift = max;
        s.total = sumBlocks(s.weight, 0, s.blockSum, 0);
        s.logZ = max + Math.log(s.total);
        return s.logZ;
    }

    /** Chain c moved to the proposal of its last {@link #reverse}: its weights become the reverse ones. */
    void accept(int lane, int c) {
        Lane s = lanes[lane];
        if (s.dense) {
            System.arraycopy(s.weight, 0, weight, c * moves, moves);
            System.arraycopy(s.blockSum, 0, blockSum, c * blocks, blocks);
            total[c] = s.total;
            shift[c] = s.shift;
            logZ[c] = s.logZ;
        }
        known[c] = true;
    }

    /** Chain c stayed: undoes an in-place reverse. */
    void reject(int lane, int c) {
        Lane s = lanes[lane];
        if (!s.dense) {
            undo(s, c);
        }
    }

    /**
     * Lists in the lane the distinct sites whose gradient entries differ between gp and g (a vector at a time) and
     * the drawn sites; false if there are more than the budget.
     */
    private boolean collectChanged(Lane s, int c, float[] gp, float[] g, int[] drawn, int from, int count) {
        int row = c * dim * values;
        int end = row + dim * values;
        int n = 0;
        for (int e = row; e < end; e++) {
            int d = Arrays.mismatch(gp, e, end, g, e, end);
            if (d < 0) {
                break;
            }
            if (n == s.sites.length) {
                return false;
            }
            int i = (e + d - row) / values;
            s.sites[n++] = i;
            e = row + (i + 1) * values - 1; // on to the next site
        }
        for (int t = from; t < from + count; t++) {
            int i = drawn[t];
            boolean listed = false;
            for (int q = 0; q < n && !listed; q++) {
                listed = s.sites[q] == i;
            }
            if (!listed) {
                if (n == s.sites.length) {
                    return false;
                }
                s.sites[n++] = i;
            }
        }
        s.count = n;
        return true;
    }

    /**
     * Rewrites the listed sites' weights of chain c in place (the chain's shift), logging the old values, and the
     * sums of their blocks; false (everything undone) if the weights left the shift's range.
     */
    private boolean sparse(GradientKernel kernel, Lane s, int c, int[] xp, float[] gp) {
        int m = values - 1;
        int wo = c * moves;
        int bo = c * blocks;
        double sh = shift[c];
        double max = Double.NEGATIVE_INFINITY;
        s.undoMoves = 0;
        s.undoBlocks = 0;
        s.undoTotal = total[c];
        s.undoLogZ = logZ[c];
        for (int q = 0; q < s.count; q++) {
            int i = s.sites[q];
            int cur = xp[c * dim + i];
            int base = (c * dim + i) * values;
            double gc = gp[base + cur];
            for (int r = 0; r < m; r++) {
                double l = (gp[base + (r < cur ? r : r + 1)] - gc) * scale;
                int j = i * m + r;
                s.undoMove[s.undoMoves] = j;
                s.undoWeight[s.undoMoves++] = weight[wo + j];
                weight[wo + j] = Math.exp(l - sh);
                max = Math.max(max, l);
            }
            int b = i * m / BLOCK;
            int lastB = (i * m + m - 1) / BLOCK;
            for (; b <= lastB; b++) {
                boolean logged = false;
                for (int u = 0; u < s.undoBlocks && !logged; u++) {
                    logged = s.undoBlock[u] == b;
                }
                if (!logged) {
                    s.undoBlock[s.undoBlocks] = b;
                    s.undoBlockSum[s.undoBlocks++] = blockSum[bo + b];
                }
            }
        }
        if (s.count > 0) {
            kernel.requireFinite(max); // Math.max propagates NaN
        }
        for (int u = 0; u < s.undoBlocks; u++) {
            int b = s.undoBlock[u];
            double sum = 0;
            for (int j = b * BLOCK, e = Math.min(moves, j + BLOCK); j < e; j++) {
                sum += weight[wo + j];
            }
            blockSum[bo + b] = sum;
        }
        double t = 0;
        for (int b = 0; b < blocks; b++) {
            t += blockSum[bo + b];
        }
        total[c] = t;
        logZ[c] = sh + Math.log(t);
        if (max > sh + RANGE || !(t > SMALLEST_TOTAL)) {
            undo(s, c);
            return false;
        }
        return true;
    }

    private void undo(Lane s, int c) {
        int wo = c * moves;
        int bo = c * blocks;
        for (int u = s.undoMoves - 1; u >= 0; u--) {
            weight[wo + s.undoMove[u]] = s.undoWeight[u];
        }
        for (int u = 0; u < s.undoBlocks; u++) {
            blockSum[bo + s.undoBlock[u]] = s.undoBlockSum[u];
        }
        total[c] = s.undoTotal;
        logZ[c] = s.undoLogZ;
    }

    /** Block sums of w[wo..wo+moves) into sums[so..so+blocks); returns their total. */
    private double sumBlocks(double[] w, int wo, double[] sums, int so) {
        double t = 0;
        for (int b = 0; b < blocks; b++) {
            double s = 0;
            for (int j = wo + b * BLOCK, e = wo + Math.min(moves, b * BLOCK + BLOCK); j < e; j++) {
                s += w[j];
            }
            sums[so + b] = s;
            t += s;
        }
        return t;
    }
}
