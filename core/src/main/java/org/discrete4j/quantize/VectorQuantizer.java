package org.discrete4j.quantize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.autograd.Scalars;
import org.discrete4j.distribution.Checks;
import org.discrete4j.train.Checkpoint;

/**
 * Vector quantisation with a straight-through gradient (van den Oord, Vinyals and Kavukcuoglu, "Neural Discrete
 * Representation Learning", NeurIPS 2017, §3.1–3.2 and eq. 3; EMA codebook from Appendix A.1).
 *
 * <p>Each encoder output z_e (the last axis, of size D) is replaced by its nearest codebook vector e_k,
 * k = argmin_j ‖z_e − e_j‖², and the gradient skips the quantisation: the output is {@code z_e + sg(z_q − z_e)},
 * equal to z_q in value and the identity in gradient. The codebook learns either
 * <ul>
 *   <li>by gradient, from the codebook loss ‖sg(z_e) − z_q‖² (the codebook is then a parameter for the caller's
 *       optimizer), or
 *   <li>by exponential moving averages, without autograd, in {@link #update}: with n_k the number of vectors
 *       assigned to code k, N_k ← γN_k + (1 − γ)n_k and m_k ← γm_k + (1 − γ)Σ_{i→k} z_e,i, then e_k = m_k / Ñ_k
 *       with the Laplace-smoothed counts Ñ_k = (N_k + ε) / (Σ_j N_j + Kε) · Σ_j N_j.
 * </ul>
 * In both cases the encoder is pulled towards its codes by the commitment loss β‖z_e − sg(z_q)‖² (β = 0.25). The
 * squared norms are averaged over vectors and dimensions (mean squared error, as DeepMind's Sonnet implementation
 * does), which only rescales β and the learning rate relative to a sum.
 *
 * <p>The EMA statistics start as if each code had been assigned its own initial vector once (N_k = 1, m_k = e_k),
 * so that codes keep their position until they are used. Dead codes: with {@code deadCodeLimit > 0}, a code that no
 * vector has used for that many consecutive {@link #update}s is moved to an encoder output of the current batch,
 * chosen uniformly from the engine's generator (and its EMA statistics restart as above).
 *
 * <p>This is a deterministic layer, not a {@code GradientEstimator} of ∇E[f] for a distribution: it has no
 * distribution to differentiate. Its state (codebook, EMA statistics) lives in the manager given to the builder.
 */
public final class VectorQuantizer {

    private final int size;
    private final int dimension;
    private final double commitmentCost;
    private final double decay;
    private final double epsilon;
    private final int deadCodeLimit;
    private final NDArray codebook;
    private final NDArray clusterSize;
    private final NDArray clusterSum;
    private final int[] unused;

    private VectorQuantizer(Builder b, NDManager manager) {
        size = b.size;
        dimension = b.dimension;
        commitmentCost = b.commitmentCost;
        decay = b.decay;
        epsilon = b.epsilon;
        deadCodeLimit = b.deadCodeLimit;
        DataType dtype = b.dtype;
        // Uniform(−1/K, 1/K), the initialisation of the paper's reference implementations.
        codebook = manager.randomUniform((float) (-1.0 / size), (float) (1.0 / size), new Shape(size, dimension),
                dtype);
        if (isEma()) {
            clusterSize = manager.ones(new Shape(size), dtype);
            clusterSum = codebook.duplicate();
        } else {
            clusterSize = null;
            clusterSum = null;
            codebook.setRequiresGradient(true);
        }
        unused = new int[size];
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The codebook, K × D. Without EMA it requires gradient: give it to the optimizer. */
    public NDArray codebook() {
        return codebook;
    }

    /** Whether the codebook follows exponential moving averages instead of its loss. */
    public boolean isEma() {
        return decay > 0;
    }

    /** The number of codes K. */
    public int size() {
        return size;
    }

    /** The dimension D of each code. */
    public int dimension() {
        return dimension;
    }

    /**
     * Quantises {@code encoded}, of shape {@code (...) + (D)}, reading but not changing the codebook.
     *
     * @throws IllegalArgumentException if the last axis is not D or the values are not finite floats
     */
    public Quantized quantize(NDArray encoded) {
        Checks.finiteFloat(encoded, "encoded");
        Shape shape = encoded.getShape();
        if (shape.dimension() < 1 || shape.get(shape.dimension() - 1) != dimension) {
            throw new IllegalArgumentException("encoded must end with the code dimension " + dimension + ", got shape "
                    + shape);
        }
        Shape lead = shape.slice(0, shape.dimension() - 1);
        int n = Math.toIntExact(lead.size());
        // Results attach to the manager of their first operand: whatever is computed from the codebook is moved to
        // the batch's manager at once, so that nothing accumulates in the quantizer's long-lived one.
        NDManager batch = encoded.getManager();
        NDArray flat = encoded.reshape(n, dimension);
        NDArray x = flat.stopGradient();
        NDArray e = local(codebook.stopGradient(), batch).toType(x.getDataType(), false);
        // ‖x − e‖² = ‖x‖² − 2 x·e + ‖e‖², an n × K matrix without an n × K × D intermediate.
        NDArray distances = x.square().sum(new int[] {1}, true).sub(x.matMul(e.transpose()).mul(2))
                .add(e.square().sum(new int[] {1}).expandDims(0));
        NDArray indices = distances.argMin(1);
        NDArray book = codebook.getDataType() == x.getDataType() ? codebook
                : local(codebook.toType(x.getDataType(), false), batch);
        NDArray rows = local(gatherRows(book, indices), batch);
        NDArray quantized = rows.reshape(shape);
        NDArray output = encoded.add(quantized.sub(encoded).stopGradient());
        NDArray codebookLoss = rows.sub(x).square().mean();
        // Scalars.mul keeps the loss's dtype (a float64 constant would promote the 0-dimensional float32 loss).
        NDArray commitmentLoss = Scalars.mul(flat.sub(rows.stopGradient()).square().mean(), commitmentCost);
        NDArray counts = indices.oneHot(size).toType(x.getDataType(), false).sum(new int[] {0});
        NDArray p = counts.div(n);
        NDArray plogp = NDArrays.where(p.gt(0), p.mul(p.log()), p.zerosLike());
        NDArray perplexity = plogp.sum().neg().exp();
        return new Quantized(output, quantized, indices.reshape(lead), codebookLoss, commitmentLoss,
                isEma() ? commitmentLoss : codebookLoss.add(commitmentLoss), perplexity, x, indices, counts);
    }

    /**
     * Updates the codebook's statistics from a batch, without autograd: the EMA step (if enabled) and the dead-code
     * count and restart (if enabled). Call it after the backward pass of the batch (it changes the codebook in
     * place, which the graph of {@code q}'s losses refers to), typically after the optimizer step.
     */
    public void update(Quantized q) {
        if (!isEma() && deadCodeLimit == 0) {
            return;
        }
        // NDScope closes the temporaries, some of which attach to the long-lived state's manager.
        try (GradMode off = GradMode.disabled(); NDScope scope = new NDScope()) {
            if (isEma()) {
                NDArray counts = q.counts.toType(clusterSize.getDataType(), false);
                NDArray x = q.inputs.toType(clusterSum.getDataType(), false);
                NDArray sums = q.flatIndices.oneHot(size).toType(x.getDataType(), false).transpose().matMul(x);
                clusterSize.muli(decay).addi(counts.mul(1 - decay));
                clusterSum.muli(decay).addi(sums.mul(1 - decay));
                NDArray total = clusterSize.sum();
                NDArray smoothed = clusterSize.add(epsilon).div(total.add((float) (size * epsilon))).mul(total);
                codebook.set(new NDIndex(":"), clusterSum.div(smoothed.expandDims(1)));
            }
            if (deadCodeLimit > 0) {
                restartDeadCodes(q);
            }
        }
    }

    /** How many consecutive updates code k has gone unused. */
    public int unusedFor(int k) {
        return unused[k];
    }

    /**
     * The codebook, the EMA statistics (if any) and the dead-code counters under names starting with
     * {@code prefix}, for a {@link Checkpoint}: with {@link #load} a resumed run continues exactly.
     */
    public Map<String, NDArray> state(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(prefix + ".codebook", codebook);
        if (isEma()) {
            out.put(prefix + ".clusterSize", clusterSize);
            out.put(prefix + ".clusterSum", clusterSum);
        }
        out.put(prefix + ".unused", codebook.getManager().create(unused));
        return out;
    }

    /** Restores what {@link #state} saved, in place. */
    public void load(Checkpoint checkpoint, String prefix) {
        try (GradMode off = GradMode.disabled()) {
            checkpoint.restore(prefix + ".codebook", codebook);
            if (isEma()) {
                checkpoint.restore(prefix + ".clusterSize", clusterSize);
                checkpoint.restore(prefix + ".clusterSum", clusterSum);
            }
        }
        int[] saved = checkpoint.array(prefix + ".unused").toIntArray();
        if (saved.length != size) {
            throw new IllegalArgumentException("checkpoint has " + saved.length + " dead-code counters for " + size
                    + " codes");
        }
        System.arraycopy(saved, 0, unused, 0, size);
    }

    private void restartDeadCodes(Quantized q) {
        float[] counts = q.counts.toType(DataType.FLOAT32, false).toFloatArray();
        boolean[] dead = new boolean[size];
        boolean any = false;
        for (int k = 0; k < size; k++) {
            unused[k] = counts[k] > 0 ? 0 : unused[k] + 1;
            if (unused[k] >= deadCodeLimit) {
                dead[k] = true;
                unused[k] = 0;
                any = true;
            }
        }
        if (!any) {
            return;
        }
        NDManager manager = q.inputs.getManager();
        long n = q.inputs.getShape().get(0);
        NDArray choice = manager.randomInteger(0, n, new Shape(size), DataType.INT64);
        NDArray replacement = gatherRows(q.inputs, choice).toType(codebook.getDataType(), false);
        NDArray deadCodes = manager.create(dead);
        NDArray mask = deadCodes.expandDims(1).broadcast(codebook.getShape());
        codebook.set(new NDIndex(":"), NDArrays.where(mask, replacement, codebook));
        if (isEma()) {
            clusterSum.set(new NDIndex(":"), NDArrays.where(mask, replacement, clusterSum));
            clusterSize.set(new NDIndex(":"), NDArrays.where(deadCodes, clusterSize.onesLike(), clusterSize));
        }
    }

    private static NDArray local(NDArray a, NDManager manager) {
        a.attach(manager);
        return a;
    }

    /** rows[i] = a[index[i]] for a 2-D array, differentiable in a. */
    private static NDArray gatherRows(NDArray a, NDArray index) {
        long width = a.getShape().get(1);
        NDManager manager = index.getManager();
        NDArray linear = index.toType(DataType.INT64, false).expandDims(1).mul(width)
                .add(manager.arange(0, width, 1, DataType.INT64).expandDims(0));
        return a.take(linear);
    }

    /** The result of {@link #quantize}. */
    public static final class Quantized {

        private final NDArray output;
        private final NDArray quantized;
        private final NDArray indices;
        private final NDArray codebookLoss;
        private final NDArray commitmentLoss;
        private final NDArray loss;
        private final NDArray perplexity;
        final NDArray inputs;
        final NDArray flatIndices;
        final NDArray counts;

        Quantized(NDArray output, NDArray quantized, NDArray indices, NDArray codebookLoss, NDArray commitmentLoss,
                NDArray loss, NDArray perplexity, NDArray inputs, NDArray flatIndices, NDArray counts) {
            this.output = output;
            this.quantized = quantized;
            this.indices = indices;
            this.codebookLoss = codebookLoss;
            this.commitmentLoss = commitmentLoss;
            this.loss = loss;
            this.perplexity = perplexity;
            this.inputs = inputs;
            this.flatIndices = flatIndices;
            this.counts = counts;
        }

        /** z_e + sg(z_q − z_e): the nearest codes in value, the encoder's output in gradient. */
        public NDArray output() {
            return output;
        }

        /** z_q, the nearest codes, differentiable in the codebook only. */
        public NDArray quantized() {
            return quantized;
        }

        /** The chosen code of each vector, int64, shape {@code (...)}. */
        public NDArray indices() {
            return indices;
        }

        /** mean ‖sg(z_e) − z_q‖²: moves only the codebook. */
        public NDArray codebookLoss() {
            return codebookLoss;
        }

        /** β · mean ‖z_e − sg(z_q)‖²: moves only the encoder. */
        public NDArray commitmentLoss() {
            return commitmentLoss;
        }

        /** The loss to add to the model's: codebook + commitment, or commitment alone with EMA. */
        public NDArray loss() {
            return loss;
        }

        /** exp(−Σ_k p_k log p_k) of the batch's code frequencies p: K when every code is used equally, 1 for one. */
        public NDArray perplexity() {
            return perplexity;
        }
    }

    /** Settings: {@code set*} are required, {@code opt*} optional. */
    public static final class Builder {

        private int size;
        private int dimension;
        private double commitmentCost = 0.25;
        private double decay;
        private double epsilon = 1e-5;
        private int deadCodeLimit;
        private DataType dtype = DataType.FLOAT32;

        private Builder() {}

        /** The number of codes K. */
        public Builder setSize(int k) {
            this.size = k;
            return this;
        }

        /** The dimension D of each code (the last axis of the encoder's output). */
        public Builder setDimension(int d) {
            this.dimension = d;
            return this;
        }

        /** β, the weight of the commitment loss (0.25; the paper found 0.1–2.0 robust). */
        public Builder optCommitmentCost(double beta) {
            this.commitmentCost = beta;
            return this;
        }

        /** Learns the codebook by exponential moving averages with decay γ (0.99 in the paper) and ε = 1e-5. */
        public Builder optExponentialMovingAverage(double decay) {
            return optExponentialMovingAverage(decay, 1e-5);
        }

        /** Learns the codebook by exponential moving averages with decay γ and Laplace smoothing ε. */
        public Builder optExponentialMovingAverage(double decay, double epsilon) {
            this.decay = decay;
            this.epsilon = epsilon;
            return this;
        }

        /** Restarts codes unused for this many consecutive updates (0, the default: never). */
        public Builder optDeadCodeLimit(int updates) {
            this.deadCodeLimit = updates;
            return this;
        }

        /** The codebook's dtype (float32). */
        public Builder optDataType(DataType dtype) {
            this.dtype = dtype;
            return this;
        }

        /**
         * A quantizer whose codebook is drawn from the engine's generator and attached to {@code manager}.
         *
         * @throws IllegalArgumentException for a non-positive size or dimension, β < 0, γ outside [0, 1), ε ≤ 0,
         *     a negative dead-code limit or a non-float dtype
         */
        public VectorQuantizer build(NDManager manager) {
            if (size < 1 || dimension < 1) {
                throw new IllegalArgumentException("codebook size and dimension must be >= 1, got " + size + " × "
                        + dimension);
            }
            if (!(commitmentCost >= 0) || Double.isInfinite(commitmentCost)) {
                throw new IllegalArgumentException("commitment cost must be finite and >= 0, got " + commitmentCost);
            }
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("EMA decay must lie in (0, 1), got " + decay);
            }
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new IllegalArgumentException("EMA epsilon must be finite and > 0, got " + epsilon);
            }
            if (deadCodeLimit < 0) {
                throw new IllegalArgumentException("dead-code limit must be >= 0, got " + deadCodeLimit);
            }
            if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT64) {
                throw new IllegalArgumentException("codebook dtype must be float32 or float64, got " + dtype);
            }
            return new VectorQuantizer(this, manager);
        }
    }
}
