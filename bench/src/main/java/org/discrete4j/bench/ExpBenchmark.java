package org.discrete4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.discrete4j.model.FastExp;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The exponentials of a dense Gibbs-with-Gradients reverse (one row of 784 proposal log-weights, shifted by their
 * maximum) and of an RBM's hidden units (e^{−|a|} over 500): {@link FastExp}'s vectorisable loops against one
 * {@link Math#exp} per element.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ExpBenchmark {

    @Param({"fast", "math"})
    public String path;

    @Param({"784"})
    public int n;

    private double[] x;
    private double[] out;
    private double shift;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(1);
        x = new double[n];
        out = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian() * 5;
            max = Math.max(max, x[i]);
        }
        shift = max;
    }

    @Benchmark
    public double[] shifted() {
        if (path.equals("fast")) {
            FastExp.exp(x, shift, out, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = Math.exp(x[i] - shift);
            }
        }
        return out;
    }

    @Benchmark
    public double[] negativeAbs() {
        if (path.equals("fast")) {
            FastExp.expNegAbs(x, out, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = Math.exp(-Math.abs(x[i]));
            }
        }
        return out;
    }
}
