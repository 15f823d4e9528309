package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.discrete4j.autograd.GradMode;
import org.discrete4j.autograd.Scalars;
import org.discrete4j.distribution.Distribution;
import org.discrete4j.estimator.Estimate;
import org.discrete4j.estimator.GradientEstimator;

/**
 * Structured output prediction with a sigmoid belief network (Jang, Gu and Poole, ICLR 2017, §4.1, after Raiko et al.
 * 2015 and Gu et al. 2016): predict the lower half of a binary image from its upper half through two stochastic
 * layers, {@code upper → h1 → h2 → lower}, each layer's logits an affine function of the layer before (392-200-200-392
 * with Bernoulli units, 392-(20×10)-(20×10)-392 with categorical ones).
 *
 * <p>Training maximises {@code E_{h ~ p(h | upper)}[log p(lower | h2)]}, a lower bound on {@code log p(lower | upper)},
 * one draw per layer. The two layers are differentiated by one estimator each, nested: the cost of h1 is the estimate
 * for h2 given h1, {@code f1(h1) = c̄(h1) + (S2(h1) − sg S2(h1)) / (n1·B)}, where c̄ is the per-row cost of the inner
 * estimate and S2 its surrogate. Its value is the cost of each row, which is what score-function estimators of h1 need
 * as learning signal, and its gradient sums to the inner surrogate's, which is what reaches h1's relaxation and the
 * later layers' parameters.
 */
public final class Sbn implements Trainable {

    private final Latent layer;
    private final int inputs;
    private final int outputs;
    private final Mlp first;
    private final Mlp second;
    private final Mlp output;

    /**
     * @param manager where the parameters live; drawn from the engine's generator (seed it first)
     * @param layer the kind and size of both stochastic layers
     * @param inputs the pixels of the upper part, which come first in each image
     * @param outputs the pixels of the lower part, the rest of the image
     */
    public Sbn(NDManager manager, Latent layer, int inputs, int outputs) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("an SBN needs >= 1 input and output pixel");
        }
        this.layer = layer;
        this.inputs = inputs;
        this.outputs = outputs;
        first = new Mlp(manager, inputs, layer.parameters());
        second = new Mlp(manager, layer.width(), layer.parameters());
        output = new Mlp(manager, layer.width(), outputs);
    }

    /** The upper part of images {@code (B, inputs + outputs)}. */
    public NDArray upper(NDArray images) {
        return images.get(":, :" + inputs);
    }

    /** The lower part of images {@code (B, inputs + outputs)}. */
    public NDArray lower(NDArray images) {
        return images.get(":, " + inputs + ":");
    }

    @Override
    public NDArray loss(NDArray images, List<GradientEstimator> estimators) {
        if (estimators.size() != 2) {
            throw new IllegalArgumentException("this SBN has two stochastic layers, got " + estimators.size()
                    + " estimators");
        }
        checkWidth(images);
        NDArray x = upper(images);
        NDArray y = lower(images);
        long rows = x.getShape().get(0);
        GradientEstimator outer = estimators.get(0);
        GradientEstimator inner = estimators.get(1);
        Distribution q1 = layer.posterior(first.forward(x));
        Estimate e = outer.estimate(q1, h1 -> {
            Distribution q2 = layer.posterior(second.forward(layer.flatten(h1)));
            Estimate e2 = inner.estimate(q2, h2 -> BinaryPixels.negativeLogLikelihood(y, output.forward(
                    layer.flatten(h2))));
            NDArray s2 = e2.surrogate();
            long outerDraws = h1.getShape().get(0);
            return e2.cost().mean(new int[] {0}).add(Scalars.div(s2.sub(s2.stopGradient()), outerDraws * rows));
        });
        return Scalars.div(e.surrogate(), rows);
    }

    @Override
    public int stochasticLayers() {
        return 2;
    }

    /**
     * The Monte Carlo estimate {@code −log (1/m) Σ_i p(lower | h_i)} with m draws of {@code p(h | upper)} per image (an
     * upper bound on {@code −log p(lower | upper)} in expectation), and the one-draw bound
     * {@code E[−log p(lower | h)]} averaged over the same draws; at most {@code budget} (draw, row) pairs at once.
     */
    public Evaluation evaluate(NDArray images, int samples, int budget) {
        if (samples < 1 || budget < 1) {
            throw new IllegalArgumentException("samples and budget must be >= 1");
        }
        checkWidth(images);
        // h is drawn from p(h | upper) itself, so the importance weight is the likelihood and there is no KL term.
        return Evaluation.importanceSampled(images, samples, budget, (part, scope) -> {
            NDArray y = lower(part);
            Distribution q1 = layer.posterior(first.forward(upper(part)));
            return new Evaluation.Block(null, (s, inner) -> {
                NDArray h1 = q1.sample(new Shape(s));
                inner.tempAttachAll(h1);
                NDArray h2 = layer.posterior(second.forward(layer.flatten(h1))).sample(new Shape(1)).squeeze(0);
                NDArray ll = BinaryPixels.negativeLogLikelihood(y, output.forward(layer.flatten(h2))).neg();
                return new Evaluation.Draws(ll, ll);
            });
        });
    }

    private void checkWidth(NDArray images) {
        if (images.getShape().dimension() != 2 || images.getShape().get(1) != inputs + outputs) {
            throw new IllegalArgumentException("images must have shape (B, " + (inputs + outputs) + "), got "
                    + images.getShape());
        }
    }

    /** Bernoulli means of the lower part at one draw of h per image, under the given upper parts: {@code (N, D)}. */
    public float[][] complete(NDArray images) {
        try (GradMode off = GradMode.disabled(); NDManager scope = images.getManager().newSubManager()) {
            NDArray up = upper(images);
            scope.tempAttachAll(up);
            NDArray h1 = layer.posterior(first.forward(up)).sample(new Shape(1)).squeeze(0);
            NDArray h2 = layer.posterior(second.forward(layer.flatten(h1))).sample(new Shape(1)).squeeze(0);
            NDArray mean = output.forward(layer.flatten(h2)).getNDArrayInternal().sigmoid();
            return BinaryPixels.rows(up.concat(mean, 1));
        }
    }

    @Override
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>(first.named("first."));
        out.putAll(second.named("second."));
        out.putAll(output.named("output."));
        return out;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "sbn");
        m.put("architecture", inputs + "-" + layer.parameters() + "-" + layer.parameters() + "-" + outputs);
        m.putAll(layer.describe());
        m.put("layers", "affine logits per stochastic layer (no deterministic hidden layers)");
        return m;
    }
}
