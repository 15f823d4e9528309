package org.discrete4j.sampler;

/**
 * DULA, the discrete unadjusted Langevin algorithm (Zhang, Liu &amp; Liu, ICML 2022, Algorithm 1 without the
 * Metropolis–Hastings step): every step accepts the {@link DiscreteLangevin discrete Langevin proposal}. CLI name
 * {@code dula}.
 *
 * <p>It is BIASED: its stationary distribution π_α is not the target for any fixed step size. The paper's claim
 * (Section 5) is that the bias vanishes as α → 0 for log-quadratic targets, log p̃(x) = xᵀWx + bᵀx, and is small
 * for targets close to log-quadratic. Precisely: for a log-quadratic target, π(x) exp(½∇log p̃(x)·(x'−x) −
 * ‖x'−x‖²/(2α)) is symmetric in (x, x'), so the chain is reversible with respect to π_α(x) ∝ p̃(x) Z_α(x), where
 * Z_α(x) = Σ_{x'} exp(½∇log p̃(x)·(x'−x) − ‖x'−x‖²/(2α)) is the proposal's normaliser; Z_α → 1 as α → 0. Even a
 * factorised (log-linear) target is therefore sampled with a bias at α &gt; 0. Use {@link Dmala} for exact
 * sampling; DULA is here for comparison with the paper and for uses that trade exactness for one step that never
 * rejects.
 *
 * <p>Cost: one energy-and-gradient evaluation per step, which also yields log p̃ and the gradient of the new state.
 * The step size is fixed (there is no acceptance rate to adapt it to).
 */
public final class Dula extends DiscreteLangevin {

    /** DULA with step size {@code alpha} (the paper uses 0.1–0.2 on RBMs and Ising models). */
    public Dula(double alpha) {
        super(alpha);
    }

    /** DULA with α = 0.2. */
    public Dula() {
        this(0.2);
    }

    /** No Metropolis–Hastings correction: the chain's stationary law is π_α, not p. */
    @Override
    public boolean exact() {
        return false;
    }

    @Override
    public String name() {
        return "dula";
    }

    @Override
    boolean corrected() {
        return false;
    }
}
