package org.discrete4j.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import org.discrete4j.diagnostic.Ais;
import org.discrete4j.model.PottsModel;
import org.discrete4j.model.Rbm;
import org.junit.jupiter.api.Test;

class RbmEvaluationTest {

    static final Rbm RBM = Rbm.random(6, 3, 1.0, 0.7, 5);
    static final int[] X = {1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1};

    @Test
    void pseudoLogLikelihoodIsTheSumOfExactConditionals() {
        double expected = 0;
        double[] lp = new double[2];
        for (int e = 0; e < 3; e++) {
            for (int i = 0; i < 6; i++) {
                int[] pair = new int[12];
                System.arraycopy(X, e * 6, pair, 0, 6);
                System.arraycopy(X, e * 6, pair, 6, 6);
                pair[6 + i] = 1 - pair[i];
                RBM.logProb(pair, 2, lp);
                // log p(x_i | x_−i) = log p̃(x) − log(p̃(x) + p̃(x with x_i flipped))
                double m = Math.max(lp[0], lp[1]);
                expected += lp[0] - m - Math.log(Math.exp(lp[0] - m) + Math.exp(lp[1] - m));
            }
        }
        assertThat(RbmEvaluation.pseudoLogLikelihood(RBM, X, 3)).isCloseTo(expected / 3, Offset.offset(1e-12));
    }

    @Test
    void reconstructionOfAnRbmWithoutWeightsIsTheVisibleMean() {
        double[] b = {-1, 0, 2, 0.5, -0.3, 1};
        Rbm independent = Rbm.of(new double[3][6], b, new double[] {0.1, -2, 3});
        double expected = 0;
        for (int e = 0; e < 3; e++) {
            for (int i = 0; i < 6; i++) {
                double d = X[e * 6 + i] - 1 / (1 + Math.exp(-b[i]));
                expected += d * d;
            }
        }
        assertThat(RbmEvaluation.reconstructionError(independent, X, 3)).isCloseTo(expected / 3,
                Offset.offset(1e-12));
    }

    /** Both AIS paths reach the exact log Z of a 16 × 8 RBM, and the log-likelihood is mean log p̃ − log Z. */
    @Test
    void aisLikelihoodOnBothPathsMatchesTheExactOne() {
        Rbm rbm = Rbm.random(16, 8, 0.5, 0.5, 77);
        double[] mean = new double[16];
        Arrays.fill(mean, 0.3);
        mean[0] = 0; // clipped to 0.01 for the base
        double exact = rbm.logZ();
        int[] x = new int[5 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 7 + i / 16) % 3 == 0 ? 1 : 0;
        }
        for (String sampler : new String[] {AisLikelihood.RBM_GIBBS, "gibbs-sweep"}) {
            long[] done = {0};
            Ais.Result ais = AisLikelihood.logZ(rbm, sampler, mean, 200, 300, 3, n -> done[0] = n);
            AisLikelihood.Result r = AisLikelihood.of(rbm, sampler, ais, x, 5);
            assertThat(done[0]).isEqualTo(200);
            assertThat(Math.abs(r.logZ() - exact)).as(sampler).isLessThan(4 * r.logZStderr());
            double[] m = AisLikelihood.meanLogProb(rbm, x, 5);
            assertThat(r.logLikelihood()).isEqualTo(m[0] - r.logZ());
            assertThat(r.meanLogProbStderr()).isEqualTo(m[1]).isPositive();
            assertThat(r.chains()).isEqualTo(200);
            assertThat(r.temperatures()).isEqualTo(300);
        }
    }

    @Test
    void aisRejectsModelsAndKernelsItCannotUse() {
        double[] mean = new double[16];
        Arrays.fill(mean, 0.5);
        Rbm rbm = Rbm.random(16, 4, 1);
        assertThatThrownBy(() -> AisLikelihood.logZ(rbm, "dula", mean, 2, 3, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("approximate");
        assertThatThrownBy(() -> AisLikelihood.logZ(rbm, "rbm-gibbs", new double[3], 2, 3, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 pixels");
        PottsModel potts = PottsModel.lattice(4, 3, 0.5, 0);
        assertThatThrownBy(() -> AisLikelihood.logZ(potts, "gibbs", mean, 2, 3, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binary");
        assertThatThrownBy(() -> AisLikelihood.meanLogProb(rbm, new int[5], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evaluationImagesAreBinaryAndFixedByTheDataSeed() {
        byte[] grey = new byte[20 * 4];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) (i * 37 % 256);
        }
        ImageSet set = new ImageSet("grey", 20, 2, 2, grey, new int[20]);
        int[] a = AisLikelihood.evaluationSet(set, Datasets.Split.TEST, Binarization.DYNAMIC, 4);
        int[] b = AisLikelihood.evaluationSet(set, Datasets.Split.TEST, Binarization.STATIC, 4);
        int[] train = AisLikelihood.evaluationSet(set, Datasets.Split.TRAIN, Binarization.STATIC, 4);
        int[] fromTraining = RbmEvaluation.binary(AisLikelihood.trainingSet(set, Binarization.STATIC, 4));
        assertThat(a).containsExactly(b).containsOnly(0, 1);
        assertThat(train).containsExactly(fromTraining).isNotEqualTo(b);
        assertThat(AisLikelihood.evaluationSet(set, Datasets.Split.TEST, Binarization.THRESHOLD, 4)[1]).isZero();
        assertThatThrownBy(() -> RbmEvaluation.binary(set)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not binarised");
    }
}
