package org.discrete4j.model;

import java.util.Map;

/**
 * An unnormalised log-probability log p̃(x) over x ∈ {0..K−1}^D, evaluated for a batch of chains.
 *
 * <p>States are plain {@code int[]} arrays of {@code chains × dim} values in row-major order (chain first): small
 * structured models are far faster on Java arrays than through per-operation native calls, and the samplers'
 * inner loops are per-site anyway. Neural energies convert to DJL arrays inside.
 *
 * <p>Gradients are taken with respect to the one-hot encoding of x, layout {@code chains × dim × K}: entry
 * (c, i, k) is ∂ log p̃ / ∂ x_{c,i,k}. For a binary model written as a function of x_i ∈ {0, 1} this means
 * entry (c, i, 1) − entry (c, i, 0) = ∂ log p̃ / ∂ x_i, and models may set entry (c, i, 0) = 0. Only differences
 * within a site matter to the samplers (Gibbs-with-Gradients reads d_{ik} = g_{ik} − g_{i,x_i}).
 */
public interface EnergyModel {

    /** Number of sites D. */
    int dim();

    /** Number of values per site K (2 for binary models). */
    int numValues();

    /** log p̃ of each chain's state into {@code out[0..chains)}. */
    void logProb(int[] x, int chains, double[] out);

    /**
     * log p̃ and its one-hot gradient of each chain in one evaluation; {@code grad} has
     * {@code chains × dim × numValues} entries.
     */
    void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad);

    /**
     * The exact change of log p̃ for every single-site move: {@code out[(c·D + i)·K + k] = log p̃(x with x_i = k) −
     * log p̃(x)}, 0 for k = x_i. The default evaluates log p̃ at every neighbour; models override it with a closed
     * form.
     */
    default void deltas(int[] x, int chains, double[] out) {
        int d = dim();
        int k = numValues();
        double[] base = new double[chains];
        logProb(x, chains, base);
        int[] y = new int[d];
        double[] one = new double[1];
        for (int c = 0; c < chains; c++) {
            System.arraycopy(x, c * d, y, 0, d);
            for (int i = 0; i < d; i++) {
                int old = y[i];
                for (int v = 0; v < k; v++) {
                    if (v == old) {
                        out[(c * d + i) * k + v] = 0;
                        continue;
                    }
                    y[i] = v;
                    logProb(y, 1, one);
                    out[(c * d + i) * k + v] = one[0] - base[c];
                }
                y[i] = old;
            }
        }
    }

    /**
     * A cache bound to the given states that answers single-site questions incrementally (local fields, hidden
     * pre-activations). The cache copies nothing: it reads and writes {@code x} in place through
     * {@link SiteCache#set}. The default recomputes from scratch and is correct for any model.
     */
    default SiteCache cache(int[] x, int chains) {
        return new RecomputingCache(this, x, chains);
    }

    /**
     * Every parameter needed to rebuild the model exactly (see {@link Models#fromParameters}): a {@code type} name,
     * sizes, and arrays as {@code double[]} / {@code double[][]}; plain maps and arrays so that any JSON writer can
     * save it. Models that cannot be rebuilt from numbers alone (a neural energy) throw.
     */
    default Map<String, Object> parameters() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not export its parameters");
    }
}
