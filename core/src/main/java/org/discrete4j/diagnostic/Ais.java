package org.discrete4j.diagnostic;

import java.util.SplittableRandom;
import org.discrete4j.model.AnnealedModel;
import org.discrete4j.sampler.ChainState;
import org.discrete4j.sampler.Kernel;

/**
 * Annealed importance sampling for the log-partition function (Neal, "Annealed importance sampling", Statistics
 * and Computing 11, 2001, §2–3), on the geometric path p_β ∝ p̃^β π₀^{1−β} of an {@link AnnealedModel} with a
 * linear grid β_t = t/(T − 1), t = 0..T−1, as Grathwohl et al. (ICML 2021) evaluate energy models.
 *
 * <p>Each of n independent runs starts from an exact draw x ~ π₀ (β_0 = 0) and for t = 1..T−1 adds
 * log p_{β_t}(x) − log p_{β_{t−1}}(x) = (β_t − β_{t−1})(log p̃(x) − log π₀(x)) to its log-weight w, then applies
 * one transition of the kernel at β_t (none at β = 1, which would not change the weights). Because π₀ is
 * normalised, E[e^w] = Z, so log Ẑ = logsumexp(w) − log n, biased low by Jensen's inequality for short schedules.
 * Its standard error is by the delta method: sd(e^w) / (√n · mean(e^w)).
 */
public final class Ais {

    private Ais() {}

    /**
     * @param logZ log Ẑ
     * @param stderr delta-method standard error of log Ẑ
     * @param logWeights the n log-weights w
     * @param weightEss effective number of runs (Σ e^w)² / Σ e^{2w} (Kong 1992): few means an unreliable Ẑ
     * @param temperatures T
     * @param evaluations energy evaluations per run
     */
    public record Result(double logZ, double stderr, double[] logWeights, double weightEss, int temperatures,
            long evaluations) {}

    /**
     * Runs {@code runs} AIS chains over {@code temperatures} ≥ 2 values of β, one {@code kernel} transition per
     * intermediate temperature. The model's β is left at 1.
     */
    public static Result run(AnnealedModel model, Kernel kernel, int runs, int temperatures, long seed) {
        if (runs < 1) {
            throw new IllegalArgumentException("AIS needs at least one run, got " + runs);
        }
        if (temperatures < 2) {
            throw new IllegalArgumentException("AIS needs at least 2 temperatures, got " + temperatures);
        }
        if (!kernel.appliesTo(model.target())) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " does not apply to " + model.target());
        }
        int d = model.dim();
        int[] x0 = new int[runs * d];
        model.setBeta(0);
        model.sampleBase(x0, runs, new SplittableRandom(seed ^ 0x5DEECE66DL));
        ChainState state = new ChainState(model, x0, runs, seed);
        kernel.setAdapting(false);
        kernel.init(state);
        double[] w = new double[runs];
        double[] f = new double[runs];
        double[] b = new double[runs];
        double previous = 0;
        for (int t = 1; t < temperatures; t++) {
            double beta = t == temperatures - 1 ? 1.0 : (double) t / (temperatures - 1);
            int[] x = state.x();
            model.target().logProb(x, runs, f);
            model.baseLogProb(x, runs, b);
            state.addEvaluations(1);
            double[] logp = state.logProb();
            for (int c = 0; c < runs; c++) {
                w[c] += (beta - previous) * (f[c] - b[c]);
                logp[c] = beta * f[c] + (1 - beta) * b[c];
            }
            model.setBeta(beta);
            state.invalidateGradient();
            previous = beta;
            if (t < temperatures - 1) {
                kernel.step(state);
            }
        }
        return of(w, temperatures, state.evaluations());
    }

    /**
     * log Ẑ = logsumexp(w) − log n from the final log-weights of n independent AIS runs (each weight's expectation
     * is Z, the base normaliser included), with its delta-method standard error and the weights' effective number.
     * For AIS paths that {@link #run} does not cover, such as the RBM path of Salakhutdinov and Murray (2008).
     */
    public static Result of(double[] w, int temperatures, long evaluations) {
        int runs = w.length;
        if (runs < 1) {
            throw new IllegalArgumentException("AIS needs at least one log-weight");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : w) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException("AIS log-weight is not finite: " + v);
            }
            max = Math.max(max, v);
        }
        double sum = 0;
        double sumSq = 0;
        for (double v : w) {
            double e = Math.exp(v - max);
            sum += e;
            sumSq += e * e;
        }
        double mean = sum / runs;
        double variance = runs > 1 ? (sumSq - runs * mean * mean) / (runs - 1) : Double.NaN;
        double stderr = Math.sqrt(Math.max(variance, 0) / runs) / mean;
        double logZ = max + Math.log(mean);
        return new Result(logZ, stderr, w, sum * sum / sumSq, temperatures, evaluations);
    }
}
