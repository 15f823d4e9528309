package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.BiFunction;
import org.discrete4j.autograd.GradMode;

/**
 * Test figures per row of a data set, in nats.
 *
 * @param nllBound the importance-sampled bound {@code −log (1/m) Σ_i p(x, z_i) / q(z_i | x)} with m draws z_i of q,
 *     which is ≥ −log p(x) in expectation and decreases towards it as m grows (Burda, Grosse and Salakhutdinov, ICLR
 *     2016, Theorem 1)
 * @param negativeElbo {@code −E_q[log p(x | z)] + KL(q ‖ p)}: the expected log-likelihood averaged over the same m
 *     draws, the KL term in closed form; the m = 1 bound in expectation
 * @param samples m
 */
public record Evaluation(double[] nllBound, double[] negativeElbo, int samples) {

    public double meanNllBound() {
        return mean(nllBound);
    }

    public double meanNegativeElbo() {
        return mean(negativeElbo);
    }

    /** {@code log p(x | z)} and the log importance weight of s draws per row of a block, each of shape (s, rows). */
    record Draws(NDArray logLikelihood, NDArray logWeight) {}

    /**
     * A block of rows under evaluation: the closed-form KL per row added to the negative ELBO (null where the bound has
     * none), and {@code draw(s, scope)}, which takes s draws per row and attaches them to {@code scope}.
     */
    record Block(double[] kl, BiFunction<Integer, NDManager, Draws> draw) {}

    /**
     * The Monte Carlo figures of {@code images} {@code (N, ...)} with {@code samples} draws per row, at most
     * {@code budget} (draw, row) pairs at once: blocks of rows, each given by {@code block(rows, scope)}, and chunks
     * of draws within a block, so that memory stays bounded at m = 1000. The callers check samples, budget >= 1.
     */
    static Evaluation importanceSampled(NDArray images, int samples, int budget,
            BiFunction<NDArray, NDManager, Block> block) {
        int n = Math.toIntExact(images.getShape().get(0));
        int chunk = Math.min(samples, budget);
        int rows = Math.max(1, budget / chunk);
        double[] bound = new double[n];
        double[] elbo = new double[n];
        try (GradMode off = GradMode.disabled()) {
            for (int from = 0; from < n; from += rows) {
                int to = Math.min(n, from + rows);
                try (NDManager scope = images.getManager().newSubManager()) {
                    NDArray part = images.get(from + ":" + to);
                    scope.tempAttachAll(part);
                    Block b = block.apply(part, scope);
                    LogMeanExp weights = new LogMeanExp(to - from);
                    double[] likelihood = new double[to - from];
                    for (int done = 0; done < samples; done += chunk) {
                        int s = Math.min(chunk, samples - done);
                        try (NDManager inner = scope.newSubManager()) {
                            Draws d = b.draw().apply(s, inner);
                            weights.add(d.logWeight().toFloatArray(), s);
                            float[] l = d.logLikelihood().sum(new int[] {0}).toFloatArray();
                            for (int r = 0; r < l.length; r++) {
                                likelihood[r] += l[r];
                            }
                        }
                    }
                    double[] lme = weights.value();
                    for (int r = 0; r < to - from; r++) {
                        bound[from + r] = -lme[r];
                        double e = -likelihood[r] / samples;
                        elbo[from + r] = b.kl() == null ? e : e + b.kl()[r];
                    }
                }
            }
        }
        return new Evaluation(bound, elbo, samples);
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }
}
