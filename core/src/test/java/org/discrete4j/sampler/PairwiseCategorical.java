package org.discrete4j.sampler;

import java.util.Random;
import org.discrete4j.model.EnergyModel;

/**
 * A random fully connected pairwise model over K values per site for testing categorical kernels:
 * log p̃(x) = Σ_i b_i[x_i] + Σ_{i<j} W_ij[x_i][x_j]. Its one-hot gradient is that of the multilinear extension,
 * g_{iv} = b_i[v] + Σ_{j≠i} W_ij[v][x_j], in closed form (no autograd).
 */
final class PairwiseCategorical implements EnergyModel {

    private final int dim;
    private final int k;
    private final double[][] b;
    private final double[][][][] w; // w[i][j][u][v] for all i ≠ j, w[j][i][v][u] = w[i][j][u][v]

    PairwiseCategorical(int dim, int k, double scale, long seed) {
        this.dim = dim;
        this.k = k;
        Random r = new Random(seed);
        b = new double[dim][k];
        w = new double[dim][dim][k][k];
        for (int i = 0; i < dim; i++) {
            for (int v = 0; v < k; v++) {
                b[i][v] = scale * r.nextGaussian();
            }
            for (int j = i + 1; j < dim; j++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        w[i][j][u][v] = scale * r.nextGaussian();
                        w[j][i][v][u] = w[i][j][u][v];
                    }
                }
            }
        }
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int numValues() {
        return k;
    }

    @Override
    public void logProb(int[] x, int chains, double[] out) {
        for (int c = 0; c < chains; c++) {
            int o = c * dim;
            double s = 0;
            for (int i = 0; i < dim; i++) {
                s += b[i][x[o + i]];
                for (int j = i + 1; j < dim; j++) {
                    s += w[i][j][x[o + i]][x[o + j]];
                }
            }
            out[c] = s;
        }
    }

    @Override
    public void logProbAndGradient(int[] x, int chains, double[] logProb, float[] grad) {
        logProb(x, chains, logProb);
        for (int c = 0; c < chains; c++) {
            int o = c * dim;
            for (int i = 0; i < dim; i++) {
                for (int v = 0; v < k; v++) {
                    double g = b[i][v];
                    for (int j = 0; j < dim; j++) {
                        if (j != i) {
                            g += w[i][j][v][x[o + j]];
                        }
                    }
                    grad[(o + i) * k + v] = (float) g;
                }
            }
        }
    }
}
