package org.discrete4j.sampler;

/**
 * DMALA, the discrete Metropolis-adjusted Langevin algorithm (Zhang, Liu &amp; Liu, ICML 2022, Algorithm 1): the
 * {@link DiscreteLangevin discrete Langevin proposal} corrected by Metropolis–Hastings, with the reverse proposal
 * q(x|x') built from the gradient at x' that the step's one batched energy-and-gradient evaluation provides. Exact
 * for any step size. CLI name {@code dmala}. Binary and categorical.
 *
 * <p>Step size adaptation, only while {@link #setAdapting adapting} (the runner's burn-in), targets the acceptance
 * rate 0.574, the optimum of locally-balanced and Langevin-type discrete proposals on product targets (Sun, Dai &amp;
 * Schuurmans, "Optimal Scaling for Locally Balanced Proposals in Discrete Spaces", NeurIPS 2022; DISCS adapts its
 * DMALA to the same rate). The rule is a Robbins–Monro recursion on log α,
 * <pre>
 *   log α_{t+1} = log α_t + (t + 1)^{−0.6} (ā_t − 0.574),
 * </pre>
 * with ā_t the mean over chains of min(1, exp(log ratio)) at step t (the expected acceptance, much less noisy than the
 * 0/1 decisions). Larger α proposes more flips and lowers acceptance, so the recursion moves α the right way; the
 * gains sum to infinity and their squares do not, so it settles instead of jittering, and log α is kept in
 * [log 10⁻³, log 10³]. After burn-in α is frozen, and the kept samples come from a fixed, exact kernel.
 */
public final class Dmala extends DiscreteLangevin {

    static final double TARGET_ACCEPTANCE = 0.574;
    private static final double MIN_LOG_ALPHA = Math.log(1e-3);
    private static final double MAX_LOG_ALPHA = Math.log(1e3);

    private boolean adapting;
    private long adaptedSteps;

    /** DMALA with initial step size {@code alpha} (the paper uses 0.2 on RBMs and 0.4 on Ising models). */
    public Dmala(double alpha) {
        super(alpha);
    }

    /** DMALA with initial α = 0.2. */
    public Dmala() {
        this(0.2);
    }

    @Override
    public String name() {
        return "dmala";
    }

    @Override
    public void setAdapting(boolean adapting) {
        this.adapting = adapting;
    }

    @Override
    void observe(double meanAcceptance) {
        if (!adapting) {
            return;
        }
        double gain = Math.pow(adaptedSteps + 1, -0.6);
        adaptedSteps++;
        double logAlpha = Math.log(alpha) + gain * (meanAcceptance - TARGET_ACCEPTANCE);
        alpha = Math.exp(Math.min(MAX_LOG_ALPHA, Math.max(MIN_LOG_ALPHA, logAlpha)));
    }
}
