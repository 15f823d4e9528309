package org.discrete4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Row-batch products s ↦ s·M with a fixed float32 matrix M (n × m), the one product an RBM's gradient
 * b + Wᵀσ(a) cannot avoid. Small batches run as plain Java loops; from {@value #ENGINE_MACS} multiply-adds on, the
 * product goes to the PyTorch engine's BLAS (with its intra-op threads, {@code -Dai.djl.pytorch.num_threads}), which
 * measured 2.5× faster than the best Java loop at 100 × 500 by 500 × 784 on one thread and 2× on two.
 *
 * <p>The Java loops are written for HotSpot's auto-vectoriser: every inner loop runs over whole row arrays from
 * index 0 (an offset into a flat array, {@code w[o + i]}, measured 5× slower on JDK 17: it is not vectorised).
 *
 * <p>The engine copy of M and the input buffer live as long as this object: their native memory is released by a
 * {@link Cleaner} when it becomes unreachable. Products on the engine path are serialised (they use all the engine's
 * threads anyway); the Java path is safe to call from several threads at once.
 */
public final class FloatProduct {

    /** Products of at least this many multiply-adds go to the engine: below, its call overhead (≈ 30 µs) dominates. */
    static final long ENGINE_MACS = 4_000_000L;

    private static final Cleaner CLEANER = Cleaner.create();

    private final int n;
    private final int m;
    private final float[][] rows; // M, n rows of m

    private Native engine; // created on the first large product

    /** The native side: M on the engine and a direct buffer for the input rows; closed by the cleaner. */
    private static final class Native implements Runnable {
        final NDManager manager = NDManager.newBaseManager();
        NDArray matrix;
        ByteBuffer input = ByteBuffer.allocateDirect(0);
        NDArray inputArray; // a tensor over {@code input}'s memory, for batches of inputRows rows
        int inputRows = -1;

        @Override
        public void run() {
            manager.close();
        }
    }

    /** M from its rows (copied to float32). */
    public FloatProduct(double[][] matrix) {
        this.n = matrix.length;
        this.m = matrix[0].length;
        this.rows = new float[n][m];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < m; c++) {
                rows[r][c] = (float) matrix[r][c];
            }
        }
    }

    /**
     * out[r] = s[r]·M for r &lt; count: s rows have n entries, out rows m. Large batches go to the engine unless
     * {@code javaOnly}.
     */
    public void multiply(float[][] s, int count, float[][] out, boolean javaOnly) {
        if (!javaOnly && (long) count * n * m >= ENGINE_MACS) {
            engineProduct(s, count, out);
            return;
        }
        int r = 0;
        for (; r + 1 < count; r += 2) {
            float[] o0 = out[r];
            float[] o1 = out[r + 1];
            java.util.Arrays.fill(o0, 0f);
            java.util.Arrays.fill(o1, 0f);
            float[] s0 = s[r];
            float[] s1 = s[r + 1];
            for (int j = 0; j < n; j++) {
                axpy2(o0, o1, s0[j], s1[j], rows[j]);
            }
        }
        if (r < count) {
            float[] o0 = out[r];
            java.util.Arrays.fill(o0, 0f);
            float[] s0 = s[r];
            for (int j = 0; j < n; j++) {
                axpy(o0, s0[j], rows[j]);
            }
        }
    }

    /** o0 += a·w and o1 += b·w: two rows share each load of w (measured 1.4× faster than one at a time). */
    private static void axpy2(float[] o0, float[] o1, float a, float b, float[] w) {
        for (int i = 0; i < w.length; i++) {
            float v = w[i];
            o0[i] += a * v;
            o1[i] += b * v;
        }
    }

    private static void axpy(float[] o, float a, float[] w) {
        for (int i = 0; i < w.length; i++) {
            o[i] += a * w[i];
        }
    }

    private synchronized void engineProduct(float[][] s, int count, float[][] out) {
        Native e = engine();
        int bytes = count * n * Float.BYTES;
        if (e.input.capacity() < bytes) {
            e.input = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            e.inputRows = -1;
        }
        if (e.inputRows != count) {
            // Made once per batch size: the tensor shares the buffer's memory, so each product only writes the rows
            // (creating it every call measured 50 to 80 µs of a 0.7 ms product).
            if (e.inputArray != null) {
                e.inputArray.close();
            }
            // exactly the batch's bytes: the engine refuses a buffer larger than the array
            ByteBuffer rows = e.input.slice(0, bytes).order(ByteOrder.nativeOrder());
            e.inputArray = e.manager.create(rows, new Shape(count, n), DataType.FLOAT32);
            e.inputRows = count;
        }
        FloatBuffer in = e.input.asFloatBuffer();
        for (int r = 0; r < count; r++) {
            in.put(r * n, s[r], 0, n);
        }
        // A tensor made from a direct buffer wraps it without a copy; the result is read through a view of its memory.
        try (NDArray p = e.inputArray.matMul(e.matrix)) {
            FloatBuffer result = p.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int r = 0; r < count; r++) {
                result.get(r * m, out[r], 0, m);
            }
        }
    }

    private Native engine() {
        if (engine == null) {
            Native e = new Native();
            float[] flat = new float[n * m];
            for (int r = 0; r < n; r++) {
                System.arraycopy(rows[r], 0, flat, r * m, m);
            }
            e.matrix = e.manager.create(flat, new Shape(n, m));
            engine = e;
            CLEANER.register(this, e);
        }
        return engine;
    }
}
