package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Distribution;

/** The shape bookkeeping and surrogate tricks that every estimator shares. */
final class Surrogates {

    private Surrogates() {}

    /** Sums the trailing dimensions of {@code x} so that it has the rank of {@code cost}. */
    static NDArray sumTo(NDArray x, NDArray cost) {
        int extra = x.getShape().dimension() - cost.getShape().dimension();
        if (extra < 0) {
            throw new IllegalStateException("cost of shape " + cost.getShape() + " has more dimensions than "
                    + x.getShape());
        }
        if (extra == 0) {
            return x;
        }
        int[] axes = new int[extra];
        for (int i = 0; i < extra; i++) {
            axes[i] = cost.getShape().dimension() + i;
        }
        return x.sum(axes);
    }

    /** Appends singleton dimensions to {@code signal} until it has {@code rank} dimensions, for broadcasting. */
    static NDArray expandTo(NDArray signal, int rank) {
        Shape s = signal.getShape();
        if (s.dimension() == rank) {
            return signal;
        }
        long[] dims = new long[rank];
        java.util.Arrays.fill(dims, 1);
        System.arraycopy(s.getShape(), 0, dims, 0, s.dimension());
        return signal.reshape(new Shape(dims));
    }

    /**
     * {@code sg(signal)·(logq − sg(logq))}: zero in value, {@code signal·∇log q} in gradient (the DiCE "magic box"),
     * so the surrogate's value stays the cost.
     */
    static NDArray score(NDArray signal, NDArray logq) {
        return signal.stopGradient().mul(logq.sub(logq.stopGradient()));
    }

    /** {@code sg(g)·(θ − sg(θ))}: zero in value, gradient g with respect to θ. */
    static NDArray inject(NDArray gradient, NDArray theta) {
        return gradient.stopGradient().mul(theta.sub(theta.stopGradient())).sum();
    }

    /** Checks the cost's shape against the draws: {@code (n) + a prefix of batchShape}. */
    static NDArray checkCost(NDArray cost, long n, Distribution q) {
        Shape s = cost.getShape();
        Shape batch = q.batchShape();
        if (s.dimension() < 1 || s.get(0) != n || s.dimension() - 1 > batch.dimension()
                || !s.slice(1).equals(batch.slice(0, s.dimension() - 1))) {
            throw new IllegalArgumentException("cost must have shape (n) + a prefix of the batch shape " + batch
                    + " with n = " + n + ", got " + s);
        }
        return cost;
    }
}
