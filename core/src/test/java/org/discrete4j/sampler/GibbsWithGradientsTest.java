package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.junit.jupiter.api.Test;

/**
 * Gibbs-with-Gradients against exact enumeration (bounds from {@link ExactCheck}: a correct sampler exceeds them with
 * probability below 1e-6, given negligible burn-in bias). The step counts from uniform starts were chosen where the
 * TV of a correct run had stopped falling (it is at the sampling-noise floor by 100 steps on these models), with a
 * margin of 1.5–2×.
 */
class GibbsWithGradientsTest {

    static final EnergyModel ISING = IsingModel.lattice(3, 0.3, 0.1);
    /** Strongly coupled: two modes, slow to mix from uniform starts, so checked for invariance from exact starts. */
    static final EnergyModel STRONG = IsingModel.lattice(3, 0.5, 0.1);
    /** 4 sites × 3 values = 81 states, random pairwise couplings. */
    static final EnergyModel CATEGORICAL = new PairwiseCategorical(4, 3, 0.7, 5);

    static final int CHAINS = 40_000;

    @Test
    void matchesExactIsing() {
        ExactCheck.Result r = ExactCheck.check(ISING, new GibbsWithGradients(), CHAINS, 150, 1);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    @Test
    void multiFlipMatchesExactIsing() {
        ExactCheck.Result r = ExactCheck.check(ISING, new GibbsWithGradients(2, 3), CHAINS, 100, 2);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }

    @Test
    void leavesStronglyCoupledIsingInvariant() {
        for (Kernel k : new Kernel[] {new GibbsWithGradients(), new GibbsWithGradients(2, 3)}) {
            ExactCheck.Result r = fromExact(STRONG, k, 50, 3);
            assertThat(r.passes()).as(k.name() + " " + r).isTrue();
        }
    }

    /**
     * Runs from exact draws and checks that the chains still move (a kernel that never moves is invariant too): at
     * least 5 % acceptance, i.e. thousands of moves per step among the chains (gwg-3 accepts ≈ 7 % on the strongly
     * coupled model, where three flips out of an aligned state are costly; gwg ≈ 30 %).
     */
    static ExactCheck.Result fromExact(EnergyModel m, Kernel k, int steps, long seed) {
        ChainState s = ExactCheck.runFromExact(m, k, CHAINS, steps, seed);
        assertThat(k.step(s).acceptance()).as(k.name() + " acceptance").isGreaterThan(0.05);
        return ExactCheck.tv(s.x(), CHAINS, m.dim(), m.numValues(), Enumeration.of(m).probabilities());
    }

    @Test
    void categoricalMatchesExact() {
        for (Kernel k : new Kernel[] {new GibbsWithGradients(), new GibbsWithGradients(2, 3)}) {
            ExactCheck.Result r = ExactCheck.check(CATEGORICAL, k, CHAINS, 100, 4);
            assertThat(r.passes()).as(k.name() + " " + r).isTrue();
        }
    }

    /**
     * The check has power against the two classic mistakes: dropping the Metropolis–Hastings step (the proposal alone
     * is not p-invariant: TV ≈ 0.2 here), and scoring the reverse move with the gradient at x instead of x' (TV ≈ 0.056
     * against a bound of 0.030 on the categorical model, where a correct run gives ≈ 0.014).
     */
    @Test
    void checkRejectsAnIncorrectCorrection() {
        ExactCheck.Result noMh = ExactCheck.check(ISING, new Miscorrected(true), CHAINS, 100, 5);
        assertThat(noMh.passes()).as("without MH: " + noMh).isFalse();
        ExactCheck.Result stale = ExactCheck.check(CATEGORICAL, new Miscorrected(false), CHAINS, 100, 4);
        assertThat(stale.passes()).as("reverse from the forward gradient: " + stale).isFalse();
    }

    /** GWG with a broken correction: none at all, or the reverse proposal built from the gradient at x. */
    static final class Miscorrected extends GradientKernel {
        private final GibbsWithGradients gwg = new GibbsWithGradients();
        private final boolean noMh;
        private float[] forwardGradient;

        Miscorrected(boolean noMh) {
            this.noMh = noMh;
        }

        @Override
        public String name() {
            return noMh ? "gwg-without-mh" : "gwg-stale-reverse";
        }

        @Override
        void allocate(int chains, int dim, int values) {
            gwg.allocate(chains, dim, values);
        }

        @Override
        double propose(int c, int[] x, float[] g, int[] xp, SplittableRandom rng) {
            forwardGradient = g;
            return gwg.propose(c, x, g, xp, rng);
        }

        @Override
        double reverse(int c, int[] x, int[] xp, float[] gp) {
            return gwg.reverse(c, x, xp, forwardGradient);
        }

        @Override
        boolean corrected() {
            return !noMh;
        }

        /** The inner kernel's kept weights would be the broken reverse ones: it reweighs from the gradient. */
        @Override
        void accepted(int c) {
            gwg.rejected(c);
            gwg.forget(c);
        }

        @Override
        void rejected(int c) {
            gwg.rejected(c);
        }

        @Override
        void forget() {
            gwg.forget();
        }
    }
}
