package org.discrete4j.model;

/**
 * e^x over whole arrays, written for HotSpot's auto-vectoriser: {@link Math#exp} is an intrinsic but one lane at a
 * time (about 4.5 ns an element here), while this loop of multiply-adds runs four or eight lanes at once (1.5 to 1.8 ns,
 * measured on 784- and 500-element rows). The samplers' hot exponentials (an RBM's 100 × 500 hidden units, the
 * 100 × 784 proposal weights of a dense Gibbs-with-Gradients reverse) go through it.
 *
 * <p>Method: e^x = (e^{x/2048})^{2048}, the inner exponential by its Taylor polynomial of degree 12 on
 * |x/2048| ≤ 0.346 (remainder below 2·10^−16), then eleven squarings. Relative error below 10^−12 for |x| ≤ 708;
 * outside, x is clamped to ±708 (e^−708 ≈ 3·10^−308, a weight nothing will draw), and NaN stays NaN. No bit tricks
 * (they stop the vectoriser on JDK 17).
 */
public final class FastExp {

    /** Largest |x| computed; beyond, the result saturates at e^{±LIMIT}. */
    public static final double LIMIT = 708;

    private FastExp() {}

    /** out[i] = e^{x[i] − shift} for i &lt; n (x and out may be the same array). */
    public static void exp(double[] x, double shift, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = reduced(Math.min(Math.max(x[i] - shift, -LIMIT), LIMIT));
        }
    }

    /** out[i] = e^{−|x[i]|} for i &lt; n, the factor of softplus and the sigmoid. */
    public static void expNegAbs(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = reduced(Math.max(-Math.abs(x[i]), -LIMIT));
        }
    }

    /** e^x for |x| ≤ 708 (NaN for NaN); inlined into the loops above, which it leaves vectorisable. */
    private static double reduced(double x) {
        double r = x * (1.0 / 2048);
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
                + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800
                + r * (1.0 / 39916800 + r * (1.0 / 479001600))))))))))));
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        return p;
    }
}
