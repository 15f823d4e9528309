package org.discrete4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NeuralEnergyTest {

    static final int V = 10;
    static final int H = 4;

    /** An RBM's free energy as a DJL block: bᵀv (bias-free linear layer) + Σ_j softplus(c + Wv). */
    record RbmBlock(Block block, Linear visibleTerm, Linear hiddenInput) {
        static RbmBlock create() {
            Linear vis = Linear.builder().setUnits(1).optBias(false).build();
            Linear hid = Linear.builder().setUnits(H).build();
            SequentialBlock hidden = new SequentialBlock().add(hid).add(Activation::softPlus)
                    .add(l -> new NDList(l.singletonOrThrow().sum(new int[] {1}, true)));
            Block block = new ParallelBlock(
                    l -> new NDList(l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())),
                    List.of(vis, hidden));
            return new RbmBlock(block, vis, hid);
        }

        /** Initialises the block in the manager and copies the RBM's (float-representable) parameters in. */
        void load(NDManager manager, Rbm rbm) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, V));
            double[][] w = rbm.weights();
            float[] wf = new float[H * V];
            for (int j = 0; j < H; j++) {
                for (int i = 0; i < V; i++) {
                    wf[j * V + i] = (float) w[j][i];
                }
            }
            hiddenInput.getParameters().get("weight").getArray().set(FloatBuffer.wrap(wf));
            hiddenInput.getParameters().get("bias").getArray().set(FloatBuffer.wrap(floats(rbm.hiddenBias())));
            visibleTerm.getParameters().get("weight").getArray().set(FloatBuffer.wrap(floats(rbm.visibleBias())));
        }
    }

    static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** A random RBM whose parameters are exactly float32 numbers, so both implementations see the same model. */
    static Rbm floatRbm(long seed) {
        Rbm r = Rbm.random(V, H, 0.8, 1.0, seed);
        double[][] w = r.weights();
        for (double[] row : w) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) row[i];
            }
        }
        double[] b = r.visibleBias();
        double[] c = r.hiddenBias();
        for (int i = 0; i < V; i++) {
            b[i] = (float) b[i];
        }
        for (int j = 0; j < H; j++) {
            c[j] = (float) c[j];
        }
        return Rbm.of(w, b, c);
    }

    /** float32 evaluation against the closed form in double: relative rounding ~1e-7 per operation. */
    static double tol(double v) {
        return 2e-5 * (1 + Math.abs(v));
    }

    @Test
    void autogradMatchesTheClosedFormRbm() {
        Rbm rbm = floatRbm(3);
        int chains = 13;
        try (NDManager manager = NDManager.newBaseManager()) {
            RbmBlock rb = RbmBlock.create();
            rb.load(manager, rbm);
            NeuralEnergy e = new NeuralEnergy(rb.block(), manager, V, 2);
            assertThat(e.dim()).isEqualTo(V);
            assertThat(e.numValues()).isEqualTo(2);
            int[] x = EnergyModelContractTest.randomStates(rbm, chains, 4);
            double[] want = new double[chains];
            float[] wantGrad = new float[chains * V * 2];
            rbm.logProbAndGradient(x, chains, want, wantGrad);
            double[] got = new double[chains];
            float[] gotGrad = new float[chains * V * 2];
            e.logProbAndGradient(x, chains, got, gotGrad);
            double[] plain = new double[chains];
            e.logProb(x, chains, plain);
            for (int c = 0; c < chains; c++) {
                assertThat(got[c]).isCloseTo(want[c], within(tol(want[c])));
                assertThat(plain[c]).isCloseTo(want[c], within(tol(want[c])));
            }
            for (int n = 0; n < wantGrad.length; n++) {
                assertThat((double) gotGrad[n]).as("gradient entry %d", n)
                        .isCloseTo(wantGrad[n], within(tol(wantGrad[n])));
            }
            // Batched neighbour evaluation (more neighbours than one forward pass holds: 13·10 < 1024, so use
            // many chains) and the neural cache against the closed form.
            int many = 150;
            int[] y = EnergyModelContractTest.randomStates(rbm, many, 5);
            double[] dw = new double[many * V * 2];
            double[] dg = new double[many * V * 2];
            rbm.deltas(y, many, dw);
            e.deltas(y, many, dg);
            for (int n = 0; n < dw.length; n++) {
                assertThat(dg[n]).as("delta %d", n).isCloseTo(dw[n], within(tol(10)));
            }
            SiteCache nc = e.cache(x, chains);
            int[] x2 = x.clone();
            SiteCache rc = rbm.cache(x2, chains);
            SplittableRandom r = new SplittableRandom(6);
            double[] a = new double[2];
            double[] b = new double[2];
            for (int s = 0; s < 200; s++) {
                int c = r.nextInt(chains);
                int i = r.nextInt(V);
                int v = r.nextInt(2);
                nc.siteDeltas(c, i, a);
                rc.siteDeltas(c, i, b);
                assertThat(a[1 - x[c * V + i]]).isCloseTo(b[1 - x[c * V + i]], within(tol(10)));
                assertThat(nc.delta(c, i, 1 - x[c * V + i])).isCloseTo(b[1 - x[c * V + i]], within(tol(10)));
                nc.set(c, i, v);
                rc.set(c, i, v);
            }
            assertThat(x).containsExactly(x2);
        }
    }

    /** K = 3: the block sees one-hot input (chains, D·K); a bias-free linear layer is a factorised categorical. */
    @Test
    void oneHotInputForCategoricalModels() {
        int d = 5;
        int k = 3;
        FactorizedCategorical fc = FactorizedCategorical.random(d, k, 1.0, 7);
        double[][] t = fc.logits();
        float[] w = new float[d * k];
        for (int i = 0; i < d; i++) {
            for (int v = 0; v < k; v++) {
                w[i * k + v] = (float) t[i][v];
                t[i][v] = w[i * k + v];
            }
        }
        FactorizedCategorical exact = FactorizedCategorical.of(t);
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear lin = Linear.builder().setUnits(1).optBias(false).build();
            lin.initialize(manager, DataType.FLOAT32, new Shape(1, d * k));
            lin.getParameters().get("weight").getArray().set(FloatBuffer.wrap(w));
            NeuralEnergy e = new NeuralEnergy(lin, manager, d, k);
            int chains = 4;
            int[] x = EnergyModelContractTest.randomStates(exact, chains, 8);
            double[] lp = new double[chains];
            float[] g = new float[chains * d * k];
            e.logProbAndGradient(x, chains, lp, g);
            double[] want = new double[chains];
            float[] wantGrad = new float[chains * d * k];
            exact.logProbAndGradient(x, chains, want, wantGrad);
            for (int c = 0; c < chains; c++) {
                assertThat(lp[c]).isCloseTo(want[c], within(tol(want[c])));
            }
            assertThat(g).containsExactly(wantGrad); // ∂/∂z_{ik} of Σ w_{ik} z_{ik} is w_{ik}, exactly
            double[] dg = new double[chains * d * k];
            double[] dw = new double[chains * d * k];
            e.deltas(x, chains, dg);
            exact.deltas(x, chains, dw);
            for (int n = 0; n < dw.length; n++) {
                assertThat(dg[n]).isCloseTo(dw[n], within(tol(10)));
            }
        }
    }

    @Test
    void refusesToRunInsideTheCallersGradientCollector() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RbmBlock rb = RbmBlock.create();
            rb.load(manager, floatRbm(1));
            NeuralEnergy e = new NeuralEnergy(rb.block(), manager, V, 2);
            int[] x = new int[V];
            try (GradientCollector outer = Engine.getInstance().newGradientCollector()) {
                assertThatThrownBy(() -> e.logProbAndGradient(x, 1, new double[1], new float[2 * V]))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("must not be called while the caller holds one");
            }
            // Once the caller's collector is closed it works again, and the parameters are trainable again.
            e.logProbAndGradient(x, 1, new double[1], new float[2 * V]);
            assertThat(rb.hiddenInput().getParameters().get("weight").getArray().hasGradient()).isTrue();
        }
    }

    /**
     * Gradients accumulate across collectors on PyTorch: a sampler's backward pass must not add into the parameter
     * gradients of a training loop that uses the same block.
     */
    @Test
    void leavesParameterGradientsUntouched() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RbmBlock rb = RbmBlock.create();
            rb.load(manager, floatRbm(2));
            NeuralEnergy e = new NeuralEnergy(rb.block(), manager, V, 2);
            NDArray w = rb.hiddenInput().getParameters().get("weight").getArray();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.mul(2f).sum());
            }
            float[] before = w.getGradient().toFloatArray();
            assertThat(before).containsOnly(2f);
            int[] x = EnergyModelContractTest.randomStates(e, 3, 1);
            for (int i = 0; i < 3; i++) {
                e.logProbAndGradient(x, 3, new double[3], new float[3 * V * 2]);
            }
            assertThat(w.getGradient().toFloatArray()).containsExactly(before);
            assertThat(w.hasGradient()).isTrue();
        }
    }

    /** 5,000 evaluations leave no array behind in the caller's manager. */
    @Test
    void memoryStaysFlat() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RbmBlock rb = RbmBlock.create();
            rb.load(manager, floatRbm(5));
            NeuralEnergy e = new NeuralEnergy(rb.block(), manager, V, 2);
            int chains = 8;
            int[] x = EnergyModelContractTest.randomStates(e, chains, 2);
            double[] lp = new double[chains];
            float[] g = new float[chains * V * 2];
            e.logProbAndGradient(x, chains, lp, g);
            int before = manager.getManagedArrays().size();
            SplittableRandom r = new SplittableRandom(3);
            for (int n = 0; n < 5_000; n++) {
                x[r.nextInt(x.length)] ^= 1;
                e.logProbAndGradient(x, chains, lp, g);
                if (n % 10 == 0) {
                    e.logProb(x, chains, lp);
                }
            }
            assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear uninitialised = Linear.builder().setUnits(1).build();
            assertThatThrownBy(() -> new NeuralEnergy(uninitialised, manager, 3, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialised");
            Linear two = Linear.builder().setUnits(2).build();
            two.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            assertThatThrownBy(() -> new NeuralEnergy(two, manager, 3, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numValues must be >= 2");
            assertThatThrownBy(() -> new NeuralEnergy(two, manager, 0, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dim must be >= 1");
            NeuralEnergy wrongOutput = new NeuralEnergy(two, manager, 3, 2);
            assertThatThrownBy(() -> wrongOutput.logProb(new int[6], 2, new double[2]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape (2) or (2, 1)");
            assertThatThrownBy(wrongOutput::parameters).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
