package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.OneHotCategorical;

/**
 * MuProp (Gu, Levine, Sutskever and Mnih, "MuProp: Unbiased backpropagation for stochastic neural networks", ICLR
 * 2016, §3): the score-function estimator with the first-order Taylor expansion of f around the mean-field point
 * μ = E[z] as control variate,
 *
 * <pre>∇E[f] = E[(f(z) − f(μ) − f'(μ)(z − μ)) ∇log q(z)] + f'(μ)∇μ,</pre>
 *
 * unbiased because E[(z − μ)∇log q(z)] = ∇μ. f is evaluated at the continuous point μ, so it must be
 * differentiable there.
 *
 * <p>The number f'(μ)(z − μ) is never formed: with ε = log q(z) − sg(log q(z)) (zero in value, ∇log q in
 * gradient), {@code f(sg(μ) + (z − sg(μ))·ε)} has the value f(μ) and the θ-gradient f'(μ)(z − μ)∇log q, so one
 * backward pass of the caller's collector differentiates f at μ; no second collector is needed. Subtracting it
 * from {@code f(μ)} (θ-gradient f'(μ)∇μ) gives the two Taylor terms with value 0, and their gradients with respect
 * to f's own parameters cancel exactly (both are ∇f at the same point μ), so f's parameters get {@code ∇f(z)}.
 *
 * <p>Bernoulli and one-hot categorical variables, one draw per estimate.
 */
public final class MuProp implements GradientEstimator {

    @Override
    public String name() {
        return "muprop";
    }

    @Override
    public boolean unbiased() {
        return true;
    }

    @Override
    public boolean supports(Distribution q) {
        return q instanceof Bernoulli || q instanceof OneHotCategorical;
    }

    @Override
    public Estimate estimate(Distribution q, Cost f) {
        if (!supports(q)) {
            throw new IllegalArgumentException("muprop needs the mean-field point of Bernoulli or OneHotCategorical "
                    + "variables (draws and mean in the same space), got " + q.getClass().getSimpleName());
        }
        NDArray z = q.sample(new Shape(1));
        NDArray cost = Surrogates.checkCost(f.apply(z), 1, q);
        NDArray logq = Surrogates.sumTo(q.logProb(z), cost);
        NDArray mu = q.mean().expandDims(0);
        NDArray muFixed = mu.stopGradient();
        NDArray eps = Surrogates.expandTo(logq.sub(logq.stopGradient()), z.getShape().dimension());
        // Both mean-field points in one call of f: row 0 carries the Taylor term's gradient, row 1 is f(μ).
        NDArray taylorPoint = muFixed.add(z.sub(muFixed).mul(eps));
        NDArray meanField = Surrogates.checkCost(f.apply(NDArrays.concat(new NDList(taylorPoint, mu))), 2, q);
        NDArray fTaylor = meanField.get(new NDIndex("0:1"));
        NDArray fMu = meanField.get(new NDIndex("1:2"));
        NDArray signal = cost.stopGradient().sub(fMu.stopGradient());
        NDArray surrogate = cost.add(Surrogates.score(signal, logq)).add(fMu).sub(fTaylor).sum();
        return new Estimate(surrogate, cost.stopGradient());
    }
}
