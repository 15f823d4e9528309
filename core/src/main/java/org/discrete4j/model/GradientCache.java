package org.discrete4j.model;

/**
 * A {@link SiteCache} that also evaluates proposals: log p̃ and the one-hot gradient at states that differ from the
 * cached ones in a few sites, from the cached local quantities (local fields, residuals, hidden pre-activations)
 * updated at those sites instead of a full {@link EnergyModel#logProbAndGradient}. Gradient-informed samplers propose
 * one or a few site changes a step, so this turns a step's O(D·degree) or O(D·H) evaluation into O(changed sites)
 * plus the part of the gradient that really changes.
 *
 * <p>The values must be those of a fresh evaluation, not a running sum that drifts: the implementations recompute
 * each affected local quantity from the states (Ising, Potts, factorial HMM: bit for bit what
 * {@code logProbAndGradient} gives) or update it by one exact add per changed site (RBM hidden pre-activations, where a
 * recomputation costs O(V·H)); the kernels {@link #refresh} the cache every thousand steps or so.
 */
public interface GradientCache extends SiteCache {

    /**
     * Evaluates the proposals of a batch of chains, leaving states and cache unchanged. Row c of {@code proposals}
     * ({@code chains × dim}) is chain c's proposal x'_c; it differs from the chain's state x_c exactly at the
     * {@code counts[c]} distinct sites {@code sites[c·dim .. c·dim + counts[c])}, and {@code counts[c] < 0} leaves
     * chain c out. For every other chain, writes log p̃(x'_c) − log p̃(x_c) into {@code delta[c]} and makes row c of
     * {@code grad} ({@code chains × dim × K}) the one-hot gradient at x'_c. On entry that row holds the gradient at
     * x_c, so an implementation may write only the entries the changed sites alter (writing all is also right).
     */
    void evaluate(int[] proposals, int[] sites, int[] counts, double[] delta, float[] grad);

    /** Moves chain c to its proposal of the last {@link #evaluate} call, updating the states and the cache. */
    void accept(int chain);

    /**
     * Recomputes every cached quantity from the states, as a new cache would, and writes log p̃ of every chain and
     * the one-hot gradient at the current states: a fresh evaluation without allocating anything.
     */
    void refresh(double[] logProb, float[] grad);
}
