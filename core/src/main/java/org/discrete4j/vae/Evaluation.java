package org.discrete4j.vae;

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

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }
}
