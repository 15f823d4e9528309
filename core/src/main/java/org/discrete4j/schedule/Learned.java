package org.discrete4j.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.discrete4j.distribution.LogSpace;

/**
 * A temperature learned by gradient descent: {@code τ = τmin + softplus(ρ)}, with ρ an unconstrained parameter that
 * requires a gradient. Pass {@link #temperature()} to a relaxed distribution (e.g.
 * {@code RelaxedOneHotCategorical.ofLogits(logits, learned.temperature())}) and update {@link #parameter()} with any
 * DJL optimizer. A learned temperature acts as an entropy regulariser (Jang, Gu and Poole, ICLR 2017, §2.1); the
 * softplus keeps τ &gt; τmin without clipping, so the gradient never vanishes at a bound.
 */
public final class Learned implements TemperatureSchedule {

    private final NDArray rho;
    private final double minimum;

    /**
     * @param manager the manager that owns ρ
     * @param initial the initial temperature, &gt; τmin
     * @param minimum τmin ≥ 0
     */
    public Learned(NDManager manager, double initial, double minimum) {
        if (!(minimum >= 0) || Double.isInfinite(minimum)) {
            throw new IllegalArgumentException("minimum temperature must be finite and >= 0, got " + minimum);
        }
        TemperatureSchedule.checkPositive(initial, "initial temperature");
        if (!(initial > minimum)) {
            throw new IllegalArgumentException(
                    "initial temperature " + initial + " must exceed the minimum temperature " + minimum);
        }
        this.minimum = minimum;
        double x = initial - minimum;
        // ρ = softplus⁻¹(x) = log(expm1(x)) = x + log(1 − e^{−x}), finite for every x > 0.
        double r = x > 30 ? x : x + Math.log(-Math.expm1(-x));
        this.rho = manager.create((float) r);
        rho.setRequiresGradient(true);
    }

    /** The parameter ρ, shape {@code ()}, float32, requiring a gradient. */
    public NDArray parameter() {
        return rho;
    }

    /** {@code τmin + softplus(ρ)}, shape {@code ()}, differentiable with respect to ρ. */
    public NDArray temperature() {
        // A float, not a double: a rank-0 float32 array plus a Java double would be promoted to float64.
        return LogSpace.softplus(rho).add((float) minimum);
    }

    /** The current value of the temperature (the step is ignored: the temperature changes when ρ is updated). */
    @Override
    public double temperature(long step) {
        TemperatureSchedule.checkStep(step);
        return temperature().stopGradient().toType(DataType.FLOAT64, false).getDouble();
    }
}
