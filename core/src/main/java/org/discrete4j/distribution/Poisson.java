package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.apache.commons.numbers.gamma.RegularizedGamma;
import org.discrete4j.autograd.Scalars;

/**
 * Poisson distributions {@code P(k) = λ^k e^{−λ} / k!} on {@code k = 0, 1, 2, ...}, with values in the float dtype of
 * the parameter. Parameterised by the log-rate (the natural "logits" of a count, unconstrained) or by the rate.
 *
 * <p>{@link #logProb} is {@code k·log λ − λ − lgamma(k + 1)}, differentiable in the parameter. In float32 its
 * absolute error grows with the size of the terms, about {@code 1e-7·λ·log λ} (a few hundredths at λ = e^10);
 * use float64 parameters where large rates need accurate log-probabilities. Draws are exact (see
 * {@link InverseCdf}). The support is enumerated up to a cut-off leaving less than 1e-10 of the mass.
 */
public final class Poisson implements Enumerable {

    private final NDArray logRate;
    private final NDArray rate;
    private final Laws laws;

    private Poisson(NDArray logRate, NDArray rate, double[] rates) {
        this.logRate = logRate;
        this.rate = rate;
        this.laws = new Laws(rates.length, i -> new Law(rates[i]), "Poisson");
    }

    /** Poisson with rate {@code exp(logRate)}. */
    public static Poisson ofLogRate(NDArray logRate) {
        Checks.finiteFloat(logRate, "logRate");
        double[] rates = InverseCdf.values(logRate);
        for (int i = 0; i < rates.length; i++) {
            rates[i] = Math.exp(rates[i]);
        }
        return new Poisson(logRate, logRate.exp(), rates);
    }

    /**
     * Poisson with the given rates ≥ 0. A rate of 0 (all mass at 0) is kept as the rate, while its logarithm is
     * floored at the log of the smallest normal number so that log-probabilities and gradients stay finite.
     */
    public static Poisson ofRate(NDArray rate) {
        Checks.finiteFloat(rate, "rate");
        if (rate.lt(0).any().getBoolean()) {
            throw new IllegalArgumentException("rate must be >= 0");
        }
        double tiny = rate.getDataType() == DataType.FLOAT64 ? Double.MIN_NORMAL : Float.MIN_NORMAL;
        return new Poisson(Scalars.maximum(rate, tiny).log(), rate, InverseCdf.values(rate));
    }

    public NDArray rate() {
        return rate;
    }

    public NDArray logRate() {
        return logRate;
    }

    @Override
    public Shape batchShape() {
        return rate.getShape();
    }

    @Override
    public Shape eventShape() {
        return new Shape();
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return laws.sample(rate, batchShape(), sampleShape);
    }

    @Override
    public NDArray logProb(NDArray value) {
        return Counts.logProb(value, batchShape(), rate.getDataType(), "Poisson.logProb", this::logPmf);
    }

    /** The log-pmf at counts {@code k} (no support check). */
    private NDArray logPmf(NDArray k) {
        return logRate.mul(k).sub(rate).sub(k.add(1).gammaln());
    }

    /** The entropy by summing {@code −p log p} over the enumerated support; the tail left out is below 1e-10. */
    @Override
    public NDArray entropy() {
        return Counts.entropy(logPmf(Counts.rangeOverBatch(rate, laws.cutoff(), batchShape())));
    }

    @Override
    public NDArray mean() {
        return rate;
    }

    @Override
    public NDArray enumerateSupport() {
        return Counts.range(rate, laws.cutoff());
    }

    @Override
    public double tailMass() {
        return laws.tailMass();
    }

    /** P(X ≤ k) = Q(k + 1, λ), the regularized upper incomplete gamma function; P(X > k) = P(k + 1, λ). */
    private record Law(double rate) implements InverseCdf.Law {
        @Override
        public double cdf(double k) {
            return RegularizedGamma.Q.value(k + 1, rate);
        }

        @Override
        public double sf(double k) {
            return RegularizedGamma.P.value(k + 1, rate);
        }

        @Override
        public double start() {
            return rate;
        }
    }
}
