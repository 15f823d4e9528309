package org.discrete4j.sampler;

import org.discrete4j.model.EnergyModel;

/**
 * A Markov transition kernel that leaves p ∝ exp(log p̃) invariant, applied to a batch of chains in place
 * (BlackJAX's init/step, tfp's bootstrap_results/one_step). A kernel instance belongs to one run: adaptive
 * kernels keep their tuned parameters in it.
 */
public interface Kernel {

    /** Name used on the command line and in results, e.g. {@code gwg}. */
    String name();

    /** Whether this kernel can sample the model (binary-only kernels, structure-specific ones). */
    default boolean appliesTo(EnergyModel model) {
        return true;
    }

    /**
     * Whether p is exactly invariant. False only for deliberately approximate kernels (DULA has no
     * Metropolis–Hastings correction), whose samples are biased at any finite step size.
     */
    default boolean exact() {
        return true;
    }

    /** Prepares the kernel for the chains (fills the caches it needs). */
    default void init(ChainState state) {}

    /** One transition of every chain. */
    StepInfo step(ChainState state);

    /**
     * Turns adaptation (step size, radius, proposal scale) on or off. The runner adapts only during burn-in, so the
     * kept samples come from a fixed, valid kernel.
     */
    default void setAdapting(boolean adapting) {}
}
