package org.discrete4j.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.discrete4j.autograd.Gradients;
import org.discrete4j.estimator.Estimators;
import org.discrete4j.estimator.GradientEstimator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SBN's nested estimate on a network small enough to enumerate: 3 input pixels, 2 output pixels, two layers of 2
 * Bernoulli units (4 configurations each) or of one categorical variable of 3 classes.
 */
class SbnTest {

    static final int IN = 3;
    static final int OUT = 2;

    static Latent layer(String name) {
        return name.equals("bernoulli") ? new BernoulliLatent(2) : new CategoricalLatent(1, 3);
    }

    /** Every configuration of a layer as rows of its flattened width. */
    static NDArray configurations(NDManager m, Latent layer) {
        if (layer instanceof BernoulliLatent) {
            return m.create(new float[] {0, 0, 1, 0, 0, 1, 1, 1}, new Shape(4, 2));
        }
        return m.eye(3);
    }

    /**
     * The exact objective {@code mean_rows Σ_{h1,h2} p(h1|x) p(h2|h1) (−log p(y|h2))}, written out from the
     * parameters with the layers' definitions (affine logits, sigmoid or softmax), independently of the model code.
     */
    static NDArray exactObjective(NDManager m, Sbn sbn, Latent layer, NDArray images) {
        Map<String, NDArray> p = sbn.parameters();
        NDArray x = images.get(":, :" + IN);
        NDArray y = images.get(":, " + IN + ":");
        NDArray h = configurations(m, layer);
        long s = h.getShape().get(0);
        NDArray logq1 = logProbs(layer, x.matMul(p.get("first.w0").transpose()).add(p.get("first.b0")), h);
        NDArray logq2 = logProbs(layer, h.matMul(p.get("second.w0").transpose()).add(p.get("second.b0")), h);
        NDArray logits = h.matMul(p.get("output.w0").transpose()).add(p.get("output.b0")); // (S2, OUT)
        // nll[b, c2] = Σ_d softplus(l) − y·l
        NDArray l = logits.expandDims(0); // (1, S2, OUT)
        NDArray nll = l.exp().add(1).log().sub(y.expandDims(1).mul(l)).sum(new int[] {2}); // (B, S2)
        NDArray inner = logq2.exp().matMul(nll.transpose()); // (S1, B): E[nll | h1]
        NDArray total = logq1.exp().mul(inner.transpose()).sum(new int[] {1}); // (B)
        assertThat(s).isPositive();
        return total.mean();
    }

    /** log p(config | logits) for every configuration: logits (R, width) → (R, S). */
    static NDArray logProbs(Latent layer, NDArray logits, NDArray h) {
        if (layer instanceof BernoulliLatent) {
            // Σ_u h_u·l_u − softplus(l_u)
            NDArray sp = logits.exp().add(1).log().sum(new int[] {1}, true); // (R, 1)
            return logits.matMul(h.transpose()).sub(sp);
        }
        return logits.logSoftmax(-1).matMul(h.transpose());
    }

    /**
     * Unbiased estimators in both layers (REINFORCE, RLOO) give the exact gradient on average: per coordinate,
     * |mean − exact| < 4.5 stderr, the stderr from 300 independent calls (each the mean of 40 rows' draws), which
     * fails by chance with probability below 1e-4 over all 22 or 20 coordinates. The loss's value is the cost, whose
     * average is the exact objective within the same bound.
     */
    @ParameterizedTest
    @CsvSource({"bernoulli,reinforce", "bernoulli,rloo", "categorical,reinforce", "categorical,rloo"})
    void nestedUnbiasedEstimatorsMatchTheEnumeratedGradient(String latent, String estimator) {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager m = NDManager.newBaseManager()) {
            Latent layer = layer(latent);
            Sbn sbn = new Sbn(m, layer, IN, OUT);
            NDArray two = m.create(new float[] {1, 0, 1, 0, 1, 0, 1, 1, 0, 0}, new Shape(2, IN + OUT));
            List<NDArray> params = new ArrayList<>(sbn.parameters().values());

            double exactValue;
            double[][] exact = new double[params.size()][];
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray j = exactObjective(m, sbn, layer, two);
                gc.backward(j);
                exactValue = j.getFloat();
            }
            for (int i = 0; i < params.size(); i++) {
                exact[i] = params.get(i).getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                Gradients.zero(params.get(i));
            }

            NDArray rows = two.tile(new long[] {20, 1}); // 40 rows, the two images alternating
            int calls = 300;
            double[][] sum = new double[params.size()][];
            double[][] sumSq = new double[params.size()][];
            double valueSum = 0;
            double valueSq = 0;
            List<GradientEstimator> estimators = List.of(Estimators.create(estimator, new Estimators.Options(1, 3)),
                    Estimators.create(estimator, new Estimators.Options(1, 3)));
            for (int c = 0; c < calls; c++) {
                try (NDManager scope = m.newSubManager()) {
                    NDArray x = rows.duplicate();
                    scope.tempAttachAll(x);
                    double v;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = sbn.loss(x, estimators);
                        gc.backward(loss);
                        v = loss.getFloat();
                    }
                    valueSum += v;
                    valueSq += v * v;
                    for (int i = 0; i < params.size(); i++) {
                        double[] g = params.get(i).getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                        Gradients.zero(params.get(i));
                        if (sum[i] == null) {
                            sum[i] = new double[g.length];
                            sumSq[i] = new double[g.length];
                        }
                        for (int k = 0; k < g.length; k++) {
                            sum[i][k] += g[k];
                            sumSq[i][k] += g[k] * g[k];
                        }
                    }
                }
            }
            double worst = 0;
            for (int i = 0; i < params.size(); i++) {
                for (int k = 0; k < exact[i].length; k++) {
                    double mean = sum[i][k] / calls;
                    double var = (sumSq[i][k] / calls - mean * mean) * calls / (calls - 1);
                    double stderr = Math.sqrt(Math.max(var, 0) / calls);
                    double z = Math.abs(mean - exact[i][k]) / Math.max(stderr, 1e-9);
                    worst = Math.max(worst, z);
                    assertThat(mean).as("%s/%s param %d[%d]", latent, estimator, i, k)
                            .isCloseTo(exact[i][k], within(4.5 * stderr + 1e-6));
                }
            }
            double valueMean = valueSum / calls;
            double valueErr = Math.sqrt(Math.max(valueSq / calls - valueMean * valueMean, 0) / (calls - 1));
            assertThat(valueMean).isCloseTo(exactValue, within(4.5 * valueErr + 1e-6));
            System.out.printf(java.util.Locale.ROOT, "SbnTest %s/%s: largest |z| over coordinates %.2f; value %.4f vs"
                    + " exact %.4f%n", latent, estimator, worst, valueMean, exactValue);
        }
    }

    /** With many draws the Monte Carlo bound approaches the enumerated −log p(lower | upper) from above. */
    @ParameterizedTest
    @CsvSource({"bernoulli", "categorical"})
    void evaluationApproachesTheEnumeratedLikelihood(String latent) {
        Engine.getInstance().setRandomSeed(8);
        try (NDManager m = NDManager.newBaseManager()) {
            Latent layer = layer(latent);
            Sbn sbn = new Sbn(m, layer, IN, OUT);
            NDArray image = m.create(new float[] {1, 0, 1, 0, 1}, new Shape(1, IN + OUT));
            double nll = exactNll(m, sbn, layer, image);
            double oneDraw = exactObjective(m, sbn, layer, image).getFloat();
            assertThat(oneDraw).isGreaterThan(nll);
            Evaluation e = sbn.evaluate(image.broadcast(new Shape(500, IN + OUT)), 200, 20_000);
            assertThat(e.meanNllBound()).isCloseTo(nll, within(0.01));
            assertThat(Evaluation.mean(e.negativeElbo())).isCloseTo(oneDraw, within(0.02));
            assertThatThrownBy(() -> sbn.evaluate(m.zeros(new Shape(2, 4)), 5, 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(B, 5)");
        }
    }

    /** {@code −log Σ_{h1,h2} p(h1|x) p(h2|h1) p(y|h2)}. */
    static double exactNll(NDManager m, Sbn sbn, Latent layer, NDArray image) {
        Map<String, NDArray> p = sbn.parameters();
        NDArray x = image.get(":, :" + IN);
        NDArray y = image.get(":, " + IN + ":");
        NDArray h = configurations(m, layer);
        NDArray q1 = logProbs(layer, x.matMul(p.get("first.w0").transpose()).add(p.get("first.b0")), h).exp();
        NDArray q2 = logProbs(layer, h.matMul(p.get("second.w0").transpose()).add(p.get("second.b0")), h).exp();
        NDArray l = h.matMul(p.get("output.w0").transpose()).add(p.get("output.b0"));
        NDArray like = l.exp().add(1).log().sub(y.mul(l)).sum(new int[] {1}).neg().exp(); // (S2)
        return -Math.log(q1.matMul(q2).matMul(like.expandDims(1)).getFloat());
    }
}
