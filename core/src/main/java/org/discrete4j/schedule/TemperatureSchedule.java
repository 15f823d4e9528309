package org.discrete4j.schedule;

/**
 * The temperature of a relaxed estimator as training proceeds: start high (smooth relaxation, low variance) and
 * anneal to a small but non-zero value (low bias), as Jang, Gu and Poole (ICLR 2017, §2.1) recommend.
 */
public interface TemperatureSchedule {

    /**
     * The temperature at training step {@code step}, finite and positive.
     *
     * @throws IllegalArgumentException if {@code step < 0}
     */
    double temperature(long step);

    /** Rejects a negative step. */
    static long checkStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return step;
    }

    /** Rejects a temperature (or temperature bound) that is not finite and positive, naming it. */
    static double checkPositive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
        return value;
    }
}
