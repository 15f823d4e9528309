package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import org.discrete4j.autograd.Scalars;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.LogSpace;
import org.discrete4j.distribution.Noise;
import org.discrete4j.distribution.OneHotCategorical;
import org.discrete4j.distribution.RelaxedBernoulliStraightThrough;
import org.discrete4j.distribution.RelaxedOneHotCategoricalStraightThrough;

/**
 * Gumbel-Rao (GR-MCK; Paulus, Maddison and Krause, "Rao-Blackwellizing the Straight-Through Gumbel-Softmax Gradient
 * Estimator", ICLR 2021, §3): straight-through Gumbel-softmax with its backward pass averaged over K Gumbel
 * perturbations drawn conditionally on the forward draw D, {@code D + (s − sg(s))} with
 * {@code s = (1/K) Σ_k softmax((θ + G_k)/τ)}, {@code G_k ~ Gumbel | argmax(θ + G_k) = D}. Same mean as ST-GS, lower
 * variance (Rao-Blackwellisation), one evaluation of f. Biased.
 *
 * <p>The first perturbation is the one that drew D ({@link StraightThroughGumbelSoftmax}'s draw): given D it is a
 * conditional Gumbel like the others, so the K draws are independent given D and K = 1 <em>is</em> ST-GS, draw for
 * draw. The other K − 1 are drawn in closed form from exponentials E (the top-down Gumbel construction of Maddison,
 * Tarlow and Minka, "A* Sampling", NeurIPS 2014): the maximum {@code θ_D + G_D = logsumexp(θ) − log E_D}, and every
 * other coordinate a Gumbel truncated below it, {@code θ_i + G_i = −log(E_i e^{−θ_i} + E_D e^{−logsumexp θ})},
 * computed in log space. As in the paper's estimator the noise G_k is held fixed when differentiating.
 *
 * <p>A Bernoulli is the two-class categorical with logits (0, θ), whose Gumbel difference is the logistic noise of the
 * binary Concrete.
 */
public final class GumbelRao extends Pathwise {

    private final int k;

    /**
     * @param tau temperature of the softmax in the backward pass
     * @param k number of Gumbel perturbations averaged, K ≥ 1
     */
    public GumbelRao(double tau, int k) {
        super(tau);
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.k = k;
    }

    @Override
    public String name() {
        return "gumbel-rao";
    }

    @Override
    NDArray categorical(OneHotCategorical q) {
        NDArray theta = q.logits();
        RelaxedOneHotCategoricalStraightThrough st = RelaxedOneHotCategoricalStraightThrough.ofLogits(theta, tau);
        NDArray z = st.rsample(new Shape(1));
        if (k == 1) {
            return z;
        }
        NDArray d = z.stopGradient();
        NDArray t = theta.stopGradient();
        NDArray g = conditionalPerturbations(t, d, k - 1).sub(t);
        NDArray y = Scalars.div(theta.add(g), tau).logSoftmax(-1).exp().sum(new int[] {0});
        return straightThrough(d, Scalars.div(st.unquantized(z).add(y), k));
    }

    @Override
    NDArray bernoulli(Bernoulli q) {
        NDArray theta = q.logits();
        RelaxedBernoulliStraightThrough st = RelaxedBernoulliStraightThrough.ofLogits(theta, tau);
        NDArray z = st.rsample(new Shape(1));
        if (k == 1) {
            return z;
        }
        NDArray d = z.stopGradient();
        NDArray t = theta.stopGradient();
        NDArray p = conditionalPerturbations(twoClassLogits(t), twoClassOneHot(d), k - 1);
        NDArray logistic = p.get("..., 1").sub(p.get("..., 0")).sub(t);
        NDArray y = Scalars.div(theta.add(logistic), tau).getNDArrayInternal().sigmoid().sum(new int[] {0});
        return straightThrough(d, Scalars.div(st.unquantized(z).add(y), k));
    }

    /**
     * {@code m} independent draws of the perturbed logits {@code θ + G}, G standard Gumbel, conditioned on
     * {@code argmax(θ + G) = D}; shape {@code (m) + d.shape}.
     *
     * @param theta logits, shape {@code batch + (C)}, without gradient
     * @param d one-hot classes D, shape {@code (n) + batch + (C)}
     */
    static NDArray conditionalPerturbations(NDArray theta, NDArray d, int m) {
        Shape shape = new Shape(m).addAll(d.getShape());
        NDArray logE = Noise.uniform(theta.getManager(), shape, theta.getDataType()).log().neg().log();
        NDArray lse = LogSpace.logSumExp(theta, -1, true);
        NDArray logEd = logE.mul(d).sum(new int[] {-1}, true);
        NDArray top = lse.sub(logEd).broadcast(shape);
        // −logaddexp(a, b) = −(a + softplus(b − a)) with a = log E_i − θ_i, b = log E_D − logsumexp θ.
        NDArray a = logE.sub(theta);
        NDArray rest = a.add(LogSpace.softplus(logEd.sub(lse).sub(a))).neg();
        return NDArrays.where(d.gt(0.5).broadcast(shape), top, rest);
    }
}
