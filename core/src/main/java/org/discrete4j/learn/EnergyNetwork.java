package org.discrete4j.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.List;
import java.util.Locale;
import org.discrete4j.model.NeuralEnergy;
import org.discrete4j.train.Parameters;

/**
 * The deep energy-based model of Grathwohl et al., "Oops I Took A Gradient" (ICML 2021, §6 and appendix) on binary
 * images: log p̃(x) = net(x) + log π₀(x), where π₀ is the Bernoulli of the training data's pixel means (squeezed into
 * [ε, 1 − ε], ε = 0.01, as their code does) and net is a DJL block. Putting π₀ inside the energy lets the network
 * learn only the correction to independent pixels, and makes the same π₀ a good base for annealed importance
 * sampling, whose path p̃^β π₀^{1−β} = e^{β·net} π₀ then only tempers the network.
 *
 * <p>Two networks, both with Swish (x·σ(x)) non-linearities:
 * <ul>
 *   <li>{@code mlp}: D → W → W → W → 1, fully connected (their {@code mlp-W}, W = 256 by default);
 *   <li>{@code resnet}: a 3×3 convolution to W channels, two residual blocks of stride 2, six of stride 1, mean over
 *       positions, then linear to 1 (their {@code resnet-W}, W = 64), each block swish(conv(swish(conv(x))) + s(x))
 *       with s a 1×1 convolution where the shape changes and the identity elsewhere.
 * </ul>
 * The π₀ term is a linear layer with weight logit π₀ and bias Σ log(1 − π₀), frozen: only {@link #trainable} is
 * learnt.
 */
public final class EnergyNetwork {

    /** The network kinds by command-line name. */
    public static final List<String> KINDS = List.of("mlp", "resnet");

    /** How far the data-mean base is kept from 0 and 1. */
    public static final double BASE_EPSILON = 0.01;

    private final String kind;
    private final int rows;
    private final int cols;
    private final int width;
    private final double[] baseMean;
    private final Block net;
    private final Linear base;
    private final Block block;

    /**
     * Builds and initialises (with the engine's generator) the energy in {@code manager}.
     *
     * @param kind {@code mlp} or {@code resnet}
     * @param rows image rows
     * @param cols image columns (D = rows·cols)
     * @param width hidden units (mlp) or channels (resnet)
     * @param baseMean π₀(x_i = 1) per pixel, each in (0, 1)
     */
    public EnergyNetwork(String kind, int rows, int cols, int width, double[] baseMean, NDManager manager) {
        this.kind = kind.toLowerCase(Locale.ROOT);
        if (!KINDS.contains(this.kind)) {
            throw new IllegalArgumentException("unknown energy network '" + kind + "' (" + String.join(", ", KINDS)
                    + ")");
        }
        if (rows < 1 || cols < 1 || width < 1) {
            throw new IllegalArgumentException("rows, cols and width must be >= 1, got " + rows + ", " + cols + ", "
                    + width);
        }
        if (baseMean.length != rows * cols) {
            throw new IllegalArgumentException("base mean has " + baseMean.length + " pixels, images have " + rows
                    + " × " + cols);
        }
        for (double p : baseMean) {
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("base mean must be in (0, 1), got " + p);
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.width = width;
        this.baseMean = baseMean.clone();
        this.net = this.kind.equals("mlp") ? mlp(width) : resnet(rows, cols, width);
        this.base = Linear.builder().setUnits(1).build();
        this.block = new ParallelBlock(EnergyNetwork::sum, List.of(net, base));
        block.initialize(manager, DataType.FLOAT32, new Shape(1, dim()));
        setBase();
        base.freezeParameters(true);
    }

    /** The same architecture and base, with freshly initialised weights, in {@code manager}. */
    public EnergyNetwork sameShape(NDManager manager) {
        return new EnergyNetwork(kind, rows, cols, width, baseMean, manager);
    }

    /** The base mean squeezed as the paper's code does: m·(1 − 2ε) + ε. */
    public static double[] squeeze(double[] mean) {
        double[] out = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            out[i] = mean[i] * (1 - 2 * BASE_EPSILON) + BASE_EPSILON;
        }
        return out;
    }

    private void setBase() {
        float[] w = new float[baseMean.length];
        double b = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (Math.log(baseMean[i]) - Math.log1p(-baseMean[i]));
            b += Math.log1p(-baseMean[i]);
        }
        NDArray weight = base.getParameters().get("weight").getArray();
        NDArray bias = base.getParameters().get("bias").getArray();
        try (NDArray wv = weight.getManager().create(w, weight.getShape());
                NDArray bv = bias.getManager().create(new float[] {(float) b}, bias.getShape())) {
            Parameters.copyInto(weight, wv);
            Parameters.copyInto(bias, bv);
        }
    }

    private static NDList sum(List<NDList> branches) {
        return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
    }

    /**
     * swish(x) = x·σ(x). Not DJL's {@code Activation.swish(x, 1f)}: it multiplies by the Java number β, which the
     * PyTorch engine turns into a tensor over a Java buffer that it closes after the product while autograd keeps
     * it for the backward pass; once the collector has freed that buffer, the gradient reads garbage (found as
     * intermittent NaN in EBM training and its AIS; {@code bench/.../NeuralEnergyGcCheck} reproduces it).
     */
    static Block swish() {
        return new LambdaBlock(l -> {
            NDArray x = l.singletonOrThrow();
            return new NDList(x.mul(x.getNDArrayInternal().sigmoid()));
        }, "swish");
    }

    static Block mlp(int width) {
        SequentialBlock s = new SequentialBlock();
        for (int i = 0; i < 3; i++) {
            s.add(Linear.builder().setUnits(width).build()).add(swish());
        }
        return s.add(Linear.builder().setUnits(1).build());
    }

    static Block resnet(int rows, int cols, int channels) {
        SequentialBlock s = new SequentialBlock();
        s.add(new LambdaBlock(l -> new NDList(l.singletonOrThrow().reshape(-1, 1, rows, cols)), "image"));
        s.add(conv(channels, 3, 1));
        s.add(residual(channels, 2, true)).add(residual(channels, 2, true));
        for (int i = 0; i < 6; i++) {
            s.add(residual(channels, 1, false));
        }
        s.add(new LambdaBlock(l -> {
            NDArray x = l.singletonOrThrow();
            return new NDList(x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2}));
        }, "mean-pool"));
        return s.add(Linear.builder().setUnits(1).build());
    }

    private static Conv2d conv(int channels, int kernel, int stride) {
        return Conv2d.builder().setFilters(channels).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).build();
    }

    private static Block residual(int channels, int stride, boolean project) {
        Block path = new SequentialBlock().add(conv(channels, 3, stride)).add(swish()).add(conv(channels, 3, 1));
        Block shortcut = project ? conv(channels, 1, stride) : new LambdaBlock(l -> l, "identity");
        return new SequentialBlock().add(new ParallelBlock(EnergyNetwork::sum, List.of(path, shortcut))).add(swish());
    }

    public String kind() {
        return kind;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int width() {
        return width;
    }

    public int dim() {
        return rows * cols;
    }

    public double[] baseMean() {
        return baseMean.clone();
    }

    /** The whole energy log p̃ = net + log π₀: input (n, D) of 0/1 floats, output (n, 1). */
    public Block block() {
        return block;
    }

    /** The network's parameter arrays, in a fixed order: what training and the EMA update. */
    public List<NDArray> trainable() {
        return Parameters.of(net);
    }

    /** The energy as a model the samplers run on, its evaluations in sub-managers of {@code manager}. */
    public NeuralEnergy model(NDManager manager) {
        return new NeuralEnergy(block, manager, dim(), 2);
    }

    /** Copies another network's trainable weights into this one (same architecture). */
    public void copyFrom(EnergyNetwork other) {
        List<NDArray> to = trainable();
        List<NDArray> from = other.trainable();
        if (to.size() != from.size()) {
            throw new IllegalArgumentException("networks differ in architecture");
        }
        for (int i = 0; i < to.size(); i++) {
            Parameters.copyInto(to.get(i), from.get(i));
        }
    }

    @Override
    public String toString() {
        return kind + "-" + width + " on " + rows + "×" + cols;
    }
}
