package org.discrete4j.estimator;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.function.Function;
import org.discrete4j.distribution.Bernoulli;
import org.discrete4j.distribution.Binomial;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.distribution.OneHotCategorical;
import org.discrete4j.distribution.Poisson;

/**
 * A toy problem with a known gradient of E[f], on which estimators are compared ({@code d4j estimators}).
 *
 * <p>Each is posed for a batch of {@code rows} identical copies of the parameters, so that one estimator call gives
 * {@code rows} independent estimates: the cost keeps the row dimension and reduces the rest.
 *
 * @param name problem name ({@code bernoulli}, {@code categorical}, {@code poisson}, {@code binomial})
 * @param theta the parameters θ
 * @param target t in the cost
 * @param distribution builds q from logits of shape {@code (rows) + theta.length-derived shape}
 * @param cost f, keeping the row dimension
 * @param exact the exact gradient of E[f] with respect to θ
 */
public record Problem(String name, double[] theta, double target, Function<NDArray, Distribution> distribution,
        Cost cost, double[] exact) {

    /** Independent z_i ~ Bernoulli(σ(θ_i)), f(z) = Σ_i (z_i − t)²; ∂E[f]/∂θ_i = (1 − 2t)σ(θ_i)(1 − σ(θ_i)). */
    public static Problem bernoulli(double[] theta, double t) {
        double[] g = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            double p = sigmoid(theta[i]);
            g[i] = (1 - 2 * t) * p * (1 - p);
        }
        return new Problem("bernoulli", theta.clone(), t, Bernoulli::ofLogits,
                z -> z.sub(t).square().sum(new int[] {2}), g);
    }

    /**
     * One z ~ Categorical(softmax(θ)) over 0..K−1 as a one-hot vector y, f(y) = (Σ_k k·y_k − t)²;
     * ∂E[f]/∂θ_j = p_j (f(j) − E[f]).
     */
    public static Problem categorical(double[] theta, double t) {
        int k = theta.length;
        double max = Arrays.stream(theta).max().orElse(0);
        double[] p = new double[k];
        double z = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(theta[j] - max);
            z += p[j];
        }
        double mean = 0;
        for (int j = 0; j < k; j++) {
            p[j] /= z;
            mean += p[j] * (j - t) * (j - t);
        }
        double[] g = new double[k];
        for (int j = 0; j < k; j++) {
            g[j] = p[j] * ((j - t) * (j - t) - mean);
        }
        return new Problem("categorical", theta.clone(), t, OneHotCategorical::ofLogits, categoricalCost(k, t), g);
    }

    /**
     * One z ~ Poisson(λ = exp θ₁), f(z) = (z − t)²: E[f] = Var z + (E z − t)² = λ + (λ − t)², so
     * ∂E[f]/∂θ₁ = λ·(1 + 2(λ − t)).
     */
    public static Problem poisson(double[] theta, double t) {
        requireOneLogit("poisson", theta);
        double rate = Math.exp(theta[0]);
        return new Problem("poisson", theta.clone(), t, Poisson::ofLogRate, countCost(t),
                new double[] {rate * (1 + 2 * (rate - t))});
    }

    /**
     * One z ~ Binomial(n, p = σ(θ₁)), f(z) = (z − t)²: E[f] = np(1 − p) + (np − t)², so by the chain rule through
     * dp/dθ₁ = p(1 − p), ∂E[f]/∂θ₁ = p(1 − p)·(n(1 − 2p) + 2n(np − t)).
     */
    public static Problem binomial(double[] theta, double t, int trials) {
        requireOneLogit("binomial", theta);
        if (trials < 1) {
            throw new IllegalArgumentException("binomial needs trials >= 1, got " + trials);
        }
        double p = sigmoid(theta[0]);
        double n = trials;
        return new Problem("binomial", theta.clone(), t, logits -> Binomial.ofLogits(trials, logits), countCost(t),
                new double[] {p * (1 - p) * (n * (1 - 2 * p) + 2 * n * (n * p - t))});
    }

    private static void requireOneLogit(String name, double[] theta) {
        if (theta.length != 1) {
            throw new IllegalArgumentException(name + " takes one logit, got " + theta.length);
        }
    }

    /** f(z) = (z − t)² for counts z of shape (n, rows, 1), keeping the row dimension. */
    static Cost countCost(double t) {
        return z -> z.sub(t).square().sum(new int[] {2});
    }

    /** f(y) = (Σ_k k·y_k − t)² for one-hot or relaxed y of shape (n, rows, K). */
    static Cost categoricalCost(int k, double t) {
        return y -> {
            NDArray index = y.getManager().arange(0, k, 1, y.getDataType());
            return y.mul(index).sum(new int[] {2}).sub(t).square();
        };
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
