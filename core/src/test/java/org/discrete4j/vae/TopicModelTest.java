package org.discrete4j.vae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.discrete4j.estimator.GenGS;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.estimator.ScoreFunction;
import org.discrete4j.train.Adam;
import org.junit.jupiter.api.Test;

class TopicModelTest {

    static final SyntheticCorpus.Settings SMALL = new SyntheticCorpus.Settings(3, 30, 8, 0.01, 0.5, 0.05, 20, 40);

    @Test
    void trainingStepsKeepGradientsFiniteAndMemoryFlat() {
        SyntheticCorpus.Truth truth = SyntheticCorpus.truth(SMALL, 1);
        Corpus corpus = SyntheticCorpus.sample(truth, 64, 2).corpus();
        for (GradientEstimator estimator : List.of(new GenGS(0.5),
                new ScoreFunction(ScoreFunction.Baseline.LEAVE_ONE_OUT, 4))) {
            Engine.getInstance().setRandomSeed(4);
            try (NDManager manager = NDManager.newBaseManager()) {
                TopicModel model = new TopicModel(manager, new TopicModel.Architecture(30, 3, 16, 0.5, 0.05), null);
                Adam adam = new Adam(model.parameters(), 0.01);
                long arrays = -1;
                for (int step = 0; step < 30; step++) {
                    int[] docs = new int[16];
                    for (int i = 0; i < 16; i++) {
                        docs[i] = (step * 16 + i) % 64;
                    }
                    try (NDManager s = manager.newSubManager();
                            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = model.loss(corpus.dense(s, docs), estimator);
                        assertThat(Float.isFinite(loss.getFloat())).isTrue();
                        gc.backward(loss);
                    }
                    adam.step(); // throws on a non-finite gradient
                    if (step == 5) {
                        arrays = manager.getManagedArrays().size();
                    }
                }
                // Parameters, Adam's moments and nothing else: per-step arrays live and die in the step's manager.
                assertThat((long) manager.getManagedArrays().size()).as(estimator.name()).isEqualTo(arrays);
            }
        }
    }

    /** log p(x|z) = Σ_w x_w log Σ_k π_k β_kw with π = (z + a)/Σ(z + a), by hand, for two documents and two z each. */
    @Test
    void logLikelihoodAndKlMatchTheirFormulas() {
        double[][] beta = {{0.5, 0.3, 0.2}, {0.1, 0.1, 0.8}};
        try (NDManager manager = NDManager.newBaseManager()) {
            TopicModel model = new TopicModel(manager, new TopicModel.Architecture(3, 2, 4, 0.7, 0.1), beta);
            NDArray counts = manager.create(new float[] {2, 0, 1, 0, 3, 1}, new ai.djl.ndarray.types.Shape(2, 3));
            float[] z = {0, 2, 1, 1, 3, 0, 0.5f, 0};
            NDArray zs = manager.create(z, new ai.djl.ndarray.types.Shape(2, 2, 2));
            float[] ll = model.logLikelihood(counts, zs).toFloatArray();
            float[][] x = {{2, 0, 1}, {0, 3, 1}};
            for (int n = 0; n < 2; n++) {
                for (int b = 0; b < 2; b++) {
                    double z0 = z[(n * 2 + b) * 2] + 0.1;
                    double z1 = z[(n * 2 + b) * 2 + 1] + 0.1;
                    double expected = 0;
                    for (int w = 0; w < 3; w++) {
                        expected += x[b][w] * Math.log((z0 * beta[0][w] + z1 * beta[1][w]) / (z0 + z1));
                    }
                    assertThat((double) ll[n * 2 + b]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
                }
            }
            // KL(Poisson(λ) ‖ Poisson(λ0)) against Σ_k p(k) log(p(k)/p0(k)) summed over the support.
            double[] logRate = {-1.2, 0.4};
            float kl = model.kl(manager.create(new float[] {(float) logRate[0], (float) logRate[1]},
                    new ai.djl.ndarray.types.Shape(1, 2))).getFloat();
            double expected = 0;
            for (double lr : logRate) {
                double rate = Math.exp(lr);
                for (int k = 0; k < 60; k++) {
                    double logP = k * lr - rate - logFactorial(k);
                    double logP0 = k * Math.log(0.7) - 0.7 - logFactorial(k);
                    expected += Math.exp(logP) * (logP - logP0);
                }
            }
            assertThat((double) kl).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    static double logFactorial(int k) {
        double s = 0;
        for (int i = 2; i <= k; i++) {
            s += Math.log(i);
        }
        return s;
    }

    /**
     * Both held-out bounds lie below log p(x), computed exactly by summing the prior times the likelihood over
     * z ∈ {0..30}² (the prior's mass beyond is below 1e-30), and the importance-weighted bound with 4000 draws is
     * within 0.05 nats of it: the perplexities that use them are honest upper bounds.
     */
    @Test
    void boundsLieBelowTheExactMarginalLikelihood() {
        double[][] beta = {{0.6, 0.3, 0.05, 0.05}, {0.05, 0.05, 0.3, 0.6}};
        double prior = 0.5;
        double a = 0.1;
        float[] x = {3, 1, 0, 4};
        double exact = Double.NEGATIVE_INFINITY;
        for (int z0 = 0; z0 <= 30; z0++) {
            for (int z1 = 0; z1 <= 30; z1++) {
                double lp = z0 * Math.log(prior) - prior - logFactorial(z0) + z1 * Math.log(prior) - prior
                        - logFactorial(z1);
                for (int w = 0; w < 4; w++) {
                    lp += x[w] * Math.log(((z0 + a) * beta[0][w] + (z1 + a) * beta[1][w]) / (z0 + z1 + 2 * a));
                }
                exact = Math.max(exact, lp) + Math.log1p(Math.exp(-Math.abs(exact - lp)));
            }
        }
        Engine.getInstance().setRandomSeed(21);
        try (NDManager manager = NDManager.newBaseManager()) {
            TopicModel model = new TopicModel(manager, new TopicModel.Architecture(4, 2, 8, prior, a), beta);
            NDArray counts = manager.create(x, new ai.djl.ndarray.types.Shape(1, 4));
            TopicModel.Bounds few = model.bounds(counts, 1);
            TopicModel.Bounds many = model.bounds(counts, 4000);
            assertThat(many.elbo()[0]).isLessThan(exact);
            assertThat(many.importanceWeighted()[0]).isLessThanOrEqualTo(exact + 0.01)
                    .isCloseTo(exact, org.assertj.core.data.Offset.offset(0.05));
            assertThat(many.importanceWeighted()[0]).isGreaterThan(many.elbo()[0]);
            assertThat(Double.isFinite(few.importanceWeighted()[0])).isTrue();
        }
    }
}
