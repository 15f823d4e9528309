package org.discrete4j.autograd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.discrete4j.model.ChainLanes;
import org.discrete4j.train.Adam;
import org.discrete4j.train.Checkpoint;

/**
 * Adam (Kingma and Ba, ICLR 2015, Algorithm 1), in the form PyTorch and {@code train.Adam} use (ε added to
 * {@code √v̂}), as one pass per parameter over its memory instead of a dozen engine calls: the parameter and its
 * gradient are read through direct views of the engine's tensors, the update runs in a plain Java loop (which the JIT
 * vectorises, square root included) with the moments held in Java arrays, and the new values are written back through
 * the same view. Only float32 parameters on the CPU.
 *
 * <p>Why: an Adam step through the engine's elementwise calls costs several times PyTorch's own Adam on CPUs where the
 * engine's bundled oneMKL takes its slow path (AMD processors: its vector math, which computes the square root, runs
 * tens of times slower there), and every call costs a native transition. Checkpoints use the names of
 * {@code train.Adam} ({@code prefix.m.i}, {@code prefix.v.i}, {@code prefix.steps}), so either can resume the other.
 */
public final class FusedAdam {

    private final List<NDArray> parameters;
    private final float[][] m;
    private final float[][] v;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double learningRate;
    private long steps;
    private final ChainLanes lanes = new ChainLanes(2, true);
    private final float[][] scratchParameter;
    private final float[][] scratchGradient;
    private final FloatBuffer[] parameterViews;
    private final FloatBuffer[] gradientViews;
    private final int[] nonFinite = new int[2]; // per lane: the first parameter with a non-finite gradient, or -1

    /** Adam with β = (0.9, 0.999), ε = 1e-8. */
    public FusedAdam(List<NDArray> parameters, double learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8);
    }

    public FusedAdam(List<NDArray> parameters, double learningRate, double beta1, double beta2, double epsilon) {
        Adam.checkSettings(parameters, learningRate, beta1, beta2, epsilon);
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        m = new float[this.parameters.size()][];
        v = new float[this.parameters.size()][];
        int largest = 0;
        for (int i = 0; i < m.length; i++) {
            NDArray p = this.parameters.get(i);
            if (!p.hasGradient()) {
                throw new IllegalArgumentException("parameter " + p.getName() + " " + p.getShape()
                        + " does not require a gradient");
            }
            if (p.getDataType() != DataType.FLOAT32 || !(p instanceof PtNDArray) || p.getDevice().isGpu()) {
                throw new IllegalArgumentException("FusedAdam needs float32 CPU arrays of the PyTorch engine, got "
                        + p.getDataType() + " on " + p.getDevice());
            }
            m[i] = new float[Math.toIntExact(p.size())];
            v[i] = new float[Math.toIntExact(p.size())];
            largest = Math.max(largest, m[i].length);
        }
        // A lane's half sits in its scratch at the same indices as in m and v: one index for every array keeps the
        // update loop vectorised (with an offset between them, measured three times slower).
        scratchParameter = new float[2][largest];
        scratchGradient = new float[2][largest];
        parameterViews = new FloatBuffer[m.length];
        gradientViews = new FloatBuffer[m.length];
    }

    public void setLearningRate(double learningRate) {
        Adam.checkLearningRate(learningRate);
        this.learningRate = learningRate;
    }

    public double learningRate() {
        return learningRate;
    }

    public long steps() {
        return steps;
    }

    /**
     * One update from the parameters' accumulated gradients, which are then reset to zero. The elements are cut
     * into two lanes ({@link ChainLanes}, one hand-off per step) that update at once on a second core: the pass is
     * bound by memory traffic, some 50 MB per step for the 1.2 M parameters of the categorical VAE.
     */
    public void step() {
        long t = steps + 1;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float stepSize = (float) (learningRate / (1 - Math.pow(beta1, t)));
        float inverseCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        float eps = (float) epsilon;
        int count = parameters.size();
        PtNDArray[] gradients = new PtNDArray[count];
        try {
            for (int i = 0; i < count; i++) {
                PtNDArray p = (PtNDArray) parameters.get(i);
                gradients[i] = (PtNDArray) p.getGradient();
                parameterViews[i] = view(p);
                gradientViews[i] = view(gradients[i]);
            }
            // Two passes, one hand-off each: every gradient is checked before anything is written, so a
            // non-finite one leaves the parameters and the moments as they were.
            lanes.run((lane, from, to) -> {
                int bad = -1;
                for (int i = 0; i < count && bad < 0; i++) {
                    bad = finite(lane, i) ? -1 : i;
                }
                nonFinite[lane] = bad;
            });
            for (int lane = 0; lane < lanes.lanes(); lane++) {
                if (nonFinite[lane] >= 0) {
                    NDArray p = parameters.get(nonFinite[lane]);
                    throw new IllegalStateException("non-finite gradient for parameter " + p.getName() + " "
                            + p.getShape() + " at step " + t + "; the parameters and Adam's moments are left as"
                            + " they were");
                }
            }
            lanes.run((lane, from, to) -> {
                for (int i = 0; i < count; i++) {
                    update(lane, i, b1, b2, stepSize, inverseCorrection2, eps);
                }
            });
        } finally {
            for (PtNDArray g : gradients) {
                if (g != null) {
                    g.close();
                }
            }
            Arrays.fill(parameterViews, null);
            Arrays.fill(gradientViews, null);
        }
        steps = t;
        for (NDArray p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    /** The first element of lane {@code lane}'s half of a parameter of n elements. */
    private static int start(int lane, int n) {
        return lane == 0 ? 0 : n / 2;
    }

    /** One past the last element of lane {@code lane}'s half. */
    private static int end(int lane, int n) {
        return lane == 0 ? n / 2 : n;
    }

    /** Whether lane {@code lane}'s half of parameter i's gradient is finite. */
    private boolean finite(int lane, int i) {
        int start = start(lane, m[i].length);
        int n = end(lane, m[i].length) - start;
        gradientViews[i].get(start, scratchGradient[lane], start, n);
        return finite(scratchGradient[lane], start, start + n);
    }

    /** Lane {@code lane}'s half of parameter i: read, update, write back. */
    private void update(int lane, int i, float b1, float b2, float stepSize, float inverseCorrection2, float eps) {
        int start = start(lane, m[i].length);
        int n = end(lane, m[i].length) - start;
        float[] sp = scratchParameter[lane];
        float[] sg = scratchGradient[lane];
        gradientViews[i].get(start, sg, start, n);
        parameterViews[i].get(start, sp, start, n);
        update(sp, sg, m[i], v[i], start, start + n, b1, b2, stepSize, inverseCorrection2, eps);
        parameterViews[i].put(start, sp, start, n);
    }

    /** The update of Algorithm 1 on elements [from, to), written so that the JIT vectorises it. */
    private static void update(float[] p, float[] g, float[] m, float[] v, int from, int to, float b1, float b2,
            float stepSize, float inverseCorrection2, float eps) {
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        for (int j = from; j < to; j++) {
            float gj = g[j];
            float mj = b1 * m[j] + c1 * gj;
            float vj = b2 * v[j] + c2 * (gj * gj);
            m[j] = mj;
            v[j] = vj;
            p[j] -= stepSize * mj / ((float) Math.sqrt(vj) * inverseCorrection2 + eps);
        }
    }

    private static boolean finite(float[] g, int from, int to) {
        // An exponent of all ones (inf or NaN) plus one exponent step carries into the sign bit; an integer OR over
        // the elements is one vectorised pass.
        int any = 0;
        for (int j = from; j < to; j++) {
            any |= (Float.floatToRawIntBits(g[j]) & 0x7f800000) + 0x00800000;
        }
        return any >= 0;
    }

    /** A direct view of a contiguous float32 CPU tensor's memory: reads and writes go to the tensor itself. */
    private static FloatBuffer view(PtNDArray a) {
        return JniUtils.getByteBuffer(a, true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The moments and step count under names starting with {@code prefix}, in the format of train.Adam. */
    public Map<String, NDArray> state(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDManager manager = parameters.get(0).getManager();
        for (int i = 0; i < parameters.size(); i++) {
            Shape s = parameters.get(i).getShape();
            out.put(prefix + ".m." + i, manager.create(m[i], s));
            out.put(prefix + ".v." + i, manager.create(v[i], s));
        }
        out.put(prefix + ".steps", manager.create(new long[] {steps}));
        return out;
    }

    /** Restores what {@link #state} (or train.Adam's) saved. */
    public void load(Checkpoint checkpoint, String prefix) {
        for (int i = 0; i < parameters.size(); i++) {
            read(checkpoint.array(prefix + ".m." + i), m[i], prefix + ".m." + i);
            read(checkpoint.array(prefix + ".v." + i), v[i], prefix + ".v." + i);
        }
        steps = checkpoint.array(prefix + ".steps").getLong();
    }

    private static void read(NDArray a, float[] target, String name) {
        if (a.size() != target.length) {
            throw new IllegalArgumentException("checkpoint array '" + name + "' has " + a.size() + " values, expected "
                    + target.length);
        }
        float[] values = a.toType(DataType.FLOAT32, false).toFloatArray();
        System.arraycopy(values, 0, target, 0, target.length);
    }
}
