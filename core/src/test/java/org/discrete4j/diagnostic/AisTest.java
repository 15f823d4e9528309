package org.discrete4j.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.discrete4j.model.AnnealedModel;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.IsingModel;
import org.discrete4j.sampler.Gibbs;
import org.junit.jupiter.api.Test;

class AisTest {

    /** A 4×4 Ising model near the critical coupling, with a field: 65 536 states, exact log Z by enumeration. */
    static final IsingModel ISING = IsingModel.lattice(4, 0.4, 0.1);

    /**
     * AIS recovers the exact log Z within 4 standard errors, and more temperatures shrink the error. The bound: for
     * n = 2000 runs the mean of e^w is close to normal when the weights are not too spread (their effective number,
     * checked here, stays in the hundreds), and log Ẑ's bias −se²/2 is a small fraction of its standard error, so
     * |log Ẑ − log Z| &lt; 4 se fails with probability about 1e-4 per check. (Over 20 seeds at T = 3000 the
     * z-scores had mean −0.05 and rms 0.92: the delta-method error is calibrated.) With single-site Gibbs as the
     * transition, 30–100 temperatures leave only 10–60 effective runs, too few for the normal approximation.
     */
    @Test
    void recoversExactLogZAndImprovesWithMoreTemperatures() {
        double exact = Enumeration.of(ISING).logZ();
        Ais.Result coarse = Ais.run(AnnealedModel.uniform(ISING), new Gibbs(false), 2000, 300, 1);
        Ais.Result fine = Ais.run(AnnealedModel.uniform(ISING), new Gibbs(false), 2000, 3000, 2);
        for (Ais.Result r : new Ais.Result[] {coarse, fine}) {
            assertThat(r.weightEss()).as("weight ESS, T = %d", r.temperatures()).isGreaterThan(100);
            assertThat(Math.abs(r.logZ() - exact)).as("T = %d: log Z %.4f ± %.4f, exact %.4f", r.temperatures(),
                    r.logZ(), r.stderr(), exact).isLessThan(4 * r.stderr());
        }
        // Neal (2001): the log-weight variance falls like 1/T once β moves slowly, so 10 times the temperatures
        // should cut the standard error about √10 ≈ 3.2 times (seen: 3.6–4.8 over seeds); require 2.
        assertThat(fine.stderr()).isLessThan(coarse.stderr() / 2);
        assertThat(fine.logWeights()).hasSize(2000);
        // One log p̃ per temperature after the first, plus one Gibbs delta per transition, plus the start.
        assertThat(fine.evaluations()).isEqualTo(1 + 2999 + 2998);
    }

    /** A non-uniform Bernoulli base also gives the right answer (log Z₀ = 0 for any normalised base). */
    @Test
    void bernoulliBase() {
        double exact = Enumeration.of(ISING).logZ();
        double[] p = new double[16];
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.3 + 0.4 * i / 15.0;
        }
        Ais.Result r = Ais.run(AnnealedModel.bernoulli(ISING, p), new Gibbs(true), 2000, 300, 3);
        assertThat(Math.abs(r.logZ() - exact)).as("log Z %.4f ± %.4f, exact %.4f", r.logZ(), r.stderr(), exact)
                .isLessThan(4 * r.stderr());
    }

    @Test
    void sameSeedSameResult() {
        Ais.Result a = Ais.run(AnnealedModel.uniform(ISING), new Gibbs(false), 50, 40, 7);
        Ais.Result b = Ais.run(AnnealedModel.uniform(ISING), new Gibbs(false), 50, 40, 7);
        assertThat(a.logWeights()).containsExactly(b.logWeights());
    }

    @Test
    void badArguments() {
        AnnealedModel m = AnnealedModel.uniform(ISING);
        assertThatThrownBy(() -> Ais.run(m, new Gibbs(false), 0, 10, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ais.run(m, new Gibbs(false), 10, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnnealedModel.bernoulli(ISING, new double[16]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setBeta(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
