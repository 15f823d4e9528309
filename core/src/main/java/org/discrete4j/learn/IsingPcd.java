package org.discrete4j.learn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.IsingModel;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.Kernel;
import org.discrete4j.sampler.Samplers;
import org.discrete4j.train.Adam;
import org.discrete4j.train.Checkpoint;

/**
 * Learns every pairwise coupling of an Ising model from data by persistent contrastive divergence (Tieleman,
 * "Training restricted Boltzmann machines using approximations to the likelihood gradient", ICML 2008), the Ising
 * structure-learning experiment of Grathwohl et al., "Oops I Took A Gradient", ICML 2021 (§6, their pcd.py): the
 * couplings of all D(D−1)/2 pairs are free, the fields are held at known values, and the model's expectations
 * come from persistent chains advanced by the sampler under comparison.
 *
 * <p>For log p̃(x) = Σ_{i&lt;j} J_ij s_i s_j + Σ_i h_i s_i with s = 2x − 1 (the convention of {@link IsingModel}: each
 * pair once), the gradient of the mean log-likelihood of data {x⁽ⁿ⁾} is
 * ∂/∂J_ij = mean_n s_i⁽ⁿ⁾ s_j⁽ⁿ⁾ − E_p[s_i s_j], a closed form with no autograd: this class estimates the first term
 * on a minibatch and the second on the persistent chains after {@code steps} sampler steps, then takes one Adam
 * step (ascent). Grathwohl et al. write sᵀJs with a symmetric J, which counts each pair twice, so their J is half of
 * ours.
 *
 * <p>Randomness comes only from the generator passed to {@link #iterate}, so a caller that reseeds it and calls
 * {@link #resetSampler} at the start of each chunk of iterations, and checkpoints {@link #arrays}/{@link #values}
 * at chunk ends, resumes bit-identically.
 */
public final class IsingPcd implements AutoCloseable {

    /**
     * @param sampler the kernel's name in {@link Samplers}
     * @param chains persistent chains (the paper's buffer size)
     * @param batch data states per iteration, drawn without replacement
     * @param steps sampler steps per iteration
     * @param learningRate Adam's learning rate on J (twice the paper's, as their J is half of ours)
     * @param initStd initial couplings ~ N(0, initStd²)
     */
    public record Settings(String sampler, int chains, int batch, int steps, double learningRate, double initStd) {
        public Settings {
            Samplers.create(sampler); // names an existing kernel
            if (chains < 1 || batch < 1 || steps < 0) {
                throw new IllegalArgumentException("need chains >= 1, batch >= 1, steps >= 0; got " + chains + ", "
                        + batch + ", " + steps);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
            }
            if (!(initStd >= 0) || Double.isInfinite(initStd)) {
                throw new IllegalArgumentException("initial coupling std must be finite and >= 0, got " + initStd);
            }
        }
    }

    private final int dim;
    private final int pairs;
    private final double[] fields;
    private final int[] data;
    private final int n;
    private final Settings settings;
    private final NDManager manager;
    private final NDArray couplings; // float32 (pairs), the parameter
    private final Adam adam;
    private final int[] buffer;
    private final int[] batchStates;
    private final int[] order;
    private long iteration;
    private Kernel kernel; // kept across iterations: a systematic scan continues where it stopped

    /**
     * A learner for data {@code data} ({@code n × dim} values in {0, 1}) with fixed {@code fields}; the initial
     * couplings and chains (uniform states) are drawn from {@code seed}. Its arrays live in a sub-manager of
     * {@code parent}, closed by {@link #close}.
     */
    public IsingPcd(int[] data, int n, double[] fields, Settings settings, NDManager parent, long seed) {
        int d = fields.length;
        if (d < 2) {
            throw new IllegalArgumentException("need at least 2 sites, got " + d);
        }
        if (n < 1 || data.length != (long) n * d) {
            throw new IllegalArgumentException("data must hold n × dim = " + n + " × " + d + " values, got "
                    + data.length);
        }
        for (int v : data) {
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException("data must be binary, found " + v);
            }
        }
        if (settings.batch() > n) {
            throw new IllegalArgumentException("batch " + settings.batch() + " exceeds the " + n + " data states");
        }
        this.dim = d;
        this.pairs = pairs(d);
        this.fields = fields.clone();
        this.data = data.clone();
        this.n = n;
        this.settings = settings;
        this.manager = parent.newSubManager();
        SplittableRandom init = new SplittableRandom(seed);
        float[] j = new float[pairs];
        for (int p = 0; p < pairs; p++) {
            j[p] = (float) (settings.initStd() * init.nextGaussian());
        }
        this.couplings = manager.create(j, new Shape(pairs));
        couplings.setRequiresGradient(true);
        this.adam = new Adam(List.of(couplings), settings.learningRate());
        this.buffer = new int[settings.chains() * d];
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = init.nextInt(2);
        }
        this.batchStates = new int[settings.batch() * d];
        this.order = new int[n];
    }

    /** Number of pairs i &lt; j of D sites. */
    public static int pairs(int d) {
        return d * (d - 1) / 2;
    }

    /** Index of pair (i, j), i &lt; j, in the row-major upper triangle. */
    public static int pair(int i, int j, int d) {
        return i * d - i * (i + 1) / 2 + (j - i - 1);
    }

    /** mean over states of s_i s_j for every pair, rows {@code from..from+count} of the binary states x. */
    public static double[] pairMeans(int[] x, int from, int count, int d) {
        double[] m = new double[pairs(d)];
        int[] s = new int[d];
        for (int c = from; c < from + count; c++) {
            for (int i = 0; i < d; i++) {
                s[i] = 2 * x[c * d + i] - 1;
            }
            int p = 0;
            for (int i = 0; i < d; i++) {
                int si = s[i];
                for (int j = i + 1; j < d; j++) {
                    m[p++] += si * s[j];
                }
            }
        }
        for (int p = 0; p < m.length; p++) {
            m[p] /= count;
        }
        return m;
    }

    /** The Ising model with the given couplings (upper triangle) and fields. */
    public static IsingModel model(double[] couplings, double[] fields) {
        int d = fields.length;
        if (couplings.length != pairs(d)) {
            throw new IllegalArgumentException("need " + pairs(d) + " couplings for " + d + " sites, got "
                    + couplings.length);
        }
        double[][] m = new double[d][d];
        int p = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                m[i][j] = couplings[p];
                m[j][i] = couplings[p++];
            }
        }
        return IsingModel.of(m, fields);
    }

    /** Every pair's coupling of {@code model} (0 for uncoupled pairs), upper triangle. */
    public static double[] couplingsOf(IsingModel model) {
        int d = model.dim();
        double[] j = new double[pairs(d)];
        int[] start = model.starts();
        int[] neighbour = model.neighbours();
        double[] c = model.couplings();
        for (int i = 0; i < d; i++) {
            for (int e = start[i]; e < start[i + 1]; e++) {
                if (neighbour[e] > i) {
                    j[pair(i, neighbour[e], d)] += c[e];
                }
            }
        }
        return j;
    }

    /**
     * Root mean squared error over all D² entries of the symmetric coupling matrices (zero diagonal), as the
     * reference code reports it.
     */
    public static double rmse(double[] couplings, double[] truth, int d) {
        double s = 0;
        for (int p = 0; p < couplings.length; p++) {
            double e = couplings[p] - truth[p];
            s += e * e;
        }
        return Math.sqrt(2 * s / ((double) d * d));
    }

    /**
     * {@code count} independent states of {@code model}: as many chains from uniform states, each advanced
     * {@code steps} steps by the named kernel (for example Swendsen–Wang, or {@code gibbs-sweep} with steps a
     * multiple of D), their final states returned ({@code count × dim}).
     */
    public static int[] draw(EnergyModel model, String sampler, int count, int steps, long seed) {
        Kernel k = Samplers.create(sampler);
        if (!k.appliesTo(model)) {
            throw new IllegalArgumentException("sampler " + sampler + " does not apply to " + model);
        }
        ChainState state = ChainState.uniform(model, count, seed);
        k.setAdapting(false);
        k.init(state);
        for (int t = 0; t < steps; t++) {
            k.step(state);
        }
        return state.x().clone();
    }

    /**
     * One PCD iteration: {@code steps} sampler steps on the persistent chains under the current couplings, a
     * minibatch of data drawn without replacement, and one Adam ascent step on mean_batch s_i s_j − mean_chains s_i
     * s_j. Every random draw comes from {@code rng}.
     */
    public void iterate(SplittableRandom rng) {
        double[] j = couplings();
        ChainState state = new ChainState(model(j, fields), buffer, settings.chains(), rng.nextLong());
        if (kernel == null) {
            kernel = Samplers.create(settings.sampler());
            kernel.setAdapting(false);
        }
        kernel.init(state);
        for (int t = 0; t < settings.steps(); t++) {
            kernel.step(state);
        }
        System.arraycopy(state.x(), 0, buffer, 0, buffer.length);

        drawBatch(rng);
        double[] dataMeans = pairMeans(batchStates, 0, settings.batch(), dim);
        double[] modelMeans = pairMeans(buffer, 0, settings.chains(), dim);
        float[] ascent = new float[pairs];
        for (int p = 0; p < pairs; p++) {
            ascent[p] = (float) (dataMeans[p] - modelMeans[p]);
        }
        try (NDManager step = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // loss = −J·(data − model): its gradient is minus the log-likelihood gradient estimate, so Adam ascends.
            NDArray loss = step.create(ascent).mul(couplings).sum().neg();
            gc.backward(loss);
        }
        adam.step();
        iteration++;
    }

    /**
     * Starts the next iteration with a fresh kernel. Kernels keep state between iterations (the position of a
     * systematic scan), which no checkpoint holds; a caller that checkpoints resets the sampler at the start of every
     * chunk, and {@link #restore} does too, so a resumed run repeats the uninterrupted one exactly.
     */
    public void resetSampler() {
        kernel = null;
    }

    /** The first {@code batch} entries of a fresh random permutation of the data rows, copied to batchStates. */
    private void drawBatch(SplittableRandom rng) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int b = settings.batch();
        for (int i = 0; i < b; i++) {
            int r = i + rng.nextInt(n - i);
            int t = order[i];
            order[i] = order[r];
            order[r] = t;
            System.arraycopy(data, order[i] * dim, batchStates, i * dim, dim);
        }
    }

    /** The current couplings, upper triangle. */
    public double[] couplings() {
        float[] f = couplings.toFloatArray();
        double[] j = new double[f.length];
        for (int p = 0; p < f.length; p++) {
            j[p] = f[p];
        }
        return j;
    }

    /** The persistent chains ({@code chains × dim}), a copy. */
    public int[] chains() {
        return buffer.clone();
    }

    public long iteration() {
        return iteration;
    }

    public int dim() {
        return dim;
    }

    public Settings settings() {
        return settings;
    }

    /** The arrays a checkpoint needs (couplings and Adam's moments), named under {@code prefix}. */
    public Map<String, NDArray> arrays(String prefix) {
        Map<String, NDArray> a = new LinkedHashMap<>();
        a.put(prefix + ".couplings", couplings);
        a.putAll(adam.state(prefix + ".adam"));
        return a;
    }

    /** The values a checkpoint needs (iteration count and chains), named under {@code prefix}. */
    public Map<String, Object> values(String prefix) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(prefix + ".iteration", iteration);
        v.put(prefix + ".chains", buffer.clone());
        return v;
    }

    /** Restores what {@link #arrays} and {@link #values} saved. */
    public void restore(Checkpoint checkpoint, String prefix) {
        checkpoint.restore(prefix + ".couplings", couplings);
        adam.load(checkpoint, prefix + ".adam");
        int[] b = checkpoint.getInts(prefix + ".chains");
        if (b.length != buffer.length) {
            throw new IllegalArgumentException("checkpoint holds " + b.length + " chain values, expected "
                    + buffer.length);
        }
        System.arraycopy(b, 0, buffer, 0, b.length);
        iteration = checkpoint.getLong(prefix + ".iteration");
        resetSampler();
    }

    @Override
    public void close() {
        manager.close();
    }
}
