package org.discrete4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.discrete4j.model.FloatProduct;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The product behind an RBM's gradient b + Wᵀσ(a) for a batch of chains: σ(A)·W with σ(A) of 100 × 500 and W of
 * 500 × 784, float32. {@code engine}: {@link FloatProduct} through PyTorch's BLAS (copies in and out included);
 * {@code java}: its plain Java loops; {@code floor}: the bare DJL matMul of two arrays already on the engine, the
 * machine's floor that {@code d4j bench} reports.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
@State(Scope.Thread)
public class RbmGradientBenchmark {

    @Param({"engine", "java", "floor"})
    public String path;

    /** PyTorch intra-op threads (read when the engine starts, which is in this trial's fork). */
    @Param({"2"})
    public int threads;

    @Param({"100"})
    public int chains;

    @Param({"500"})
    public int hidden;

    @Param({"784"})
    public int visible;

    private FloatProduct product;
    private float[][] sigma;
    private float[][] out;
    private NDManager manager;
    private NDArray a;
    private NDArray w;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        SplittableRandom rng = new SplittableRandom(1);
        double[][] weights = new double[hidden][visible];
        for (double[] row : weights) {
            for (int i = 0; i < visible; i++) {
                row[i] = 0.2 * rng.nextGaussian();
            }
        }
        product = new FloatProduct(weights);
        sigma = new float[chains][hidden];
        for (float[] row : sigma) {
            for (int j = 0; j < hidden; j++) {
                row[j] = (float) rng.nextDouble();
            }
        }
        out = new float[chains][visible];
        manager = NDManager.newBaseManager();
        a = manager.randomUniform(0, 1, new Shape(chains, hidden));
        w = manager.randomNormal(new Shape(hidden, visible));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public float product() {
        switch (path) {
            case "engine" -> product.multiply(sigma, chains, out, false);
            case "java" -> product.multiply(sigma, chains, out, true);
            case "floor" -> {
                try (NDArray p = a.matMul(w)) {
                    return p.getFloat(0, 0);
                }
            }
            default -> throw new IllegalArgumentException("path must be engine, java or floor, got " + path);
        }
        return out[0][0];
    }
}
