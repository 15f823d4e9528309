package org.discrete4j.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Argument checks shared by distributions and estimators: bad input fails here with a message that names it. */
public final class Checks {

    private Checks() {}

    /** Rejects arrays that are not float32/float64 or hold NaN or infinities. */
    public static NDArray finiteFloat(NDArray a, String name) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        DataType t = a.getDataType();
        if (t != DataType.FLOAT32 && t != DataType.FLOAT64) {
            throw new IllegalArgumentException(name + " must be float32 or float64, got " + t);
        }
        // One reduction and one read in the common case: a finite sum means no NaN and no infinity (NaN and ±inf
        // propagate through a sum); only a non-finite sum (which overflow alone can also cause) takes the two
        // element-wise tests that name the problem.
        NDArray sum = a.sum();
        if (t == DataType.FLOAT32 ? Float.isFinite(sum.getFloat()) : Double.isFinite(sum.getDouble())) {
            return a;
        }
        if (a.isNaN().any().getBoolean()) {
            throw new IllegalArgumentException(name + " contains NaN");
        }
        if (a.isInfinite().any().getBoolean()) {
            throw new IllegalArgumentException(name + " contains an infinite value");
        }
        return a;
    }

    /** Rejects probabilities outside [0, 1] (after {@link #finiteFloat}). */
    public static NDArray probabilities(NDArray p, String name) {
        finiteFloat(p, name);
        if (p.lt(0).any().getBoolean() || p.gt(1).any().getBoolean()) {
            throw new IllegalArgumentException(name + " must lie in [0, 1]");
        }
        return p;
    }

    /** Rejects a temperature that is not a finite positive number. */
    public static double temperature(double tau) {
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + tau);
        }
        return tau;
    }

    /**
     * Rejects a temperature array that is not float, holds a non-finite or non-positive value, or whose shape is
     * neither {@code ()} (one temperature for the whole batch) nor {@code batchShape} (one per distribution).
     */
    public static NDArray temperature(NDArray tau, Shape batchShape) {
        finiteFloat(tau, "temperature");
        if (tau.lte(0).any().getBoolean()) {
            throw new IllegalArgumentException("temperature must be > 0");
        }
        Shape s = tau.getShape();
        if (s.dimension() != 0 && !s.equals(batchShape)) {
            throw new IllegalArgumentException("temperature must have shape () or the batch shape " + batchShape
                    + ", got shape " + s);
        }
        return tau;
    }

    /** Rejects parameter arrays of rank below {@code minRank} (e.g. logits of a categorical need a class axis). */
    public static void rankAtLeast(NDArray a, int minRank, String name) {
        if (a.getShape().dimension() < minRank) {
            throw new IllegalArgumentException(
                    name + " must have at least " + minRank + " dimension(s), got shape " + a.getShape());
        }
    }

    /**
     * Checks that a value's trailing dimensions are {@code batchShape + eventShape} and returns the leading
     * (sample) shape.
     */
    public static Shape sampleShapeOf(NDArray value, Shape batchShape, Shape eventShape, String who) {
        Shape trailing = batchShape.addAll(eventShape);
        Shape s = value.getShape();
        int lead = s.dimension() - trailing.dimension();
        if (lead < 0 || !s.slice(lead).equals(trailing)) {
            throw new IllegalArgumentException(
                    who + ": value of shape " + s + " does not end with batch + event shape " + trailing);
        }
        DataType t = value.getDataType();
        if (t != DataType.FLOAT32 && t != DataType.FLOAT64 && t != DataType.INT32 && t != DataType.INT64) {
            throw new IllegalArgumentException(who + ": value must be float32/64 or int32/64, got " + t);
        }
        return s.slice(0, lead);
    }
}
