package org.discrete4j.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.discrete4j.model.AnnealedModel;
import org.discrete4j.model.Rbm;
import org.discrete4j.sampler.Gibbs;
import org.junit.jupiter.api.Test;

/** AIS on the Salakhutdinov–Murray path converges to an RBM's exact log Z as the schedule grows. */
class RbmAisTest {

    /** 40 visible, 12 hidden units, weights of sd 1: strongly coupled, so short schedules are visibly wrong. */
    static final Rbm RBM = Rbm.random(40, 12, 1.0, 0.5, 21);

    static double[] base() {
        double[] p = new double[40];
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.2 + 0.6 * i / (p.length - 1.0);
        }
        return p;
    }

    /**
     * With 3 temperatures the estimate is far too low (AIS is biased low: E[log Ẑ] ≤ log Z by Jensen) and its
     * weights degenerate; the error bar shrinks as the schedule grows, and with 1,000 temperatures the estimate
     * agrees with the exact log Z within 4 standard errors of 200 independent runs (a delta-method bound, valid once
     * the weights' effective number is large, which is checked) and to better than 0.05 nats.
     */
    @Test
    void convergesToTheExactLogPartitionFunction() {
        double exact = RBM.logZ();
        int[] schedule = {3, 100, 1000};
        Ais.Result[] r = new Ais.Result[schedule.length];
        for (int s = 0; s < schedule.length; s++) {
            r[s] = RbmAis.run(RBM, base(), 200, schedule[s], 100 + s, null);
            System.out.printf("RBM 40x12 AIS, %5d temperatures: log Z %.4f ± %.4f (exact %.4f, error %+.4f, "
                    + "weight ESS %.1f)%n", schedule[s], r[s].logZ(), r[s].stderr(), exact, r[s].logZ() - exact,
                    r[s].weightEss());
        }
        assertThat(r[0].logZ()).isLessThan(exact - 1);
        assertThat(r[1].stderr()).isLessThan(r[0].stderr());
        assertThat(r[2].stderr()).isLessThan(r[1].stderr()).isLessThan(0.05);
        assertThat(r[2].weightEss()).isGreaterThan(100);
        assertThat(Math.abs(r[2].logZ() - exact)).isLessThan(4 * r[2].stderr());
        assertThat(r[2].temperatures()).isEqualTo(1000);
        assertThat(r[2].logWeights()).hasSize(200);
    }

    /** The geometric path with single-site Gibbs reaches the same log Z: two different paths, one answer. */
    @Test
    void agreesWithTheGeometricPath() {
        Ais.Result sm = RbmAis.run(RBM, base(), 100, 1000, 7, null);
        Ais.Result geometric = Ais.run(AnnealedModel.bernoulli(RBM, base()), new Gibbs(true), 100, 1000, 8);
        double se = Math.hypot(sm.stderr(), geometric.stderr());
        assertThat(Math.abs(sm.logZ() - geometric.logZ())).isLessThan(4 * se);
        assertThat(Math.abs(sm.logZ() - RBM.logZ())).isLessThan(4 * sm.stderr());
    }

    @Test
    void isDeterministicInTheSeedAndReportsProgress() {
        long[] seen = {0};
        Ais.Result a = RbmAis.run(RBM, base(), 5, 50, 3, n -> seen[0] = n);
        Ais.Result b = RbmAis.run(RBM, base(), 5, 50, 3, null);
        assertThat(a.logWeights()).containsExactly(b.logWeights());
        assertThat(seen[0]).isEqualTo(5);
    }

    @Test
    void rejectsBadInput() {
        double[] half = new double[40];
        Arrays.fill(half, 0.5);
        assertThatThrownBy(() -> RbmAis.run(RBM, half, 0, 10, 1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one run");
        assertThatThrownBy(() -> RbmAis.run(RBM, half, 10, 1, 1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 temperatures");
        assertThatThrownBy(() -> RbmAis.run(RBM, new double[3], 10, 10, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40 visible");
        double[] bad = half.clone();
        bad[7] = 1.0;
        assertThatThrownBy(() -> RbmAis.run(RBM, bad, 10, 10, 1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unit 7");
        assertThatThrownBy(() -> Ais.of(new double[] {1, Double.NaN}, 2, 1)).isInstanceOf(IllegalStateException.class);
    }
}
