package org.discrete4j.diagnostic;

/**
 * Lagged sums of products of a centred series, s_k = Σ_{n=0}^{N−k−1} y_n y_{n+k}, the raw material of every
 * autocorrelation-based ESS: directly (cheap while only a few lags are needed) or for all lags at once by FFT
 * (Wiener–Khinchin: the inverse transform of |FFT(y)|² of the series zero-padded to at least 2N−1, so the circular
 * products equal the linear ones).
 */
final class Autocovariance {

    private Autocovariance() {}

    /** The series minus its mean, into a new array. */
    static double[] centred(double[] x, int from, int n) {
        double mean = 0;
        for (int t = 0; t < n; t++) {
            mean += x[from + t];
        }
        mean /= n;
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = x[from + t] - mean;
        }
        return y;
    }

    /** s_k by direct summation, O(N). */
    static double direct(double[] y, int k) {
        double s = 0;
        for (int n = 0, m = y.length - k; n < m; n++) {
            s += y[n] * y[n + k];
        }
        return s;
    }

    /** s_k for every lag k = 0..N−1, by FFT in O(N log N). */
    static double[] all(double[] y) {
        int n = y.length;
        int size = Integer.highestOneBit(Math.max(1, 2 * n - 1));
        if (size < 2 * n - 1) {
            size <<= 1;
        }
        double[] re = new double[size];
        double[] im = new double[size];
        System.arraycopy(y, 0, re, 0, n);
        fft(re, im, false);
        for (int i = 0; i < size; i++) {
            re[i] = re[i] * re[i] + im[i] * im[i];
            im[i] = 0;
        }
        fft(re, im, true);
        double[] s = new double[n];
        for (int k = 0; k < n; k++) {
            s[k] = re[k] / size;
        }
        return s;
    }

    private static volatile double[][] lastTwiddles = {new double[0], new double[0]};

    /**
     * cos and sin of 2πj/n for j &lt; n/2, from the library functions for each angle (not by repeated
     * multiplication, so errors do not accumulate); the table of the last size is kept, as series come in batches
     * of one length.
     */
    private static double[][] twiddles(int n) {
        double[][] w = lastTwiddles;
        if (w[0].length == n / 2) {
            return w;
        }
        w = new double[2][n / 2];
        for (int j = 0; j < n / 2; j++) {
            w[0][j] = Math.cos(2 * Math.PI * j / n);
            w[1][j] = Math.sin(2 * Math.PI * j / n);
        }
        lastTwiddles = w;
        return w;
    }

    /** In-place iterative radix-2 Cooley–Tukey transform (unnormalised); the length is a power of two. */
    static void fft(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        double[][] w = twiddles(n);
        double[] cos = w[0];
        double[] sin = w[1];
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            int stride = n / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0, tw = 0; k < half; k++, tw += stride) {
                    double wr = cos[tw];
                    double wi = sign * sin[tw];
                    int a = i + k;
                    int b = a + half;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
