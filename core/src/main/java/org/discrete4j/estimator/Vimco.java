package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.LogSpace;

/**
 * VIMCO (Mnih and Rezende, "Variational inference for Monte Carlo objectives", ICML 2016, §3): the gradient of the
 * multi-sample objective {@code L = E[L̂]}, {@code L̂ = log (1/K) Σ_k exp ℓ_k}, as
 *
 * <pre>∇L = E[Σ_j (L̂ − L̂_{−j}) ∇log q(z_j) + Σ_j w̃_j ∇ℓ_j],   w̃_j = exp ℓ_j / Σ_k exp ℓ_k,</pre>
 *
 * where the per-sample baseline {@code L̂_{−j}} is L̂ with exp ℓ_j replaced by the geometric mean of the other
 * weights, {@code exp((1/(K−1)) Σ_{i≠j} ℓ_i)}. It does not depend on z_j, so the estimator is unbiased; the second
 * sum is the gradient of L̂ at fixed draws, which autograd gives. Any distribution; K ≥ 2.
 */
public final class Vimco implements MultiSampleEstimator {

    @Override
    public String name() {
        return "vimco";
    }

    @Override
    public boolean supports(Distribution q) {
        return true;
    }

    @Override
    public Estimate estimate(Distribution q, LogWeight logWeight, int k) {
        if (k < 2) {
            throw new IllegalArgumentException("vimco needs k >= 2 draws (each draw's baseline uses the others), got "
                    + k);
        }
        NDArray z = q.sample(new Shape(k));
        NDArray ell = Surrogates.checkCost(logWeight.apply(z), k, q);
        NDArray logq = Surrogates.sumTo(q.logProb(z), ell);
        double logK = Math.log(k);
        NDArray objective = LogSpace.logSumExp(ell, 0, false).sub(logK);

        NDArray l = ell.stopGradient();
        NDArray othersMean = l.sum(new int[] {0}, true).sub(l).div(k - 1);
        // Row j of a (K, K) + rest array is ℓ with its j-th entry replaced by the mean of the others.
        Shape rest = l.getShape().slice(1);
        Shape square = new Shape(k, k).addAll(rest);
        long[] eyeDims = new long[square.dimension()];
        java.util.Arrays.fill(eyeDims, 1);
        eyeDims[0] = k;
        eyeDims[1] = k;
        NDArray diagonal = l.getManager().eye(k).toType(DataType.BOOLEAN, false).reshape(new Shape(eyeDims))
                .broadcast(square);
        NDArray replaced = NDArrays.where(diagonal, othersMean.expandDims(1).broadcast(square),
                l.expandDims(0).broadcast(square));
        NDArray leaveOneOut = LogSpace.logSumExp(replaced, 1, false).sub(logK);
        NDArray signal = objective.stopGradient().expandDims(0).sub(leaveOneOut);

        NDArray surrogate = objective.sum().add(Surrogates.score(signal, logq).sum());
        return new Estimate(surrogate, l);
    }
}
