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

    /** s_k by direct summation, O(N); four partial sums so the additions do not wait on each other. */
    static double direct(double[] y, int k) {
        int m = y.length - k;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = 0;
        for (; n + 3 < m; n += 4) {
            s0 += y[n] * y[n + k];
            s1 += y[n + 1] * y[n + 1 + k];
            s2 += y[n + 2] * y[n + 2 + k];
            s3 += y[n + 3] * y[n + 3 + k];
        }
        for (; n < m; n++) {
            s0 += y[n] * y[n + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** s_k for every lag k = 0..N−1, by FFT in O(N log N). */
    static double[] all(double[] y) {
        return allPair(y, null, y.length - 1)[0];
    }

    /**
     * s_k of two series of equal length at once (the second may be null), for lags 0..L with L ≥ {@code lags}
     * (at most N − 1), by one complex FFT of a + ib: with Z = FFT(a + ib), FFT(a)_j = (Z_j + conj Z_{−j})/2 and
     * FFT(b)_j = (Z_j − conj Z_{−j})/(2i); the power spectra |FFT(a)|² and |FFT(b)|² are real and even, so one
     * inverse transform of |FFT(a)|² + i|FFT(b)|² returns the lag sums of a in its real part and of b in its
     * imaginary part. Zero-padding to P ≥ N + L points makes the circular sums at lags 0..P − N equal the linear
     * ones, so asking for fewer lags allows a shorter transform.
     */
    static double[][] allPair(double[] a, double[] b, int lags) {
        int n = a.length;
        if (b != null && b.length != n) {
            throw new IllegalArgumentException("series lengths differ: " + n + " != " + b.length);
        }
        int need = n + Math.min(Math.max(lags, 1), n - 1);
        int size = Integer.highestOneBit(Math.max(1, need));
        if (size < need) {
            size <<= 1;
        }
        int out = Math.min(n, size - n + 1);
        double[] re = new double[size];
        double[] im = new double[size];
        System.arraycopy(a, 0, re, 0, n);
        if (b != null) {
            System.arraycopy(b, 0, im, 0, n);
        }
        fft(re, im, false);
        double[] pr = new double[size];
        double[] pi = new double[size];
        for (int j = 0; j < size; j++) {
            int mirror = (size - j) & (size - 1);
            double xr = re[j];
            double xi = im[j];
            double yr = re[mirror];
            double yi = im[mirror];
            pr[j] = 0.25 * ((xr + yr) * (xr + yr) + (xi - yi) * (xi - yi));
            pi[j] = 0.25 * ((xr - yr) * (xr - yr) + (xi + yi) * (xi + yi));
        }
        fft(pr, pi, true);
        double[][] s = new double[2][out];
        for (int k = 0; k < out; k++) {
            s[0][k] = pr[k] / size;
            s[1][k] = pi[k] / size;
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
