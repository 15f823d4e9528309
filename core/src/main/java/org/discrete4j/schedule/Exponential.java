package org.discrete4j.schedule;

/**
 * {@code τ = max(τmin, τ0 · exp(−r · t'))}, with t' the step rounded down to a multiple of N (the temperature is
 * updated every N steps): the schedule of Jang, Gu and Poole (ICLR 2017, §4.2 and App. C), who used τ0 = 1,
 * τmin = 0.5, r ∈ {1e-5, 1e-4} and N ∈ {500, 1000}.
 */
public final class Exponential implements TemperatureSchedule {

    private final double initial;
    private final double rate;
    private final double minimum;
    private final long every;

    /**
     * @param initial τ0 &gt; 0
     * @param rate r ≥ 0, per step
     * @param minimum τmin, with 0 &lt; τmin ≤ τ0
     * @param every N ≥ 1, steps between updates
     */
    public Exponential(double initial, double rate, double minimum, long every) {
        this.initial = TemperatureSchedule.checkPositive(initial, "initial temperature");
        this.minimum = TemperatureSchedule.checkPositive(minimum, "minimum temperature");
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be finite and >= 0, got " + rate);
        }
        if (minimum > initial) {
            throw new IllegalArgumentException(
                    "minimum temperature " + minimum + " exceeds the initial temperature " + initial);
        }
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1 step, got " + every);
        }
        this.rate = rate;
        this.every = every;
    }

    @Override
    public double temperature(long step) {
        long t = TemperatureSchedule.checkStep(step) / every * every;
        return Math.max(minimum, initial * Math.exp(-rate * t));
    }
}
