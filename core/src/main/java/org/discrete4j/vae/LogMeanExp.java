package org.discrete4j.vae;

/**
 * A running {@code log (1/m) Σ_i exp(w_i)} per row over chunks of samples, in double precision: importance-sampled
 * bounds with m = 1000 samples are computed a chunk at a time so that memory stays bounded.
 */
final class LogMeanExp {

    private final double[] max;
    private final double[] sum;
    private long count;

    LogMeanExp(int rows) {
        max = new double[rows];
        sum = new double[rows];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    /** Adds a chunk of log-weights, {@code logw[s * rows + r]} for sample s of row r (row-major (s, rows)). */
    void add(float[] logw, int samples) {
        int rows = max.length;
        if (logw.length != samples * rows) {
            throw new IllegalArgumentException("expected " + samples + " x " + rows + " log-weights, got "
                    + logw.length);
        }
        for (int r = 0; r < rows; r++) {
            double m = max[r];
            for (int s = 0; s < samples; s++) {
                m = Math.max(m, logw[s * rows + r]);
            }
            if (m == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double acc = max[r] == Double.NEGATIVE_INFINITY ? 0 : sum[r] * Math.exp(max[r] - m);
            for (int s = 0; s < samples; s++) {
                acc += Math.exp(logw[s * rows + r] - m);
            }
            max[r] = m;
            sum[r] = acc;
        }
        count += samples;
    }

    /** {@code log (1/m) Σ exp(w_i)} per row over every sample added. */
    double[] value() {
        double[] out = new double[max.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = max[r] + Math.log(sum[r]) - Math.log(count);
        }
        return out;
    }
}
