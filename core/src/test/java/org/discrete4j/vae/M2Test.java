package org.discrete4j.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.List;
import org.discrete4j.distribution.OneHotCategorical;
import org.discrete4j.estimator.Exact;
import org.junit.jupiter.api.Test;

class M2Test {

    static final M2.Architecture SMALL = new M2.Architecture(12, 4, 3, 8);

    /** Random grey levels in [0, 1], shape (b, 12). */
    static NDArray images(NDManager manager, int b) {
        return manager.randomUniform(0f, 1f, new Shape(b, SMALL.pixels()));
    }

    /**
     * The marginal bound U(x) = Σ_y q(y|x) c(x, y) + KL(q(y|x) ‖ uniform), computed in one batched pass over the K
     * classes, equals the sum over classes computed one class at a time with the same noise, and equals −ELBO
     * = Σ_y q(y|x)(L(x, y) + log q(y|x)) written out from Kingma et al.'s eq. 7.
     */
    @Test
    void marginalEqualsTheSumOverClassesByEnumeration() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            M2 model = new M2(manager, SMALL);
            NDArray x = images(manager, 5);
            NDArray eps = manager.randomNormal(0f, 1f, new Shape(4, 5, 3), DataType.FLOAT32);
            NDArray logits = model.logits(x);
            float[] batched = model.marginal(x, logits, eps).toFloatArray();
            float[] q = logits.softmax(1).toFloatArray();
            double[] byHand = new double[5];
            for (int y = 0; y < 4; y++) {
                NDArray oneHot = manager.create(new int[] {y, y, y, y, y}).oneHot(4).toType(DataType.FLOAT32, false);
                NDArray noise = eps.get("{}:{}", y, y + 1);
                // L(x, y) = c(x, y) − log p(y), and −log p(y) = log 4.
                float[] l = model.cost(x, oneHot.expandDims(0), noise).squeeze(0).add(Math.log(4)).toFloatArray();
                for (int i = 0; i < 5; i++) {
                    double qy = q[i * 4 + y];
                    byHand[i] += qy * (l[i] + Math.log(qy));
                }
            }
            for (int i = 0; i < 5; i++) {
                assertThat((double) batched[i]).isCloseTo(byHand[i], org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }

    /**
     * With noise shared across the classes, the marginal bound and its gradient for every parameter equal those of
     * the library's exact estimator, which enumerates the classes of OneHotCategorical(q(y|x)).
     */
    @Test
    void marginalValueAndGradientMatchTheExactEstimator() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            M2 model = new M2(manager, SMALL);
            NDArray x = images(manager, 6);
            NDArray eps = manager.randomNormal(0f, 1f, new Shape(1, 6, 3), DataType.FLOAT32);
            List<NDArray> params = model.parameters();

            float ours;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(x);
                NDArray u = model.marginal(x, logits, eps.broadcast(new Shape(4, 6, 3))).sum();
                gc.backward(u);
                ours = u.getFloat();
            }
            float[][] ourGrads = grads(params);

            float exact;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(x);
                NDArray surrogate = new Exact().estimate(OneHotCategorical.ofLogits(logits),
                        y -> model.cost(x, y, eps.broadcast(new Shape(y.getShape().get(0), 6, 3)))).surrogate();
                NDArray total = surrogate.add(model.classKl(logits).sum());
                gc.backward(total);
                exact = total.getFloat();
            }
            float[][] exactGrads = grads(params);

            assertThat(ours).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-3f));
            for (int p = 0; p < ourGrads.length; p++) {
                float scale = 0;
                for (float g : exactGrads[p]) {
                    scale = Math.max(scale, Math.abs(g));
                }
                for (int j = 0; j < ourGrads[p].length; j++) {
                    assertThat(ourGrads[p][j]).as("parameter %d element %d", p, j)
                            .isCloseTo(exactGrads[p][j], org.assertj.core.data.Offset.offset(1e-4f * (1 + scale)));
                }
            }
            assertThat(Arrays.stream(ourGrads).mapToDouble(g -> Math.abs(g[0])).sum()).isPositive();
        }
    }

    /** Reads and resets the parameters' gradients. */
    static float[][] grads(List<NDArray> params) {
        float[][] out = new float[params.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = params.get(i).getGradient().toFloatArray();
            org.discrete4j.autograd.Gradients.zero(params.get(i));
        }
        return out;
    }

    /**
     * The Gumbel-softmax bound is U at one relaxed draw: averaged over many draws at a low temperature its value
     * approaches the exact marginal (the relaxation bias vanishes as τ → 0), and each method gives a finite gradient
     * to the classifier.
     */
    @Test
    void relaxedBoundsAgreeWithTheMarginalOnAverage() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            M2 model = new M2(manager, SMALL);
            NDArray x = images(manager, 4);
            NDArray x400 = x.expandDims(0).broadcast(new Shape(400, 4, 12)).reshape(1600, 12);
            double exact = model.marginal(x400, model.logits(x400)).mean().getFloat();
            double st = model.unlabelled(x400, M2.Method.ST_GUMBEL, 0.1).getFloat();
            double relaxed = model.unlabelled(x400, M2.Method.GUMBEL, 0.1).getFloat();
            // 1600 draws of a cost whose spread over y and z is a few nats: the means agree within ~0.5 nats.
            assertThat(st).isCloseTo(exact, org.assertj.core.data.Offset.offset(0.5));
            assertThat(relaxed).isCloseTo(exact, org.assertj.core.data.Offset.offset(0.5));
            for (M2.Method m : M2.Method.values()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(model.unlabelled(x, m, 0.5));
                }
                float[][] g = grads(model.parameters());
                double norm = 0;
                for (float v : g[0]) {
                    assertThat(Float.isFinite(v)).isTrue();
                    norm += v * v;
                }
                assertThat(norm).as(m.label()).isPositive();
            }
        }
    }

    @Test
    void balancedLabelsAreSeededDistinctAndEvenOverClasses() {
        int[] labels = new int[300];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 10;
        }
        int[] a = M2Training.balancedLabels(labels, 10, 25, 9);
        assertThat(a).hasSize(25).doesNotHaveDuplicates().isSorted();
        int[] perClass = new int[10];
        for (int i : a) {
            perClass[labels[i]]++;
        }
        assertThat(perClass).containsExactly(3, 3, 3, 3, 3, 2, 2, 2, 2, 2);
        assertThat(M2Training.balancedLabels(labels, 10, 25, 9)).containsExactly(a);
        assertThat(M2Training.balancedLabels(labels, 10, 25, 10)).isNotEqualTo(a);
        assertThatThrownBy(() -> M2Training.balancedLabels(labels, 10, 400, 1))
                .hasMessageContaining("class 0 has 30 images");
    }

    @Test
    void weightsFollowKingmasAlpha() {
        M2.Weights w = M2.Weights.of(100, 7900, 0.1);
        assertThat(w.labelled()).isEqualTo(100.0 / 7900);
        assertThat(w.classification()).isCloseTo(0.1 * 8000 * 100 / 7900, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(M2.Method.parse("ST-Gumbel")).isEqualTo(M2.Method.ST_GUMBEL);
        assertThatThrownBy(() -> M2.Method.parse("reinforce")).hasMessageContaining("unknown M2 method");
    }

    /** Training steps create their arrays in a per-step manager: the parameters' manager holds a fixed number. */
    @Test
    void trainingStepsHoldMemoryFlat() {
        Engine.getInstance().setRandomSeed(13);
        try (NDManager manager = NDManager.newBaseManager()) {
            M2 model = new M2(manager, SMALL);
            org.discrete4j.train.Adam adam = new org.discrete4j.train.Adam(model.parameters(), 1e-3);
            long arrays = -1;
            for (int step = 0; step < 12; step++) {
                try (NDManager s = manager.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray labels = s.create(new int[] {0, 1, 2, 3}).oneHot(4).toType(DataType.FLOAT32, false);
                    M2.Method m = M2.Method.values()[step % 3];
                    NDArray loss = model.objective(images(s, 6), images(s, 4), labels, m, 0.7,
                            M2.Weights.of(4, 6, 0.1));
                    gc.backward(loss);
                }
                adam.step();
                if (step == 2) {
                    arrays = manager.getManagedArrays().size();
                }
            }
            assertThat((long) manager.getManagedArrays().size()).isEqualTo(arrays);
        }
    }
}
