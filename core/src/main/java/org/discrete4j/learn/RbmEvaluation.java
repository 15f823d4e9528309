package org.discrete4j.learn;

import org.discrete4j.data.ImageSet;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Rbm;

/**
 * The figures of an RBM's learning curve, on binary images held as {@code n × V} ints: reconstruction error,
 * pseudo-log-likelihood, and for H ≤ {@value Rbm#MAX_ENUMERATED_HIDDEN} the exact log-likelihood.
 */
public final class RbmEvaluation {

    private RbmEvaluation() {}

    /** The pixels of a binarised set (0 or 255) as 0/1 ints, image after image. */
    public static int[] binary(ImageSet set) {
        byte[] p = set.pixels();
        int[] x = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int g = p[i] & 0xff;
            if (g != 0 && g != 255) {
                throw new IllegalArgumentException("image set " + set.source() + " is not binarised (grey level " + g
                        + ")");
            }
            x[i] = g == 255 ? 1 : 0;
        }
        return x;
    }

    /**
     * Mean over the examples of Σ_i (x_i − r_i)², r = σ(b + Wᵀσ(c + Wx)) the mean-field reconstruction: a cheap
     * sign of learning that says little about the likelihood (Hinton's guide, §5).
     */
    public static double reconstructionError(Rbm rbm, int[] x, int n) {
        int v = rbm.visible();
        int h = rbm.hidden();
        double[][] w = rbm.weights();
        double[] b = rbm.visibleBias();
        double[] a = new double[h];
        double[] r = new double[v];
        double total = 0;
        for (int e = 0; e < n; e++) {
            rbm.hiddenInput(x, e * v, a, 0);
            System.arraycopy(b, 0, r, 0, v);
            for (int j = 0; j < h; j++) {
                double s = 1 / (1 + Math.exp(-a[j]));
                double[] row = w[j];
                for (int i = 0; i < v; i++) {
                    r[i] += s * row[i];
                }
            }
            for (int i = 0; i < v; i++) {
                double d = x[e * v + i] - 1 / (1 + Math.exp(-r[i]));
                total += d * d;
            }
        }
        return total / n;
    }

    /**
     * Mean over the examples of the pseudo-log-likelihood Σ_i log p(x_i | x_{−i}) (Besag 1975), exactly from the
     * model's single-site changes Δ_ik = log p̃(x with x_i = k) − log p̃(x):
     * log p(x_i | x_{−i}) = −log Σ_k e^{Δ_ik}.
     */
    public static double pseudoLogLikelihood(EnergyModel model, int[] x, int n) {
        int d = model.dim();
        int k = model.numValues();
        double[] deltas = new double[d * k];
        int[] one = new int[d];
        double total = 0;
        for (int e = 0; e < n; e++) {
            System.arraycopy(x, e * d, one, 0, d);
            model.deltas(one, 1, deltas);
            for (int i = 0; i < d; i++) {
                double max = 0;
                for (int v = 0; v < k; v++) {
                    max = Math.max(max, deltas[i * k + v]);
                }
                double s = 0;
                for (int v = 0; v < k; v++) {
                    s += Math.exp(deltas[i * k + v] - max);
                }
                total -= max + Math.log(s);
            }
        }
        return total / n;
    }
}
