package org.discrete4j.distribution;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.Function;

/**
 * The registry of example distributions that {@link DistributionContractTest} runs through the generic contract
 * (shapes, support, finiteness, rsample). Adding a distribution means adding a line here.
 */
final class DistributionExamples {

    private DistributionExamples() {}

    /** A named way to build an example distribution in a manager. */
    record Example(String name, Function<NDManager, Distribution> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Example> all() {
        return List.of(
                new Example("Bernoulli(logits 2x3)", m -> Bernoulli.ofLogits(
                        m.create(new float[] {-2f, 0f, 3f, 0.5f, -0.1f, 9f}, new Shape(2, 3)))),
                new Example("Bernoulli(probs)", m -> Bernoulli.ofProbs(m.create(new float[] {0f, 0.3f, 1f}))),
                new Example("Categorical(logits 2x4)", m -> Categorical.ofLogits(
                        m.create(new float[] {0f, 1f, -1f, 2f, 3f, 3f, -3f, 0f}, new Shape(2, 4)))),
                new Example("Categorical(probs)", m -> Categorical.ofProbs(
                        m.create(new float[] {0.2f, 0.5f, 0.3f, 0f}))),
                new Example("OneHotCategorical(logits 3x2)", m -> OneHotCategorical.ofLogits(
                        m.create(new float[] {0f, 1f, -1f, 2f, 3f, 3f}, new Shape(3, 2)))),
                new Example("ExpRelaxedOneHotCategorical(logits 2x3, tau 0.5)", m -> ExpRelaxedOneHotCategorical
                        .ofLogits(m.create(new float[] {0f, 1f, -1f, 2f, 3f, -3f}, new Shape(2, 3)), 0.5)),
                new Example("ExpRelaxedOneHotCategorical(tau per batch)", m -> ExpRelaxedOneHotCategorical.ofLogits(
                        m.create(new float[] {0f, 1f, -1f, 2f, 3f, -3f}, new Shape(2, 3)),
                        m.create(new float[] {0.1f, 2f}))),
                new Example("RelaxedOneHotCategorical(logits 2x3, tau 0.5)", m -> RelaxedOneHotCategorical.ofLogits(
                        m.create(new float[] {0f, 1f, -1f, 2f, 3f, -3f}, new Shape(2, 3)), 0.5)),
                new Example("RelaxedOneHotCategorical(probs, tau 2)", m -> RelaxedOneHotCategorical.ofProbs(
                        m.create(new float[] {0.2f, 0.5f, 0.3f, 0f}), 2.0)),
                new Example("RelaxedOneHotCategorical(float64, tau 0.1)", m -> RelaxedOneHotCategorical.ofLogits(
                        m.create(new double[] {0.5, -1, 1.5}), 0.1)),
                new Example("LogitRelaxedBernoulli(logits 2x3, tau 0.3)", m -> LogitRelaxedBernoulli.ofLogits(
                        m.create(new float[] {-2f, 0f, 3f, 0.5f, -0.1f, 9f}, new Shape(2, 3)), 0.3)),
                new Example("RelaxedBernoulli(logits 2x3, tau 0.7)", m -> RelaxedBernoulli.ofLogits(
                        m.create(new float[] {-2f, 0f, 3f, 0.5f, -0.1f, 9f}, new Shape(2, 3)), 0.7)),
                new Example("RelaxedBernoulli(probs, tau per batch)", m -> RelaxedBernoulli.ofLogits(
                        Bernoulli.ofProbs(m.create(new float[] {0f, 0.3f, 1f})).logits(),
                        m.create(new float[] {0.05f, 1f, 4f}))),
                new Example("OneHotCategoricalStraightThrough(logits 3x2)", m -> OneHotCategoricalStraightThrough
                        .ofLogits(m.create(new float[] {0f, 1f, -1f, 2f, 3f, 3f}, new Shape(3, 2)))),
                new Example("OneHotCategoricalStraightThrough(tau 0.5)", m -> OneHotCategoricalStraightThrough
                        .ofLogits(m.create(new float[] {0f, 1f, -1f, 2f}), 0.5)),
                new Example("BernoulliStraightThrough(logits 2x3)", m -> BernoulliStraightThrough.ofLogits(
                        m.create(new float[] {-2f, 0f, 3f, 0.5f, -0.1f, 9f}, new Shape(2, 3)))),
                new Example("RelaxedOneHotCategoricalStraightThrough(tau 0.5)", m ->
                        RelaxedOneHotCategoricalStraightThrough.ofLogits(
                                m.create(new float[] {0f, 1f, -1f, 2f, 3f, -3f}, new Shape(2, 3)), 0.5)),
                new Example("RelaxedBernoulliStraightThrough(tau 0.5)", m -> RelaxedBernoulliStraightThrough
                        .ofLogits(m.create(new float[] {-2f, 0f, 3f, 0.5f, -0.1f, 9f}, new Shape(2, 3)), 0.5)),
                new Example("Poisson(logRate 2x2)", m -> Poisson.ofLogRate(
                        m.create(new float[] {-3f, 0f, 1.5f, 3f}, new Shape(2, 2)))),
                new Example("Poisson(rate, float64)", m -> Poisson.ofRate(m.create(new double[] {0, 0.5, 22026.5}))),
                new Example("Binomial(trials 2x3)", m -> Binomial.ofLogits(m.create(new int[] {0, 1, 5, 12, 3, 40},
                        new Shape(2, 3)), m.create(new float[] {0f, -2f, 1f, 0.3f, 1e4f, -1e4f}, new Shape(2, 3)))),
                new Example("Binomial(probs)", m -> Binomial.ofProbs(7, m.create(new float[] {0f, 0.4f, 1f}))),
                new Example("NegativeBinomial(logits)", m -> NegativeBinomial.ofLogits(2.5,
                        m.create(new float[] {-2f, 0f, 1.5f}))),
                new Example("NegativeBinomial(probs, float64)", m -> NegativeBinomial.ofProbs(
                        m.create(new double[] {0.3, 40}), m.create(new double[] {0.9, 0.2}))),
                new Example("Geometric(logits)", m -> Geometric.ofLogits(m.create(new float[] {-3f, 0f, 4f, 1e4f}))),
                new Example("Geometric(probs)", m -> Geometric.ofProbs(m.create(new float[] {1f, 0.25f}))),
                new Example("GeneralizedGumbelSoftmax(Poisson, mass 0.999)", m -> new GeneralizedGumbelSoftmax(
                        Poisson.ofLogRate(m.create(new float[] {0f, 1.2f})),
                        GeneralizedGumbelSoftmax.Truncation.cumulative(0.999), 0.5, false)),
                new Example("GeneralizedGumbelSoftmax(Binomial, level 6, straight-through)",
                        m -> new GeneralizedGumbelSoftmax(Binomial.ofLogits(8, m.create(new float[] {-1f, 0.5f})),
                                GeneralizedGumbelSoftmax.Truncation.fixed(6), 0.3, true)));
    }
}
