package org.discrete4j.schedule;

/**
 * {@code τ ← max(τmin, (1 − rate) · τ)} at every step from τ0, that is {@code τ_t = max(τmin, τ0 (1 − rate)^t)}: the
 * annealing of Storchastic's Gumbel-softmax (van Krieken, Tomczak and ten Teije, NeurIPS 2021).
 */
public final class Multiplicative implements TemperatureSchedule {

    private final double initial;
    private final double logFactor;
    private final double minimum;

    /**
     * @param initial τ0 &gt; 0
     * @param rate the fraction removed at each step, 0 ≤ rate &lt; 1
     * @param minimum τmin, with 0 &lt; τmin ≤ τ0
     */
    public Multiplicative(double initial, double rate, double minimum) {
        this.initial = TemperatureSchedule.checkPositive(initial, "initial temperature");
        this.minimum = TemperatureSchedule.checkPositive(minimum, "minimum temperature");
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("rate must lie in [0, 1), got " + rate);
        }
        if (minimum > initial) {
            throw new IllegalArgumentException(
                    "minimum temperature " + minimum + " exceeds the initial temperature " + initial);
        }
        this.logFactor = Math.log1p(-rate);
    }

    @Override
    public double temperature(long step) {
        // The floor commutes with the products: max(m, (1 − r)·max(m, x)) = max(m, (1 − r)x) since (1 − r)m ≤ m.
        return Math.max(minimum, initial * Math.exp(logFactor * TemperatureSchedule.checkStep(step)));
    }
}
