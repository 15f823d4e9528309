package org.discrete4j.diagnostic;

import java.util.ArrayList;
import java.util.List;

/**
 * Effective sample size of MCMC output: the number of independent draws that would estimate a mean as precisely.
 *
 * <p>{@link #tfp} is the estimator of {@code tfp.mcmc.effective_sample_size} with its default arguments
 * (filter_threshold = 0, no lag limit, no cross-chain pooling), which the Gibbs-with-Gradients (Grathwohl et al.,
 * ICML 2021) and DISCS (Goshvadi et al., NeurIPS 2023) figures use, so numbers compare with theirs. For one series
 * x_0..x_{N−1}, with y = x − mean(x) (the mean of that series alone),
 * <pre>
 *   ρ̂_k = [ (1/(N−k)) Σ_{n<N−k} y_n y_{n+k} ] / [ (1/N) Σ_n y_n² ],
 *   ESS = N / (1 + 2 Σ_{k=1}^{M} (N−k)/N · ρ̂_k),
 * </pre>
 * where M is the last lag before the first k with ρ̂_k &lt; 0 (tfp zeroes that lag and every later one), or N−1.
 * Every kept term is ≥ 0, so ESS ≤ N. A constant series gives 0/0 in tfp (NaN); like the GWG and DISCS code we
 * report 1 for it.
 *
 * <p>{@link #bulk} is the rank-normalised split bulk-ESS of Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner,
 * "Rank-normalization, folding, and localization: an improved R̂ for assessing convergence of MCMC", Bayesian
 * Analysis 16(2), 2021, §3.2 and §4 (with Geyer's initial monotone sequence), pooled over chains: the modern
 * estimator of Stan, ArviZ and {@code posterior}.
 */
public final class Ess {

    /**
     * Lags summed directly before switching to the FFT: a fast-mixing series meets its first negative
     * autocorrelation within a few lags, and one FFT costs about as much as several hundred direct lags.
     */
    private static final int DIRECT_LAGS = 32;

    private Ess() {}

    /** tfp's ESS of one series (see the class comment); 1 for a constant series. */
    public static double tfp(double[] series) {
        return tfp(series, 0, series.length);
    }

    /** tfp's ESS of {@code x[from..from+n)}. */
    public static double tfp(double[] x, int from, int n) {
        Series s = new Series(x, from, n);
        if (!s.done) {
            resolve(List.of(s));
        }
        return s.ess;
    }

    /** tfp's ESS of each chain, {@code chains[c]} being chain c's series. */
    public static double[] tfp(double[][] chains) {
        Series[] all = new Series[chains.length];
        List<Series> slow = new ArrayList<>();
        for (int c = 0; c < chains.length; c++) {
            all[c] = new Series(chains[c], 0, chains[c].length);
            if (!all[c].done) {
                slow.add(all[c]);
            }
        }
        resolve(slow);
        double[] ess = new double[chains.length];
        for (int c = 0; c < chains.length; c++) {
            ess[c] = all[c].ess;
        }
        return ess;
    }

    /**
     * Finishes series that direct sums did not: two series of equal length share one complex FFT, first for lags up
     * to N/4 (a transform of ≈ 1.25 N points instead of 2N), then, for those still positive there, for all lags.
     */
    private static void resolve(List<Series> slow) {
        List<Series> pending = slow;
        for (int round = 0; round < 2 && !pending.isEmpty(); round++) {
            List<Series> next = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Series a = pending.get(i);
                int n = a.y.length;
                Series b = i + 1 < pending.size() && pending.get(i + 1).y.length == n ? pending.get(++i) : null;
                double[][] sums = Autocovariance.allPair(a.y, b == null ? null : b.y, round == 0 ? n / 4 : n - 1);
                if (!a.finish(sums[0])) {
                    next.add(a);
                }
                if (b != null && !b.finish(sums[1])) {
                    next.add(b);
                }
            }
            pending = next;
        }
    }

    /**
     * One series on its way to tfp's ESS: the first lags by direct sums, the rest, if no negative autocorrelation
     * came up by then, from all lag sums at once.
     */
    private static final class Series {
        double[] y;
        double c0;
        double sum;
        int k = 1;
        boolean done;
        double ess;

        Series(double[] x, int from, int n) {
            if (n < 1) {
                throw new IllegalArgumentException("ESS needs at least one draw");
            }
            double first = x[from];
            boolean constant = true;
            for (int t = 0; t < n; t++) {
                double v = x[from + t];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("ESS of a series with a non-finite value " + v + " at " + t);
                }
                constant &= v == first;
            }
            if (constant) {
                done = true;
                ess = 1;
                return;
            }
            y = Autocovariance.centred(x, from, n);
            c0 = Autocovariance.direct(y, 0);
            // (N−k)/N · ρ̂_k = s_k / s_0, and ρ̂_k < 0 exactly when s_k < 0.
            for (; k < n && k <= DIRECT_LAGS; k++) {
                double s = Autocovariance.direct(y, k);
                if (s < 0) {
                    done = true;
                    break;
                }
                sum += s;
            }
            done |= k >= n;
            if (done) {
                ess = n / (1 + 2 * sum / c0);
            }
        }

        /** Continues the sum with lag sums s_0..s_L; false if every one of them was still ≥ 0 and L &lt; N − 1. */
        boolean finish(double[] lagSums) {
            int n = y.length;
            for (; k < lagSums.length && lagSums[k] >= 0; k++) {
                sum += lagSums[k];
            }
            if (k == lagSums.length && k < n) {
                return false;
            }
            ess = n / (1 + 2 * sum / c0);
            done = true;
            return true;
        }
    }

    /** The mean over chains of tfp's per-chain ESS: the figure DISCS reports. */
    public static double tfpMean(double[][] chains) {
        double s = 0;
        for (double e : tfp(chains)) {
            s += e;
        }
        return s / chains.length;
    }

    /**
     * Rank-normalised split bulk-ESS over all chains (Vehtari et al. 2021): chains are split in halves, all draws
     * replaced by the normal scores of their pooled ranks, and the multi-chain ESS taken of the result. NaN when
     * the chains have fewer than 4 draws or every draw is equal.
     */
    public static double bulk(double[][] chains) {
        double[][] split = RankNormal.split(chains);
        if (split == null) {
            return Double.NaN;
        }
        return multiChain(RankNormal.normalScores(split));
    }

    /**
     * The multi-chain ESS of Vehtari et al. (2021, §3.2; Stan's), without rank normalisation: chains of equal
     * length N ≥ 2, autocorrelation ρ̂_t = 1 − (W − mean_m γ̂_{m,t}) / var̂⁺ from the per-chain autocovariances γ̂
     * (divided by N), truncated by Geyer's initial monotone sequence.
     */
    static double multiChain(double[][] chains) {
        int m = chains.length;
        int n = chains[0].length;
        if (n < 2) {
            return Double.NaN;
        }
        double[][] acov = new double[m][];
        double[] means = new double[m];
        double w = 0;
        for (int c = 0; c < m; c++) {
            if (chains[c].length != n) {
                throw new IllegalArgumentException("chains must have equal lengths: " + chains[c].length + " != " + n);
            }
            for (double v : chains[c]) {
                means[c] += v;
            }
            means[c] /= n;
        }
        for (int c = 0; c < m; c += 2) {
            double[][] sums = Autocovariance.allPair(Autocovariance.centred(chains[c], 0, n),
                    c + 1 < m ? Autocovariance.centred(chains[c + 1], 0, n) : null, n - 1);
            acov[c] = sums[0];
            if (c + 1 < m) {
                acov[c + 1] = sums[1];
            }
        }
        for (int c = 0; c < m; c++) {
            for (int t = 0; t < n; t++) {
                acov[c][t] /= n;
            }
            w += acov[c][0] * n / (n - 1.0);
        }
        w /= m;
        double varPlus = w * (n - 1.0) / n + (m > 1 ? variance(means) : 0);
        if (!(varPlus > 0)) {
            return Double.NaN;
        }
        double[] rho = new double[n];
        for (int t = 0; t < n; t++) {
            double mean = 0;
            for (int c = 0; c < m; c++) {
                mean += acov[c][t];
            }
            rho[t] = 1 - (w - mean / m) / varPlus;
        }
        // Geyer (1992): sum pairs P_j = ρ_{2j} + ρ_{2j+1} while they stay positive (initial positive sequence),
        // each pair capped by the one before (initial monotone sequence).
        double tau = -1;
        double previous = Double.POSITIVE_INFINITY;
        int t = 0;
        for (; t + 1 < n; t += 2) {
            double pair = rho[t] + rho[t + 1];
            if (pair < 0) {
                break;
            }
            pair = Math.min(pair, previous);
            previous = pair;
            tau += 2 * pair;
        }
        // Stan's refinement: add the next even-lag term when positive; it lowers the variance for antithetic chains.
        if (t < n && rho[t] > 0) {
            tau += rho[t];
        }
        double draws = (double) m * n;
        // ESS at most draws·log10(draws), as Stan and posterior cap it.
        tau = Math.max(tau, 1 / Math.log10(draws));
        return draws / tau;
    }

    /** Unbiased variance (divisor count − 1). */
    static double variance(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }

    /** Effective samples per second of wall time. */
    public static double perSecond(double ess, double seconds) {
        return ess / seconds;
    }

    /** Effective samples per energy evaluation. */
    public static double perEvaluation(double ess, long evaluations) {
        return ess / evaluations;
    }
}
