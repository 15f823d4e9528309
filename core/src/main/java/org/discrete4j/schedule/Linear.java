package org.discrete4j.schedule;

/** {@code τ} moves linearly from τ0 at step 0 to τ1 at step T, then stays at τ1. */
public final class Linear implements TemperatureSchedule {

    private final double initial;
    private final double last;
    private final long steps;

    /**
     * @param initial τ0 &gt; 0
     * @param last τ1 &gt; 0 (above or below τ0)
     * @param steps T ≥ 1
     */
    public Linear(double initial, double last, long steps) {
        this.initial = TemperatureSchedule.checkPositive(initial, "initial temperature");
        this.last = TemperatureSchedule.checkPositive(last, "final temperature");
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        this.steps = steps;
    }

    @Override
    public double temperature(long step) {
        double f = (double) Math.min(TemperatureSchedule.checkStep(step), steps) / steps;
        return f == 1 ? last : initial + (last - initial) * f;
    }
}
