package org.discrete4j.estimator;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.LongConsumer;

/**
 * Draws many independent gradient estimates on a {@link Problem} and summarises them against the exact gradient:
 * mean, standard error and variance per coordinate of θ.
 *
 * <p>Estimates are computed {@code rowsPerCall} at a time (the problem's parameters repeated over a row
 * dimension), after {@code warmupCalls} calls that let stateful estimators (moving-average baselines, learned
 * control variates) adapt.
 */
public final class Comparison {

    private Comparison() {}

    /** Summary of one estimator on one problem. */
    public record Result(String problem, String estimator, boolean unbiased, int samples, double[] exact,
            double[] mean, double[] stderr, double[] variance, double seconds) {

        /**
         * Largest |mean − exact| in units of the standard error; the error is floored at float32 resolution of the
         * gradient so that deterministic estimators do not divide by zero.
         */
        public double maxZ() {
            double scale = 0;
            for (double g : exact) {
                scale = Math.max(scale, Math.abs(g));
            }
            double z = 0;
            for (int i = 0; i < exact.length; i++) {
                double se = Math.max(stderr[i], 1e-6 * scale + 1e-12);
                z = Math.max(z, Math.abs(mean[i] - exact[i]) / se);
            }
            return z;
        }
    }

    /**
     * Runs {@code samples} estimates of the gradient. The engine's generator is seeded with {@code seed} first, so
     * every estimator sees a reproducible stream.
     */
    public static Result run(Problem problem, GradientEstimator estimator, int samples, int rowsPerCall,
            int warmupCalls, long seed, LongConsumer progress) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        Engine.getInstance().setRandomSeed((int) seed);
        int d = problem.theta().length;
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        float[] row = new float[d];
        for (int i = 0; i < d; i++) {
            row[i] = (float) problem.theta()[i];
        }
        long start = System.nanoTime();
        int done = 0;
        int call = 0;
        try (NDManager base = NDManager.newBaseManager()) {
            while (done < samples) {
                boolean warm = call >= warmupCalls;
                int rows = warm ? Math.min(rowsPerCall, samples - done) : rowsPerCall;
                try (NDManager m = base.newSubManager()) {
                    float[] data = new float[rows * d];
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(row, 0, data, r * d, d);
                    }
                    NDArray logits = m.create(data, new Shape(rows, d));
                    logits.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        Estimate e = estimator.estimate(problem.distribution().apply(logits), problem.cost());
                        gc.backward(e.surrogate());
                    }
                    if (warm) {
                        double[] g = logits.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                        for (int r = 0; r < rows; r++) {
                            for (int i = 0; i < d; i++) {
                                double v = g[r * d + i];
                                sum[i] += v;
                                sumSq[i] += v * v;
                            }
                        }
                        done += rows;
                        if (progress != null) {
                            progress.accept(rows);
                        }
                    }
                }
                call++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] mean = new double[d];
        double[] var = new double[d];
        double[] se = new double[d];
        for (int i = 0; i < d; i++) {
            mean[i] = sum[i] / samples;
            var[i] = samples > 1 ? Math.max(0, (sumSq[i] - samples * mean[i] * mean[i]) / (samples - 1)) : 0;
            se[i] = Math.sqrt(var[i] / samples);
        }
        return new Result(problem.name(), estimator.name(), estimator.unbiased(), samples, problem.exact().clone(),
                mean, se, var, seconds);
    }
}
