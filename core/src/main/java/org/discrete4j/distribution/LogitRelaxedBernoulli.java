package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.autograd.Scalars;

/**
 * The logit of a binary Concrete variable (Maddison, Mnih and Teh, ICLR 2017, Prop. 2(a) and appendix C):
 * {@code L = (logits + Λ)/τ} with Λ standard logistic noise, so L is logistic with location {@code logits/τ} and
 * scale {@code 1/τ}. Event shape {@code ()}.
 *
 * <p>Its log density {@code log τ + (l − τL) − 2 softplus(l − τL)} is exact for every finite L, which makes this the
 * distribution to use for log densities of relaxed Bernoulli variables at low temperature, where {@code sigmoid(L)}
 * rounds to exactly 0 or 1 (see {@link RelaxedBernoulli}).
 */
public final class LogitRelaxedBernoulli implements Concrete {

    private final NDArray logits;
    private final NDArray temperature;

    private LogitRelaxedBernoulli(NDArray logits, NDArray temperature) {
        this.logits = Checks.finiteFloat(logits, "logits");
        this.temperature = Checks.temperature(temperature, logits.getShape()).toType(logits.getDataType(), false);
    }

    /** The logit of a binary Concrete variable with {@code P(y > 1/2) = sigmoid(logits)} and temperature τ. */
    public static LogitRelaxedBernoulli ofLogits(NDArray logits, double temperature) {
        return new LogitRelaxedBernoulli(logits, ExpRelaxedOneHotCategorical.scalar(logits, temperature));
    }

    /** As {@link #ofLogits(NDArray, double)} with a temperature array of shape {@code ()} or {@code batchShape}. */
    public static LogitRelaxedBernoulli ofLogits(NDArray logits, NDArray temperature) {
        return new LogitRelaxedBernoulli(logits, temperature);
    }

    public NDArray logits() {
        return logits;
    }

    public NDArray temperature() {
        return temperature;
    }

    @Override
    public Shape batchShape() {
        return logits.getShape();
    }

    @Override
    public Shape eventShape() {
        return new Shape();
    }

    @Override
    public boolean hasRsample() {
        return true;
    }

    @Override
    public NDArray rsample(Shape sampleShape) {
        return draw(logits, temperature, sampleShape);
    }

    @Override
    public NDArray sample(Shape sampleShape) {
        return draw(logits.stopGradient(), temperature.stopGradient(), sampleShape);
    }

    private NDArray draw(NDArray l, NDArray tau, Shape sampleShape) {
        NDArray noise = Noise.logistic(l.getManager(), extendedShape(sampleShape), l.getDataType());
        return l.add(noise).div(tau);
    }

    @Override
    public NDArray logProb(NDArray value) {
        Checks.sampleShapeOf(value, batchShape(), eventShape(), "LogitRelaxedBernoulli.logProb");
        NDArray diff = logits.sub(value.toType(logits.getDataType(), false).mul(temperature));
        return temperature.log().add(diff).sub(Scalars.mul(LogSpace.softplus(diff), 2));
    }
}
