package org.discrete4j.model;

/** Exact probabilities of a small model by listing all K^D states: the ground truth samplers are tested against. */
public final class Enumeration {

    private static final int MAX_STATES = 1 << 22;

    private final int dim;
    private final int k;
    private final double[] probs;
    private final double logZ;

    private Enumeration(int dim, int k, double[] probs, double logZ) {
        this.dim = dim;
        this.k = k;
        this.probs = probs;
        this.logZ = logZ;
    }

    /** Enumerates the model (at most 2^22 states). */
    public static Enumeration of(EnergyModel model) {
        int d = model.dim();
        int k = model.numValues();
        double n = Math.pow(k, d);
        if (n > MAX_STATES) {
            throw new IllegalArgumentException(String.format("%d^%d = %.3g states: too many to enumerate", k, d, n));
        }
        int states = (int) n;
        double[] logp = new double[states];
        int batch = Math.max(1, Math.min(states, 4096));
        int[] x = new int[batch * d];
        double[] out = new double[batch];
        for (int start = 0; start < states; start += batch) {
            int m = Math.min(batch, states - start);
            for (int j = 0; j < m; j++) {
                decode(start + j, d, k, x, j * d);
            }
            model.logProb(x, m, out);
            System.arraycopy(out, 0, logp, start, m);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logp) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logp) {
            sum += Math.exp(v - max);
        }
        double logZ = max + Math.log(sum);
        double[] p = new double[states];
        for (int s = 0; s < states; s++) {
            p[s] = Math.exp(logp[s] - logZ);
        }
        return new Enumeration(d, k, p, logZ);
    }

    /** Writes the digits of state index s (site 0 most significant) into x[offset..offset+d). */
    public static void decode(int s, int d, int k, int[] x, int offset) {
        for (int i = d - 1; i >= 0; i--) {
            x[offset + i] = s % k;
            s /= k;
        }
    }

    /** Index of the state x[offset..offset+d). */
    public static int encode(int[] x, int offset, int d, int k) {
        int s = 0;
        for (int i = 0; i < d; i++) {
            s = s * k + x[offset + i];
        }
        return s;
    }

    /** Probability of every state, by index. */
    public double[] probabilities() {
        return probs.clone();
    }

    public double logZ() {
        return logZ;
    }

    public int dim() {
        return dim;
    }

    public int numValues() {
        return k;
    }
}
