package org.discrete4j.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.data.Offset;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.IsingModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What every gradient-informed kernel promises besides sampling the right distribution. */
class GradientKernelContractTest {

    static List<Supplier<Kernel>> kernels() {
        return List.of(GibbsWithGradients::new, () -> new GibbsWithGradients(2.0, 3), () -> new PathAuxiliary(3),
                Dmala::new, Dula::new);
    }

    /** Delegates to a model and counts how it is called. */
    static final class Counting implements EnergyModel {
        final EnergyModel inner;
        int logProbCalls;
        int gradientCalls;
        boolean poison;

        Counting(EnergyModel inner) {
            this.inner = inner;
        }

        public int dim() {
            return inner.dim();
        }

        public int numValues() {
            return inner.numValues();
        }

        public void logProb(int[] x, int chains, double[] out) {
            logProbCalls++;
            inner.logProb(x, chains, out);
        }

        public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
            gradientCalls++;
            inner.logProbAndGradient(x, chains, logProb, grad);
            if (poison) {
                grad[3] = Float.NaN;
            }
        }
    }

    /** One batched energy-and-gradient evaluation per step, nothing else, counted once in the state. */
    @ParameterizedTest
    @MethodSource("kernels")
    void oneEnergyAndGradientEvaluationPerStep(Supplier<Kernel> make) {
        for (EnergyModel inner : List.of(IsingModel.lattice(4, 0.3, 0.1), new PairwiseCategorical(5, 3, 0.5, 2))) {
            Counting m = new Counting(inner);
            ChainState s = ChainState.uniform(m, 17, 4);
            Kernel k = make.get();
            k.init(s);
            assertThat(m.logProbCalls).isEqualTo(1); // the state's constructor
            assertThat(m.gradientCalls).isEqualTo(1); // the first gradient
            long before = s.evaluations();
            int steps = 50;
            for (int t = 0; t < steps; t++) {
                k.step(s);
            }
            assertThat(m.gradientCalls).as(k.name()).isEqualTo(1 + steps);
            assertThat(m.logProbCalls).as(k.name()).isEqualTo(1);
            assertThat(s.evaluations() - before).as(k.name()).isEqualTo(steps);
        }
    }

    /** After any number of steps the cached log p̃ and gradient are those of the current states. */
    @ParameterizedTest
    @MethodSource("kernels")
    void cachedLogProbAndGradientDescribeTheStates(Supplier<Kernel> make) {
        for (EnergyModel m : List.of(IsingModel.lattice(4, 0.4, -0.2), new PairwiseCategorical(5, 3, 0.5, 2))) {
            ChainState s = ChainState.uniform(m, 9, 8);
            Kernel k = make.get();
            k.init(s);
            double moved = 0;
            for (int t = 0; t < 200; t++) {
                moved += k.step(s).flips();
            }
            assertThat(moved).as(k.name() + " never moved").isGreaterThan(0);
            double[] lp = new double[9];
            float[] g = new float[9 * m.dim() * m.numValues()];
            m.logProbAndGradient(s.x(), 9, lp, g);
            for (int c = 0; c < 9; c++) {
                assertThat(s.logProb()[c]).isCloseTo(lp[c], Offset.offset(1e-12));
            }
            assertThat(s.gradient()).containsExactly(g);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void sameSeedSameChains(Supplier<Kernel> make) {
        EnergyModel m = IsingModel.lattice(4, 0.3, 0.1);
        int[][] runs = new int[2][];
        for (int r = 0; r < 2; r++) {
            ChainState s = ChainState.uniform(m, 5, 21);
            Kernel k = make.get();
            k.init(s);
            for (int t = 0; t < 100; t++) {
                k.step(s);
            }
            runs[r] = s.x().clone();
        }
        assertThat(runs[1]).containsExactly(runs[0]);
    }

    /** A NaN gradient is the model's bug: an error naming the kernel, not chains that silently stop. */
    @ParameterizedTest
    @MethodSource("kernels")
    void nonFiniteGradientIsAnError(Supplier<Kernel> make) {
        Counting m = new Counting(IsingModel.lattice(3, 0.3, 0.1));
        ChainState s = ChainState.uniform(m, 4, 1);
        Kernel k = make.get();
        k.init(s);
        k.step(s);
        m.poison = true;
        s.invalidateGradient();
        assertThatThrownBy(() -> k.step(s)).isInstanceOf(IllegalStateException.class).hasMessageContaining(k.name());
    }

    @Test
    void badParametersAreRejected() {
        assertThatThrownBy(() -> new GibbsWithGradients(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tau");
        assertThatThrownBy(() -> new GibbsWithGradients(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GibbsWithGradients(2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("draws");
        assertThatThrownBy(() -> new PathAuxiliary(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Dmala(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> new Dula(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        EnergyModel tiny = IsingModel.lattice(2, 0.3, 0.1); // 4 sites
        assertThat(new PathAuxiliary(5).appliesTo(tiny)).isFalse();
        assertThatThrownBy(() -> new PathAuxiliary(5).init(ChainState.uniform(tiny, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pas-5");
    }

    @Test
    void names() {
        assertThat(new GibbsWithGradients().name()).isEqualTo("gwg");
        assertThat(new GibbsWithGradients(2, 3).name()).isEqualTo("gwg-3");
        assertThat(new PathAuxiliary(3).name()).isEqualTo("pas-3");
        assertThat(new Dmala().name()).isEqualTo("dmala");
        assertThat(new Dula().name()).isEqualTo("dula");
    }
}
