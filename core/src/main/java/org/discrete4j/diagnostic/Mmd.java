package org.discrete4j.diagnostic;

/**
 * Squared maximum mean discrepancy between two sets of discrete states with the kernel
 * k(x, y) = exp(−(1/D) Σ_i 1[x_i ≠ y_i]) (exp of minus the mean Hamming distance), as Grathwohl et al. (ICML
 * 2021) compare RBM samplers with ground-truth draws (they plot log10 of this value). The kernel is a product over
 * sites of the positive-definite per-site kernels 1 on the diagonal and e^{−1/D} off it, so the V-statistic is ≥ 0.
 *
 * <p>MMD² = E k(x, x') + E k(y, y') − 2 E k(x, y) (Gretton, Borgwardt, Rasch, Schölkopf &amp; Smola, "A kernel
 * two-sample test", JMLR 13, 2012, §2). The V-statistic averages over all pairs, including each point with itself,
 * and is 0 for identical sets; the U-statistic leaves out the self-pairs and is unbiased, so it can be negative.
 *
 * <p>States are rows of {@code dim} values in 0..K−1 ({@code n × dim}, row-major). Rows are packed into 64-bit
 * words with b = 1, 2, 4 or 8 bits a site so a pair's Hamming distance is a few XORs and popcounts.
 */
public final class Mmd {

    private Mmd() {}

    /** The V-statistic MMD² between {@code n} states {@code x} and {@code m} states {@code y}. */
    public static double squared(int[] x, int n, int[] y, int m, int dim) {
        return squared(x, n, y, m, dim, false);
    }

    /** MMD², the unbiased U-statistic when {@code unbiased} (needs n, m ≥ 2), else the V-statistic. */
    public static double squared(int[] x, int n, int[] y, int m, int dim, boolean unbiased) {
        if (dim < 1 || n < 1 || m < 1) {
            throw new IllegalArgumentException("MMD needs dim, n, m >= 1, got " + dim + ", " + n + ", " + m);
        }
        if (x.length != (long) n * dim || y.length != (long) m * dim) {
            throw new IllegalArgumentException("states must have n × dim and m × dim values, got " + x.length
                    + " and " + y.length + " for dim " + dim);
        }
        if (unbiased && (n < 2 || m < 2)) {
            throw new IllegalArgumentException("the U-statistic needs at least 2 states per set");
        }
        int bits = bitsPerSite(Math.max(maxValue(x), maxValue(y)));
        Packed px = new Packed(x, n, dim, bits);
        Packed py = new Packed(y, m, dim, bits);
        double[] k = new double[dim + 1];
        for (int h = 0; h <= dim; h++) {
            k[h] = Math.exp(-(double) h / dim);
        }
        double xx = within(px, px, k, true);
        double yy = within(py, py, k, true);
        double xy = within(px, py, k, false);
        if (unbiased) {
            // Within-set sums include n self-pairs of kernel value 1.
            return (xx - n) / ((double) n * (n - 1)) + (yy - m) / ((double) m * (m - 1)) - 2 * xy / ((double) n * m);
        }
        return xx / ((double) n * n) + yy / ((double) m * m) - 2 * xy / ((double) n * m);
    }

    /** Σ_{i,j} k(a_i, b_j); for a set with itself the symmetric half is counted twice. */
    private static double within(Packed a, Packed b, double[] k, boolean same) {
        double sum = 0;
        for (int i = 0; i < a.rows; i++) {
            if (same) {
                sum += 1; // k(x, x)
                for (int j = i + 1; j < a.rows; j++) {
                    sum += 2 * k[a.hamming(i, b, j)];
                }
            } else {
                for (int j = 0; j < b.rows; j++) {
                    sum += k[a.hamming(i, b, j)];
                }
            }
        }
        return sum;
    }

    private static int maxValue(int[] v) {
        int max = 0;
        for (int a : v) {
            if (a < 0) {
                throw new IllegalArgumentException("state values must be >= 0, got " + a);
            }
            max = Math.max(max, a);
        }
        return max;
    }

    private static int bitsPerSite(int max) {
        if (max <= 1) {
            return 1;
        }
        if (max <= 3) {
            return 2;
        }
        if (max <= 15) {
            return 4;
        }
        if (max <= 255) {
            return 8;
        }
        return 32;
    }

    /** Rows packed into words; Hamming distance counts fields whose XOR is non-zero. */
    private static final class Packed {
        final int rows;
        final int words;
        final int bits;
        final long[] data;
        final long low; // the lowest bit of every field
        final int[] raw; // unpacked values when a site needs more than 8 bits

        Packed(int[] x, int rows, int dim, int bits) {
            this.rows = rows;
            this.bits = bits;
            if (bits == 32) {
                this.raw = x;
                this.words = dim;
                this.data = null;
                this.low = 0;
                return;
            }
            this.raw = null;
            int perWord = 64 / bits;
            this.words = (dim + perWord - 1) / perWord;
            this.data = new long[rows * words];
            long l = 0;
            for (int f = 0; f < perWord; f++) {
                l |= 1L << (f * bits);
            }
            this.low = l;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < dim; i++) {
                    data[r * words + i / perWord] |= (long) x[r * dim + i] << ((i % perWord) * bits);
                }
            }
        }

        int hamming(int i, Packed other, int j) {
            if (raw != null) {
                int h = 0;
                for (int s = 0, a = i * words, b = j * words; s < words; s++) {
                    if (raw[a + s] != other.raw[b + s]) {
                        h++;
                    }
                }
                return h;
            }
            int h = 0;
            for (int w = 0, a = i * words, b = j * words; w < words; w++) {
                long t = data[a + w] ^ other.data[b + w];
                // Fold each field's bits onto its lowest bit, so one popcount counts differing sites.
                for (int shift = 1; shift < bits; shift <<= 1) {
                    t |= t >>> shift;
                }
                h += Long.bitCount(t & low);
            }
            return h;
        }
    }
}
