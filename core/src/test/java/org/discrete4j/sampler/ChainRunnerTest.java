package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.discrete4j.diagnostic.Mixing;
import org.discrete4j.model.IsingModel;
import org.junit.jupiter.api.Test;

class ChainRunnerTest {

    static final IsingModel ISING = IsingModel.lattice(4, 0.4, 0.0);

    /** Burn-in, thinning and recording counts, and the kept states are those of the same chain stepped by hand. */
    @Test
    void recordsWhatTheSettingsSay() {
        int chains = 5;
        int[] reference = new int[16];
        reference[3] = 1;
        ChainRunner.Settings s = ChainRunner.Settings.of(7, 23, 5).withReference(reference).withStateChains(2);
        AtomicLong progress = new AtomicLong();
        ChainRunner.Result r = ChainRunner.run(new Gibbs(false), ChainState.uniform(ISING, chains, 9), s,
                progress::addAndGet);
        assertThat(r.kept()).isEqualTo(4);
        assertThat(r.acceptance()).hasSize(30);
        assertThat(r.flips()).hasSize(30);
        assertThat(r.meanLogProb()).hasSize(30);
        assertThat(r.logProb()).hasDimensions(chains, 4);
        assertThat(r.hamming()).hasDimensions(chains, 4);
        assertThat(r.states()).hasNumberOfRows(2);
        assertThat(r.states()[0]).hasSize(4 * 16);
        assertThat(progress.get()).isEqualTo(30);
        assertThat(r.step(0)).isEqualTo(12);
        assertThat(r.step(3)).isEqualTo(27);
        // Gibbs on a binary model asks for one delta per step: 1 initial evaluation + 7, then 23.
        assertThat(r.burnInEvaluations()).isEqualTo(8);
        assertThat(r.evaluations()).isEqualTo(23);
        assertThat(r.seconds()).isPositive();

        // The same chains stepped by hand.
        ChainState manual = ChainState.uniform(ISING, chains, 9);
        Gibbs g = new Gibbs(false);
        g.init(manual);
        int j = 0;
        for (int t = 1; t <= 30; t++) {
            g.step(manual);
            if (t > 7 && (t - 7) % 5 == 0) {
                for (int c = 0; c < chains; c++) {
                    assertThat(r.logProb()[c][j]).isEqualTo(manual.logProb()[c]);
                    int h = 0;
                    for (int i = 0; i < 16; i++) {
                        h += manual.x()[c * 16 + i] != reference[i] ? 1 : 0;
                        if (c < 2) {
                            assertThat(r.state(c, j, i)).isEqualTo(manual.x()[c * 16 + i]);
                        }
                    }
                    assertThat(r.hamming()[c][j]).isEqualTo(h);
                }
                assertThat(r.coordinate(1, 5)[j]).isEqualTo(manual.x()[16 + 5]);
                j++;
            }
        }
        assertThat(j).isEqualTo(4);
    }

    /** Adaptation is on for exactly the burn-in steps and off afterwards. */
    @Test
    void adaptsOnlyDuringBurnIn() {
        List<Boolean> adaptingAtStep = new ArrayList<>();
        Kernel probe = new Kernel() {
            boolean adapting;

            @Override
            public String name() {
                return "probe";
            }

            @Override
            public StepInfo step(ChainState state) {
                adaptingAtStep.add(adapting);
                return new StepInfo(0.5, 0);
            }

            @Override
            public void setAdapting(boolean a) {
                adapting = a;
            }
        };
        ChainRunner.Result r = ChainRunner.run(probe, ChainState.uniform(ISING, 2, 1), ChainRunner.Settings.of(3, 4, 1),
                null);
        assertThat(adaptingAtStep).containsExactly(true, true, true, false, false, false, false);
        assertThat(r.meanAcceptance()).isEqualTo(0.5);
        assertThat(r.hamming()).isNull();
        assertThat(r.states()).isEmpty();
    }

    /**
     * The summary's ratios follow from its parts. Weak coupling (J = 0.2, far above the critical temperature) so
     * 2000 single-site steps mix and R̂ is near 1; at J = 0.4 the magnetisation flips too rarely and R̂ ≈ 1.4.
     */
    @Test
    void mixingFiguresAreConsistent() {
        int[] reference = new int[16];
        ChainRunner.Result r = ChainRunner.run(new Gibbs(false), ChainState.uniform(IsingModel.lattice(4, 0.2, 0),
                8, 3),
                ChainRunner.Settings.of(200, 2000, 1).withReference(reference).withStateChains(8), null);
        Mixing m = Mixing.of(r);
        assertThat(m.ess()).isBetween(1.0, 2000.0);
        assertThat(m.essPerSecond()).isCloseTo(m.ess() * 8 / r.seconds(), within(1e-9 * m.essPerSecond()));
        assertThat(m.essPerEvaluation()).isCloseTo(m.ess() / 2000, within(1e-12));
        assertThat(m.essCoordinateMin()).isLessThanOrEqualTo(m.essCoordinateMedian());
        assertThat(m.rhat()).isLessThan(1.1);
        assertThat(m.acceptance()).isEqualTo(1.0);
        assertThat(m.kept()).isEqualTo(2000);
    }

    @Test
    void sameSeedSameChains() {
        ChainRunner.Settings s = ChainRunner.Settings.of(10, 50, 2).withStateChains(3);
        ChainRunner.Result a = ChainRunner.run(new Gibbs(false), ChainState.uniform(ISING, 3, 4), s, null);
        ChainRunner.Result b = ChainRunner.run(new Gibbs(false), ChainState.uniform(ISING, 3, 4), s, null);
        assertThat(a.states()).isDeepEqualTo(b.states());
        assertThat(a.logProb()).isDeepEqualTo(b.logProb());
    }

    @Test
    void badSettings() {
        assertThatThrownBy(() -> ChainRunner.Settings.of(-1, 10, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainRunner.Settings.of(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainRunner.Settings.of(0, 10, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainRunner.run(new Gibbs(false), ChainState.uniform(ISING, 2, 1),
                ChainRunner.Settings.of(0, 10, 1).withReference(new int[3]), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference");
    }

    @Test
    void registryCreatesFreshKernelsByName() {
        assertThat(Samplers.names()).startsWith("gibbs", "gibbs-sweep");
        assertThat(Samplers.create("gibbs").name()).isEqualTo("gibbs");
        assertThat(Samplers.create("gibbs-sweep")).isNotSameAs(Samplers.create("gibbs-sweep"));
        for (String n : Samplers.names()) {
            assertThat(Samplers.create(n).name()).isEqualTo(n);
        }
        assertThat(Samplers.applicable(ISING)).contains("gibbs", "gibbs-sweep");
        assertThatThrownBy(() -> Samplers.create("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known: gibbs");
    }
}
