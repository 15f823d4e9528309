package org.discrete4j.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;

import org.discrete4j.model.AnnealedModel;
import org.discrete4j.model.Enumeration;
import org.discrete4j.model.Rbm;
import org.discrete4j.sampler.Gibbs;
import org.discrete4j.sampler.GibbsWithGradients;
import org.junit.jupiter.api.Test;

/** AIS recovers the exact log Z of a small RBM, computed by enumerating its hidden units. */
class AisRbmTest {

    @Test
    void recoversTheExactLogPartitionOfASmallRbm() {
        Rbm rbm = Rbm.random(16, 8, 0.5, 0.5, 77);
        double exact = rbm.logZ();
        // The hidden-unit enumeration agrees with brute force over the 2^16 visible states.
        assertThat(exact).isCloseTo(Enumeration.of(rbm).logZ(), org.assertj.core.data.Offset.offset(1e-9));
        double[] half = new double[16];
        java.util.Arrays.fill(half, 0.5);
        Ais.Result gibbs = Ais.run(AnnealedModel.bernoulli(rbm, half), new Gibbs(true), 1000, 1000, 5);
        Ais.Result gwg = Ais.run(AnnealedModel.bernoulli(rbm, half), new GibbsWithGradients(), 1000, 1000, 6);
        System.out.printf("RBM 16x8 exact log Z %.4f; AIS (1000 runs, 1000 temperatures): gibbs-sweep %.4f ± %.4f, "
                + "gwg %.4f ± %.4f%n", exact, gibbs.logZ(), gibbs.stderr(), gwg.logZ(), gwg.stderr());
        for (Ais.Result r : new Ais.Result[] {gibbs, gwg}) {
            // 4 standard errors (delta method over 1000 independent runs), and the error bar itself is tight.
            assertThat(Math.abs(r.logZ() - exact)).as("log Z %.4f ± %.4f, exact %.4f", r.logZ(), r.stderr(), exact)
                    .isLessThan(4 * r.stderr());
            assertThat(r.stderr()).isLessThan(0.05);
        }
    }
}
