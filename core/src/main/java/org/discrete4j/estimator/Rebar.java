package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * REBAR (Tucker, Mnih, Maddison, Lawson and Sohl-Dickstein, "REBAR: Low-variance, unbiased gradient estimates for
 * discrete latent variable models", NeurIPS 2017, §3): the control variate is the cost at the Concrete
 * relaxation of the draw, {@code c(z) = η f(σ(z / λ))}, so
 *
 * <pre>
 *   ĝ = [f(b) − η f(σ_λ(z̃))] ∇_θ log q(b) + η ∇_θ f(σ_λ(z)) − η ∇_θ f(σ_λ(z̃))
 * </pre>
 *
 * <p>η and log λ are tuned online, as the paper does, by stochastic gradient descent (Adam here) on the variance of ĝ,
 * starting from η = 1, λ = 0.5; the common temperature option of {@code Estimators} is not used. f must accept
 * relaxed values and be differentiable in them; f is evaluated three times per estimate.
 */
public final class Rebar extends LearnedControlVariate {

    static final double INITIAL_ETA = 1.0;
    static final double INITIAL_TEMPERATURE = 0.5;

    /** Adam's step size 0.01 for η and log λ. */
    public Rebar() {
        this(0.01);
    }

    public Rebar(double learningRate) {
        super(learningRate);
    }

    @Override
    public String name() {
        return "rebar";
    }

    /** The current scale η of the control variate. */
    public double eta() {
        return parameter(0)[0];
    }

    /** The current temperature λ of the relaxation. */
    public double temperature() {
        return Math.exp(parameter(1)[0]);
    }

    @Override
    int parameterCount() {
        return 2;
    }

    @Override
    double[][] initialParameters(int width, long[][] shapes, NDManager manager) {
        shapes[0] = new long[0];
        shapes[1] = new long[0];
        return new double[][] {{INITIAL_ETA}, {Math.log(INITIAL_TEMPERATURE)}};
    }

    @Override
    NDArray controlVariate(NDArray z, NDArray[] psi, ConditionalRelaxation relaxation, Cost f, Shape costShape) {
        return concrete(z, psi[0], psi[1], relaxation, f, costShape);
    }

    /** η f(σ(z / λ)), λ = exp(log λ): the Concrete control variate that RELAX can add to its network. */
    static NDArray concrete(NDArray z, NDArray eta, NDArray logTemperature, ConditionalRelaxation relaxation, Cost f,
            Shape costShape) {
        NDArray relaxed = relaxation.relax(z, logTemperature.exp());
        NDArray cost = f.apply(relaxed);
        if (!cost.getShape().equals(new Shape(z.getShape().get(0)).addAll(costShape))) {
            throw new IllegalArgumentException("f gave shape " + cost.getShape() + " at relaxed values but "
                    + costShape + " (after the sample dimension) at discrete ones");
        }
        return cost.mul(eta);
    }
}
