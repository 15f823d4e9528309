package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Categorical;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.OneHotCategorical;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RebarRelaxTest {

    /** Three ordinary logits and an extreme one (p ≈ 3.4e-4), where the conditional noise lives in the far tail. */
    static final double[] THETA = {0.5, -1, 2.5, -8};
    static final double TARGET = 0.45;

    static Stream<Arguments> estimators() {
        return Stream.of(
                Arguments.of("rebar", (Supplier<LearnedControlVariate>) Rebar::new),
                Arguments.of("relax", (Supplier<LearnedControlVariate>) Relax::new),
                Arguments.of("relax+concrete", (Supplier<LearnedControlVariate>) () -> new Relax(32, 0.01, true)));
    }

    /**
     * Unbiased: 20,000 estimates (40 calls of 500 independent rows, after 10 calls of adaptation). Given the
     * control-variate parameters ψ, which are fixed before each call's draws, every estimate has mean equal to the
     * exact gradient, so the estimates form a martingale-difference sequence around it and the mean is
     * asymptotically normal with the reported standard error. |z| < 4.5 per coordinate has probability 7e-6 to fail
     * for one coordinate and below 1e-4 over every coordinate and estimator in this class; a bias of a few standard
     * errors (here ~1e-3 of the gradient's scale) would fail.
     *
     * <p>Variance: REINFORCE's per-draw variance is computed exactly by enumerating the 16 configurations. The
     * adapted estimator must have at most half of it (summed over coordinates). The sample variance of 20,000
     * estimates has a relative standard error of about sqrt(2/20,000)·(kurtosis factor) ≈ 1–5%, so a factor-2 margin
     * is dozens of standard errors wide; the observed ratios are ~0.1 (REBAR) and ~0.03 (RELAX).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void unbiasedOnBernoulliAndBelowReinforceVariance(String name, Supplier<LearnedControlVariate> make) {
        Problem problem = Problem.bernoulli(THETA, TARGET);
        LearnedControlVariate estimator = make.get();
        Comparison.Result r = Comparison.run(problem, estimator, 20_000, 500, 10, 17, null);
        assertThat(r.maxZ()).as("max |z| of %s, means %s vs exact %s", name, Arrays.toString(r.mean()),
                Arrays.toString(r.exact())).isLessThan(4.5);
        double variance = Arrays.stream(r.variance()).sum();
        double reinforce = Arrays.stream(reinforceVariance(THETA, TARGET)).sum();
        assertThat(variance).as("variance of %s vs REINFORCE's %s", name, reinforce).isLessThan(0.5 * reinforce);
    }

    /** Unbiased on a 4-class one-hot categorical, by the same bound as above. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void unbiasedOnOneHotCategorical(String name, Supplier<LearnedControlVariate> make) {
        Problem problem = Problem.categorical(new double[] {0.5, -1, 2, 0}, 1.45);
        Comparison.Result r = Comparison.run(problem, make.get(), 20_000, 500, 10, 23, null);
        assertThat(r.maxZ()).as("max |z| of %s, means %s vs exact %s", name, Arrays.toString(r.mean()),
                Arrays.toString(r.exact())).isLessThan(4.5);
    }

    /**
     * The per-draw variance of plain REINFORCE ĝ_i = f(b)(b_i − p_i) on the Bernoulli problem, by enumeration:
     * E[ĝ_i²] − (∂E[f]/∂θ_i)².
     */
    static double[] reinforceVariance(double[] theta, double t) {
        int d = theta.length;
        double[] p = new double[d];
        for (int i = 0; i < d; i++) {
            p[i] = Problem.sigmoid(theta[i]);
        }
        double[] second = new double[d];
        double[] first = new double[d];
        for (int mask = 0; mask < 1 << d; mask++) {
            double prob = 1;
            double f = 0;
            for (int i = 0; i < d; i++) {
                int b = (mask >> i) & 1;
                prob *= b == 1 ? p[i] : 1 - p[i];
                f += (b - t) * (b - t);
            }
            for (int i = 0; i < d; i++) {
                double g = f * (((mask >> i) & 1) - p[i]);
                first[i] += prob * g;
                second[i] += prob * g * g;
            }
        }
        double[] var = new double[d];
        for (int i = 0; i < d; i++) {
            var[i] = second[i] - first[i] * first[i];
        }
        return var;
    }

    /**
     * The enumerated REINFORCE variance that the comparison above uses agrees with {@code ScoreFunction(1)}'s sample
     * variance over 20,000 estimates: within 10%, several times the sampling error of a variance at this size.
     */
    @Test
    void enumeratedReinforceVarianceMatchesScoreFunction() {
        Comparison.Result r = Comparison.run(Problem.bernoulli(THETA, TARGET), new ScoreFunction(1), 20_000, 500, 0,
                17, null);
        double sampled = Arrays.stream(r.variance()).sum();
        double enumerated = Arrays.stream(reinforceVariance(THETA, TARGET)).sum();
        assertThat(sampled).isCloseTo(enumerated, offset(0.1 * enumerated));
    }

    @Test
    void rebarTunesEtaAndTemperature() {
        Rebar rebar = new Rebar();
        Comparison.run(Problem.bernoulli(THETA, TARGET), rebar, 1000, 500, 20, 5, null);
        assertThat(Math.abs(rebar.eta() - Rebar.INITIAL_ETA)).isGreaterThan(0.05);
        assertThat(Math.abs(rebar.temperature() - Rebar.INITIAL_TEMPERATURE)).isGreaterThan(0.02);
    }

    @Test
    void relaxTrainsItsNetwork() {
        Relax relax = new Relax(8, 0.01, true);
        Comparison.run(Problem.bernoulli(THETA, TARGET), relax, 10, 100, 1, 5, null);
        double[][] start = new double[6][];
        for (int i = 0; i < 6; i++) {
            start[i] = relax.parameter(i);
        }
        Comparison.run(Problem.bernoulli(THETA, TARGET), relax, 1000, 500, 20, 5, null);
        // Every parameter must move: W1 (random start), b1, the output layer (zero start), η and log λ. Adam moves
        // each element by at most ~0.01 per step, so 20 steps give up to ~0.2 when the gradient keeps its sign; the
        // hidden biases, whose gradients change sign often, move least (~0.007 here).
        for (int i = 0; i < 6; i++) {
            double change = 0;
            double[] now = relax.parameter(i);
            for (int j = 0; j < now.length; j++) {
                change += Math.abs(now[j] - start[i][j]);
            }
            assertThat(change / now.length).as("mean change of parameter %d", i).isGreaterThan(0.002);
        }
    }

    /**
     * The surrogate's value is the cost, its gradient reaches q's logits and f's parameter, and f's parameter gets
     * exactly ∇_w f(b): REBAR also evaluates f (and so w) at relaxed points, and none of that may leak into w.grad.
     * With f = w·Σ_i (z_i − t)², ∇_w f(b) = f(b) / w.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void gradientReachesOnlyTheLogitsAndTheCostsParameters(String name, Supplier<LearnedControlVariate> make) {
        Engine.getInstance().setRandomSeed(9);
        LearnedControlVariate estimator = make.get();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {0.3f, -0.8f, 1.5f, 0.1f, -2f, 0.7f}, new Shape(2, 3));
            NDArray w = m.create(1.7f);
            logits.setRequiresGradient(true);
            w.setRequiresGradient(true);
            Cost f = z -> z.sub(TARGET).square().sum(new int[] {2}).mul(w);
            for (int call = 0; call < 3; call++) {
                Estimate e;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    e = estimator.estimate(Bernoulli.ofLogits(logits), f);
                    assertThat(e.surrogate().getFloat()).isCloseTo(e.cost().sum().getFloat(), offset(1e-5f));
                    gc.zeroGradients();
                    gc.backward(e.surrogate());
                }
                assertThat(w.getGradient().getFloat()).as(name)
                        .isCloseTo(e.cost().sum().getFloat() / 1.7f, offset(1e-5f));
                float[] g = logits.getGradient().toFloatArray();
                assertThat(g).hasSize(6);
                for (float v : g) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void extremeLogitsStayFiniteInFloat32(String name, Supplier<LearnedControlVariate> make) {
        Engine.getInstance().setRandomSeed(4);
        LearnedControlVariate bernoulli = make.get();
        LearnedControlVariate categorical = make.get();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int call = 0; call < 5; call++) {
                NDArray b = m.create(new float[] {1e4f, -1e4f, 0f, 30f, -30f}, new Shape(1, 5));
                assertFinite(gradient(bernoulli, Bernoulli.ofLogits(b), z -> z.sub(TARGET).square().sum(new int[] {2}),
                        b));
                NDArray c = m.create(new float[] {1e4f, -1e4f, 0f, 1e4f, 0f, -1e4f}, new Shape(2, 3));
                assertFinite(gradient(categorical, OneHotCategorical.ofLogits(c), Problem.categoricalCost(3, 1.45), c));
            }
        }
    }

    static float[] gradient(GradientEstimator estimator, Distribution q, Cost f, NDArray logits) {
        logits.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(estimator.estimate(q, f).surrogate());
        }
        return logits.getGradient().toFloatArray();
    }

    static void assertFinite(float[] values) {
        for (float v : values) {
            assertThat(Float.isFinite(v)).as(Arrays.toString(values)).isTrue();
        }
    }

    @Test
    void sameSeedSameEstimates() {
        double[] first = Comparison.run(Problem.bernoulli(THETA, TARGET), new Relax(), 200, 100, 3, 31, null).mean();
        double[] again = Comparison.run(Problem.bernoulli(THETA, TARGET), new Relax(), 200, 100, 3, 31, null).mean();
        assertThat(again).containsExactly(first);
    }

    @Test
    void supportsIsTruthfulAndOtherDistributionsAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {0.1f, 0.2f, 0.3f}, new Shape(1, 3));
            for (GradientEstimator e : new GradientEstimator[] {new Rebar(), new Relax()}) {
                assertThat(e.unbiased()).isTrue();
                assertThat(e.supports(Bernoulli.ofLogits(logits))).isTrue();
                assertThat(e.supports(OneHotCategorical.ofLogits(logits))).isTrue();
                assertThat(e.supports(Categorical.ofLogits(logits))).isFalse();
                assertThatThrownBy(() -> e.estimate(Categorical.ofLogits(logits), z -> z.sum(new int[] {1})))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bernoulli");
            }
            assertThat(Estimators.create("rebar", Estimators.Options.defaults()).name()).isEqualTo("rebar");
            assertThat(Estimators.create("relax", Estimators.Options.defaults()).name()).isEqualTo("relax");
            assertThatThrownBy(() -> new Rebar(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Relax(0, 0.01, false)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void relaxRejectsAModelOfAnotherWidth() {
        Relax relax = new Relax();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray three = m.zeros(new Shape(2, 3));
            gradient(relax, Bernoulli.ofLogits(three), z -> z.sum(new int[] {2}), three);
            NDArray four = m.zeros(new Shape(2, 4));
            assertThatThrownBy(() -> gradient(relax, Bernoulli.ofLogits(four), z -> z.sum(new int[] {2}), four))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 inputs");
        }
    }

    /**
     * 2,000 estimates, each with two second-order passes through f at relaxed points, in a per-step manager inside
     * an open collector: nothing may stay attached to the long-lived manager, and the process may not grow. Each
     * estimate holds about 0.5 MB of arrays (128 × 16 logits), so keeping each step's graph alive, as the
     * create-graph backward this replaces did, would add about 1 GB; the Java heap is collected before each reading
     * so that its growth does not count. REBAR runs the same machinery as RELAX without the network's matrix
     * products, which are slow on a machine whose cores are busy with other work.
     */
    @Test
    void memoryStaysFlatOverTwoThousandEstimates() throws IOException {
        Engine.getInstance().setRandomSeed(8);
        Rebar rebar = new Rebar();
        Cost f = z -> z.sub(TARGET).square().sum(new int[] {2});
        try (NDManager base = NDManager.newBaseManager()) {
            long before = 0;
            for (int it = 0; it < 2000; it++) {
                try (NDManager m = base.newSubManager()) {
                    NDArray logits = m.randomNormal(new Shape(128, 16));
                    gradient(rebar, Bernoulli.ofLogits(logits), f, logits);
                }
                if (it == 200) {
                    System.gc();
                    before = rssMegabytes();
                }
            }
            assertThat(base.getManagedArrays()).isEmpty();
            System.gc();
            assertThat(rssMegabytes() - before).isLessThan(150);
        }
    }

    static long rssMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
