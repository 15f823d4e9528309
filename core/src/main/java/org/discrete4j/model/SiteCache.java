package org.discrete4j.model;

/**
 * Single-site view of a batch of chain states under a model, kept up to date incrementally: what Gibbs,
 * locally-balanced and Metropolis kernels ask at every site, answered in O(neighbourhood) where the model's
 * structure allows (for example the local field of an Ising spin, or an RBM's hidden pre-activations).
 */
public interface SiteCache {

    /** The states, {@code chains × dim}, shared with the caller. */
    int[] states();

    /** log p̃(x with x_{chain,site} = value) − log p̃(x). */
    double delta(int chain, int site, int value);

    /**
     * log p̃ of x with x_{chain,site} = value minus log p̃(x), for every value, into {@code out[0..K)}; the
     * default calls {@link #delta} per value.
     */
    default void siteDeltas(int chain, int site, double[] out) {
        int k = out.length;
        int cur = states()[chain * dim() + site];
        for (int v = 0; v < k; v++) {
            out[v] = v == cur ? 0 : delta(chain, site, v);
        }
    }

    /** Sets x_{chain,site} = value and updates whatever the cache holds. */
    void set(int chain, int site, int value);

    /** Number of sites D. */
    int dim();
}
