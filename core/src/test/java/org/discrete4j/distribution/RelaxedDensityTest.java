package org.discrete4j.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.numbers.gamma.Gamma;
import org.junit.jupiter.api.Test;

/**
 * Relaxed densities against the closed forms of the papers, written out here in plain double arithmetic (products and
 * powers, not the log-sum-exp form of the library), and normalisation by quadrature.
 */
class RelaxedDensityTest {

    static final double[] LOGITS = {0.5, -1.2, 2.0, 0.1};
    static final double[][] POINTS = {{0.1, 0.2, 0.3, 0.4}, {0.7, 0.1, 0.1, 0.1}, {0.01, 0.02, 0.02, 0.95},
        {0.25, 0.25, 0.25, 0.25}, {1e-3, 0.5, 0.499, 0}};
    static final double[] TAUS = {0.3, 1.0, 2.5};

    /** Maddison et al. (appendix C): p(x) = (n−1)! λ^{n−1} Π_k [α_k e^{−λ x_k} / Σ_i α_i e^{−λ x_i}]. */
    static double expConcrete(double[] logits, double tau, double[] x) {
        int n = logits.length;
        double z = 0;
        for (int i = 0; i < n; i++) {
            z += Math.exp(logits[i]) * Math.exp(-tau * x[i]);
        }
        double p = Gamma.value(n) * Math.pow(tau, n - 1);
        for (int k = 0; k < n; k++) {
            p *= Math.exp(logits[k]) * Math.exp(-tau * x[k]) / z;
        }
        return p;
    }

    /** Jang et al. (appendix B): p(y) = Γ(k) τ^{k−1} (Σ_i π_i / y_i^τ)^{−k} Π_i (π_i / y_i^{τ+1}). */
    static double concrete(double[] logits, double tau, double[] y) {
        int k = logits.length;
        double[] pi = softmax(logits);
        double s = 0;
        double prod = 1;
        for (int i = 0; i < k; i++) {
            s += pi[i] / Math.pow(y[i], tau);
            prod *= pi[i] / Math.pow(y[i], tau + 1);
        }
        return Gamma.value(k) * Math.pow(tau, k - 1) * Math.pow(s, -k) * prod;
    }

    /** Maddison et al. Prop. 2(a): p(y) = λ α y^{−λ−1}(1−y)^{−λ−1} / (α y^{−λ} + (1−y)^{−λ})², α = e^logit. */
    static double binaryConcrete(double logit, double tau, double y) {
        double a = Math.exp(logit);
        double d = a * Math.pow(y, -tau) + Math.pow(1 - y, -tau);
        return tau * a * Math.pow(y, -tau - 1) * Math.pow(1 - y, -tau - 1) / (d * d);
    }

    static double[] softmax(double[] l) {
        double z = 0;
        double[] p = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            z += Math.exp(l[i]);
        }
        for (int i = 0; i < l.length; i++) {
            p[i] = Math.exp(l[i]) / z;
        }
        return p;
    }

    @Test
    void expConcreteLogDensityMatchesMaddisonsClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : TAUS) {
                ExpRelaxedOneHotCategorical d = ExpRelaxedOneHotCategorical.ofLogits(m.create(LOGITS), tau);
                ExpRelaxedOneHotCategorical d32 = ExpRelaxedOneHotCategorical.ofLogits(
                        m.create(LOGITS).toType(ai.djl.ndarray.types.DataType.FLOAT32, false), tau);
                for (double[] y : POINTS) {
                    if (min(y) == 0) {
                        continue;
                    }
                    double[] x = new double[y.length];
                    for (int i = 0; i < y.length; i++) {
                        x[i] = Math.log(y[i]);
                    }
                    double want = Math.log(expConcrete(LOGITS, tau, x));
                    assertThat(d.logProb(m.create(x)).getDouble()).isCloseTo(want, offset(1e-9 * (1 + Math.abs(want))));
                    assertThat((double) d32.logProb(m.create(x).toType(ai.djl.ndarray.types.DataType.FLOAT32, false))
                            .getFloat()).isCloseTo(want, offset(1e-4 * (1 + Math.abs(want))));
                    // The density is defined on the log-simplex: a shifted representative is the same point.
                    double[] shifted = x.clone();
                    for (int i = 0; i < x.length; i++) {
                        shifted[i] += 3.7;
                    }
                    assertThat(d.logProb(m.create(shifted)).getDouble()).isCloseTo(want,
                            offset(1e-9 * (1 + Math.abs(want))));
                }
            }
        }
    }

    @Test
    void concreteLogDensityMatchesJangsClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : TAUS) {
                RelaxedOneHotCategorical d = RelaxedOneHotCategorical.ofLogits(m.create(LOGITS), tau);
                for (double[] y : POINTS) {
                    if (min(y) == 0) {
                        continue;
                    }
                    double want = Math.log(concrete(LOGITS, tau, y));
                    assertThat(d.logProb(m.create(y)).getDouble()).isCloseTo(want, offset(1e-9 * (1 + Math.abs(want))));
                }
                // A batch of points at once gives the same values.
                double[] flat = new double[4 * 4];
                for (int j = 0; j < 4; j++) {
                    System.arraycopy(POINTS[j], 0, flat, 4 * j, 4);
                }
                double[] lp = d.logProb(m.create(flat, new Shape(4, 4))).toDoubleArray();
                for (int j = 0; j < 4; j++) {
                    assertThat(lp[j]).isCloseTo(Math.log(concrete(LOGITS, tau, POINTS[j])), offset(1e-8));
                }
            }
        }
    }

    @Test
    void concreteLogDensityIsFiniteAtUnderflowedCoordinates() {
        try (NDManager m = NDManager.newBaseManager()) {
            RelaxedOneHotCategorical d = RelaxedOneHotCategorical.ofLogits(m.create(LOGITS), 0.3);
            // POINTS[4] has an exact zero: clamped to the smallest normal number, the log density stays finite.
            assertThat(d.logProb(m.create(POINTS[4])).getDouble()).isFinite();
        }
    }

    @Test
    void binaryConcreteLogDensityMatchesClosedForm() {
        double[] logits = {-1.3, 0.0, 0.8, 2.5};
        double[] ys = {0.01, 0.3, 0.5, 0.9, 0.999};
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : new double[] {0.5, 1.0, 2.0}) {
                for (double l : logits) {
                    RelaxedBernoulli d = RelaxedBernoulli.ofLogits(m.create(l), tau);
                    LogitRelaxedBernoulli logit = d.logit();
                    for (double y : ys) {
                        double want = Math.log(binaryConcrete(l, tau, y));
                        assertThat(d.logProb(m.create(y)).getDouble()).isCloseTo(want, offset(1e-9 * (1 + Math.abs(want))));
                        // Change of variables: p_L(L) = p_Y(σ(L)) σ(L)(1 − σ(L)).
                        double lgt = Math.log(y / (1 - y));
                        assertThat(logit.logProb(m.create(lgt)).getDouble()).isCloseTo(
                                want + Math.log(y * (1 - y)), offset(1e-9 * (1 + Math.abs(want))));
                    }
                }
            }
        }
    }

    @Test
    void binaryConcreteDensityIntegratesToOne() {
        // ∫_0^1 p(y) dy = ∫ p(σ(u)) σ(u)σ(−u) du, trapezoid on u ∈ [−35, 35]: the substitution removes the
        // singularities at the ends, and the tails beyond |u| = 35 hold less than e^{−τ(35 − |l|)/1} ≈ 5e-8 at τ = 0.5.
        int n = 14001;
        double h = 70.0 / (n - 1);
        double[] u = new double[n];
        double[] y = new double[n];
        double[] jac = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = -35 + i * h;
            y[i] = 1 / (1 + Math.exp(-u[i]));
            jac[i] = y[i] / (1 + Math.exp(u[i]));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : new double[] {0.5, 1.0, 2.0}) {
                for (double l : new double[] {-1.4, 0.7}) {
                    double[] lp = RelaxedBernoulli.ofLogits(m.create(l), tau).logProb(m.create(y)).toDoubleArray();
                    assertThat(trapezoid(lp, jac, h)).as("tau %s logit %s", tau, l).isCloseTo(1.0, offset(1e-6));
                    // The two-class Concrete is the same law on (y, 1 − y): Jang's density integrates over y_1 alone.
                    double[] pair = new double[2 * n];
                    for (int i = 0; i < n; i++) {
                        pair[2 * i] = 1 / (1 + Math.exp(u[i]));
                        pair[2 * i + 1] = y[i];
                    }
                    double[] lp2 = RelaxedOneHotCategorical.ofLogits(m.create(new double[] {0, l}), tau)
                            .logProb(m.create(pair, new Shape(n, 2))).toDoubleArray();
                    assertThat(trapezoid(lp2, jac, h)).isCloseTo(1.0, offset(1e-6));
                }
            }
        }
    }

    @Test
    void threeClassConcreteDensityIntegratesToOneOverTheSimplex() {
        // y = softmax(0, u1, u2) maps R² onto the open simplex with Jacobian det ∂(y1, y2)/∂(u1, u2) = y0·y1·y2
        // (matrix determinant lemma); a midpoint grid of step 0.2 on [−25, 25]² (tails below 1e-6 at τ ≥ 0.7).
        double h = 0.2;
        int side = (int) Math.round(50 / h);
        double[] logits = {0.3, -0.8, 1.1};
        double[] pts = new double[side * side * 3];
        double[] jac = new double[side * side];
        for (int a = 0; a < side; a++) {
            for (int b = 0; b < side; b++) {
                double u1 = -25 + (a + 0.5) * h;
                double u2 = -25 + (b + 0.5) * h;
                double mx = Math.max(0, Math.max(u1, u2));
                double e0 = Math.exp(-mx);
                double e1 = Math.exp(u1 - mx);
                double e2 = Math.exp(u2 - mx);
                double z = e0 + e1 + e2;
                int j = a * side + b;
                pts[3 * j] = e0 / z;
                pts[3 * j + 1] = e1 / z;
                pts[3 * j + 2] = e2 / z;
                jac[j] = pts[3 * j] * pts[3 * j + 1] * pts[3 * j + 2];
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            for (double tau : new double[] {0.7, 1.5}) {
                double[] lp = RelaxedOneHotCategorical.ofLogits(m.create(logits), tau)
                        .logProb(m.create(pts, new Shape(side * side, 3))).toDoubleArray();
                double total = 0;
                for (int j = 0; j < lp.length; j++) {
                    total += Math.exp(lp[j]) * jac[j] * h * h;
                }
                assertThat(total).as("tau %s", tau).isCloseTo(1.0, offset(1e-5));
            }
        }
    }

    static double trapezoid(double[] logDensity, double[] jac, double h) {
        double s = 0;
        for (int i = 0; i < logDensity.length; i++) {
            double w = i == 0 || i == logDensity.length - 1 ? 0.5 : 1;
            s += w * Math.exp(logDensity[i]) * jac[i];
        }
        return s * h;
    }

    static double min(double[] a) {
        double v = Double.POSITIVE_INFINITY;
        for (double x : a) {
            v = Math.min(v, x);
        }
        return v;
    }
}
