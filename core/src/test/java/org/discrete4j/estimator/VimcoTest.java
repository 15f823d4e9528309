package org.discrete4j.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.LogSpace;
import org.junit.jupiter.api.Test;

/**
 * VIMCO against the exact gradient of the multi-sample objective L = E[log (1/K) Σ_k exp ℓ(z_k)] on a problem small
 * enough to enumerate: two Bernoulli variables under q(θ), K = 3 draws, so 4³ = 64 joint configurations, and
 * {@code ℓ(z) = log p_ψ(z) + c·z₁z₂ − log q_θ(z)} with p_ψ independent Bernoulli: ℓ depends on θ both through the
 * draws' distribution and directly, and on ψ only directly.
 */
class VimcoTest {

    static final float[] THETA = {0.4f, -1.1f};
    static final float[] PSI = {-1.0f, 1.5f};
    static final float COUPLING = 1.5f;
    static final int K = 3;

    /** ℓ for draws z of shape (K) + batch + (2), with q and p of batch shape batch + (2). */
    static NDArray logWeight(NDArray z, Bernoulli q, Bernoulli p) {
        int last = z.getShape().dimension() - 1;
        NDArray pair = z.get(new NDIndex("..., 0")).mul(z.get(new NDIndex("..., 1"))).mul(COUPLING);
        return p.logProb(z).sum(new int[] {last}).sub(q.logProb(z).sum(new int[] {last})).add(pair);
    }

    /** {L, dL/dθ₁, dL/dθ₂, dL/dψ₁, dL/dψ₂} by enumerating the 64 configurations, differentiated by autograd. */
    static double[] exact(NDManager m) {
        int configs = 1 << (2 * K);
        float[] z = new float[K * configs * 2];
        for (int c = 0; c < configs; c++) {
            for (int k = 0; k < K; k++) {
                int value = (c >> (2 * k)) & 3;
                z[(k * configs + c) * 2] = value & 1;
                z[(k * configs + c) * 2 + 1] = value >> 1;
            }
        }
        NDArray draws = m.create(z, new Shape(K, configs, 2));
        NDArray theta = m.create(THETA);
        NDArray psi = m.create(PSI);
        theta.setRequiresGradient(true);
        psi.setRequiresGradient(true);
        double value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Bernoulli q = Bernoulli.ofLogits(theta);
            NDArray ell = logWeight(draws, q, Bernoulli.ofLogits(psi)); // (K, configs)
            NDArray objective = LogSpace.logSumExp(ell, 0, false).sub(Math.log(K));
            NDArray probability = q.logProb(draws).sum(new int[] {0, 2}).exp(); // joint probability of the K draws
            NDArray expectation = probability.mul(objective).sum();
            value = expectation.getFloat();
            gc.backward(expectation);
        }
        float[] gt = theta.getGradient().toFloatArray();
        float[] gp = psi.getGradient().toFloatArray();
        return new double[] {value, gt[0], gt[1], gp[0], gp[1]};
    }

    /**
     * 100 000 independent VIMCO estimates (one per row) against the enumeration, per coordinate within 4.5 standard
     * errors: the per-row estimates are i.i.d., so by the CLT |z| > 4.5 has probability 7e-6 per coordinate. The
     * estimate of L itself (mean of L̂ over rows) is checked the same way, and the surrogate's value must be Σ L̂.
     */
    @Test
    void agreesWithTheExactGradientOfTheMultiSampleObjective() {
        Engine.getInstance().setRandomSeed(41);
        int rows = 100_000;
        try (NDManager m = NDManager.newBaseManager()) {
            double[] want = exact(m);
            NDArray theta = m.create(THETA).expandDims(0).repeat(0, rows);
            NDArray psi = m.create(PSI).expandDims(0).repeat(0, rows);
            theta.setRequiresGradient(true);
            psi.setRequiresGradient(true);
            Estimate est;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Bernoulli q = Bernoulli.ofLogits(theta);
                Bernoulli p = Bernoulli.ofLogits(psi);
                est = Estimators.createMultiSample("vimco").estimate(q, z -> logWeight(z, q, p), K);
                gc.backward(est.surrogate());
            }
            NDArray perRow = LogSpace.logSumExp(est.cost(), 0, false).sub(Math.log(K)); // L̂ of each row
            assertThat(est.surrogate().getFloat()).isCloseTo(perRow.sum().getFloat(), within(1e-3f * rows));
            NDArray[] columns = {perRow, theta.getGradient().get(":, 0"), theta.getGradient().get(":, 1"),
                psi.getGradient().get(":, 0"), psi.getGradient().get(":, 1")};
            String[] names = {"L", "dL/dtheta1", "dL/dtheta2", "dL/dpsi1", "dL/dpsi2"};
            for (int i = 0; i < columns.length; i++) {
                double[] x = columns[i].toType(DataType.FLOAT64, false).toDoubleArray();
                double mean = 0;
                for (double v : x) {
                    mean += v / rows;
                }
                double var = 0;
                for (double v : x) {
                    var += (v - mean) * (v - mean) / (rows - 1);
                }
                double se = Math.sqrt(var / rows);
                System.out.printf("%-10s exact %9.5f vimco %9.5f stderr %.5f z %.2f%n", names[i], want[i], mean, se,
                        (mean - want[i]) / se);
                assertThat(Math.abs(mean - want[i])).as(names[i]).isLessThanOrEqualTo(4.5 * se);
                // Power: the standard error is small against the scale of the gradient (for L, against 1 nat), so
                // a wrong estimator would show.
                double scale = i == 0 ? 1 : Math.max(Math.max(Math.abs(want[1]), Math.abs(want[2])),
                        Math.max(Math.abs(want[3]), Math.abs(want[4])));
                assertThat(se).as(names[i]).isLessThan(0.02 * scale);
            }
        }
    }

    @Test
    void tooFewDrawsAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            Bernoulli q = Bernoulli.ofLogits(m.create(THETA));
            assertThatThrownBy(() -> new Vimco().estimate(q, z -> z.sum(new int[] {1}), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vimco needs k >= 2");
        }
        assertThatThrownBy(() -> Estimators.createMultiSample("rloo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known: vimco");
    }
}
