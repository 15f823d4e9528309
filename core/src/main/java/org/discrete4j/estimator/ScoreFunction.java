package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.discrete4j.distribution.Distribution;

/**
 * The score-function estimator (REINFORCE; Williams 1992, "Simple statistical gradient-following algorithms for
 * connectionist reinforcement learning", Machine Learning 8, 1992; the REINFORCE update α(r − b)∂ln g/∂w with a
 * reinforcement baseline b):
 * {@code ∇E[f] = E[(f(z) − b)∇log q(z)]}, unbiased for any b that does not depend on z.
 *
 * <p>Black-box in f, any distribution. Each estimate averages {@code samples} draws; the {@link Baseline} chooses
 * b.
 */
public final class ScoreFunction implements GradientEstimator, Stateful {

    /** Decay of the moving-average baseline: it averages over roughly the last 1 / (1 − 0.9) = 10 calls. */
    public static final double DECAY = 0.9;

    /** Which baseline b is subtracted from the cost of each draw. */
    public enum Baseline {
        /** b = 0: plain REINFORCE. */
        NONE("reinforce"),
        /**
         * b = exponential moving average of the mean cost of earlier calls (Williams 1992's "reinforcement
         * comparison"), updated after use so that it never depends on the current draws: unbiased.
         */
        MOVING_AVERAGE("reinforce-ma"),
        /**
         * b = mean cost of the K draws of this call, the draw itself included. Then E[(f_k − f̄)∇log q_k] =
         * (1 − 1/K)∇E[f], because f̄ contains f_k/K: the gradient is shrunk by (K − 1)/K, a bias.
         */
        BATCH_AVERAGE("reinforce-batch"),
        /**
         * Leave-one-out (Kool, van Hoof and Welling, "Buy 4 REINFORCE samples, get a baseline for free!", ICLR
         * 2019 Deep RL Meets Structured Prediction workshop): b_k = mean of the other K − 1 costs, independent of
         * draw k, so unbiased; equivalently {@code K/(K−1)·(f_k − f̄)}.
         */
        LEAVE_ONE_OUT("rloo");

        private final String estimatorName;

        Baseline(String estimatorName) {
            this.estimatorName = estimatorName;
        }
    }

    private final Baseline baseline;
    private final int samples;
    /** Moving average of the mean cost; NaN until the first call. */
    private double average = Double.NaN;

    /** Plain REINFORCE over {@code samples} draws. */
    public ScoreFunction(int samples) {
        this(Baseline.NONE, samples);
    }

    /**
     * @param samples K, the draws per estimate; the leave-one-out baseline needs K ≥ 2
     */
    public ScoreFunction(Baseline baseline, int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        if (baseline == Baseline.LEAVE_ONE_OUT && samples < 2) {
            throw new IllegalArgumentException("rloo needs k >= 2 draws (the baseline of a draw is the mean of the "
                    + "others), got " + samples);
        }
        this.baseline = baseline;
        this.samples = samples;
    }

    @Override
    public String name() {
        return baseline.estimatorName;
    }

    @Override
    public boolean unbiased() {
        return baseline != Baseline.BATCH_AVERAGE;
    }

    @Override
    public boolean supports(Distribution q) {
        return true;
    }

    @Override
    public Estimate estimate(Distribution q, Cost f) {
        NDArray z = q.sample(new Shape(samples));
        NDArray cost = Surrogates.checkCost(f.apply(z), samples, q);
        NDArray logq = Surrogates.sumTo(q.logProb(z), cost);
        NDArray c = cost.stopGradient();
        NDArray signal;
        switch (baseline) {
            case NONE:
                signal = c;
                break;
            case MOVING_AVERAGE:
                signal = Double.isNaN(average) ? c : c.sub(average);
                double mean = c.mean().toType(DataType.FLOAT64, false).getDouble();
                average = Double.isNaN(average) ? mean : DECAY * average + (1 - DECAY) * mean;
                break;
            case BATCH_AVERAGE:
                signal = c.sub(c.mean(new int[] {0}, true));
                break;
            case LEAVE_ONE_OUT:
                signal = c.sub(c.mean(new int[] {0}, true)).mul((double) samples / (samples - 1));
                break;
            default:
                throw new IllegalStateException("unknown baseline " + baseline);
        }
        NDArray surrogate = cost.add(Surrogates.score(signal, logq)).mean(new int[] {0}).sum();
        return new Estimate(surrogate, c);
    }

    /** The moving-average baseline (the other baselines keep no state). */
    @Override
    public Map<String, Object> state() {
        return Double.isNaN(average) ? Map.of() : Map.of("average", average);
    }

    @Override
    public void restore(Map<String, Object> state) {
        Object a = state.get("average");
        average = a == null ? Double.NaN : (Double) a;
    }
}
