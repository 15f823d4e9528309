package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.Enumerable;

/**
 * The exact gradient, by enumerating every joint configuration of the batch elements that the cost couples:
 * {@code ∇ Σ_z q(z) f(z)}. The ground truth every other estimator is tested against.
 *
 * <p>If f keeps the leading c batch dimensions and reduces the rest (m elements with S support values each), the
 * sum runs over S^m configurations, shared by the c leading (independent) batch elements. It is capped at
 * {@link #maxConfigurations}. Count distributions are enumerated up to the cut-off their
 * {@link Enumerable#enumerateSupport} chooses.
 */
public final class Exact implements GradientEstimator {

    private final long maxConfigurations;

    public Exact() {
        this(1 << 20);
    }

    public Exact(long maxConfigurations) {
        this.maxConfigurations = maxConfigurations;
    }

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public boolean unbiased() {
        return true;
    }

    @Override
    public boolean supports(Distribution q) {
        return q instanceof Enumerable;
    }

    @Override
    public Estimate estimate(Distribution q, Cost f) {
        if (!(q instanceof Enumerable)) {
            throw new IllegalArgumentException("exact enumeration needs a distribution with enumerable support, got "
                    + q.getClass().getSimpleName());
        }
        Enumerable e = (Enumerable) q;
        Shape batch = q.batchShape();
        Shape event = q.eventShape();
        // One probe draw tells how many batch dimensions the cost keeps.
        int c = Surrogates.checkCost(f.apply(q.sample(new Shape(1))), 1, q).getShape().dimension() - 1;
        Shape lead = batch.slice(0, c);
        Shape trail = batch.slice(c);
        int m = Math.toIntExact(trail.size());

        NDArray support = e.enumerateSupport();
        NDManager manager = support.getManager();
        int s = Math.toIntExact(support.getShape().get(0));
        double configs = Math.pow(s, m);
        if (configs > maxConfigurations) {
            throw new IllegalArgumentException(String.format(
                    "exact enumeration needs %d^%d = %.3g configurations, more than the limit %d", s, m, configs,
                    maxConfigurations));
        }
        int n = (int) configs;
        long[] digits = new long[n * m];
        for (int j = 0; j < n; j++) {
            int r = j;
            for (int i = m - 1; i >= 0; i--) {
                digits[j * m + i] = r % s;
                r /= s;
            }
        }
        // values[j, i] = support[digit(j, i)], gathered by a one-hot product so any event shape works.
        long eventSize = event.size();
        NDArray oneHot = manager.create(digits, new Shape(n, m)).oneHot(s).toType(support.getDataType(), false);
        NDArray values = oneHot.matMul(support.reshape(s, eventSize)); // (n, m, eventSize)
        long[] dims = new long[1 + c + trail.dimension()];
        dims[0] = n;
        java.util.Arrays.fill(dims, 1, 1 + c, 1);
        System.arraycopy(trail.getShape(), 0, dims, 1 + c, trail.dimension());
        Shape full = new Shape(n).addAll(lead).addAll(trail).addAll(event);
        values = values.reshape(new Shape(dims).addAll(event)).broadcast(full);

        NDArray logp = q.logProb(values);
        NDArray cost = Surrogates.checkCost(f.apply(values), n, q);
        logp = Surrogates.sumTo(logp, cost);
        NDArray p = logp.exp();
        // Configurations outside the support have p = 0; keep 0·f at 0 even where f is not finite there.
        NDArray weighted = NDArrays.where(p.gt(0), p.mul(cost), p.zerosLike());
        NDArray expectation = weighted.sum(new int[] {0});
        return new Estimate(expectation.sum(), expectation.stopGradient().expandDims(0));
    }
}
