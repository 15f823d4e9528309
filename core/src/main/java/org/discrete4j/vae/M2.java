package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.discrete4j.autograd.Scalars;
import org.discrete4j.distribution.LogSpace;
import org.discrete4j.distribution.OneHotCategorical;
import org.discrete4j.estimator.Estimate;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.estimator.GumbelSoftmax;
import org.discrete4j.estimator.StraightThroughGumbelSoftmax;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Parameters;

/**
 * The semi-supervised generative model M2 (Kingma, Rezende, Mohamed and Welling, "Semi-supervised learning with deep
 * generative models", NeurIPS 2014, §2.2 and §3.1.2): a class y with a uniform prior over K classes, a Gaussian
 * style z ~ N(0, I), pixels x ~ Bernoulli(decoder(y, z)); inference by the classifier q(y|x) and a Gaussian q(z|x, y).
 * Every network is an MLP with one softplus hidden layer, as in the paper's MNIST experiments.
 *
 * <p>For a labelled pair the bound is (eq. 6) {@code L(x, y) = −E_q(z|x,y)[log p(x|y, z)] + KL(q(z|x, y) ‖ p(z)) −
 * log p(y)}; for an unlabelled image (eq. 7) {@code U(x) = Σ_y q(y|x) L(x, y) − H(q(y|x))}, which with the uniform
 * prior is {@code Σ_y q(y|x) c(x, y) + KL(q(y|x) ‖ p(y))}, c the first two terms of L. {@link Method#MARGINAL}
 * computes the sum over y exactly, K passes of q(z|x, y) and p(x|y, z); the Gumbel-softmax methods (Jang, Gu and
 * Poole, ICLR 2017, §3.3) replace it by c at one relaxed (or straight-through) draw of y, one pass, keeping the KL of
 * y in closed form. Both KL terms of z are in closed form and z is reparameterised.
 */
public final class M2 {

    /** How the unlabelled bound handles the class y. */
    public enum Method {
        /** y relaxed by the Gumbel-softmax, {@link GumbelSoftmax}. */
        GUMBEL("gumbel"),
        /** y one-hot in the forward pass, the Gumbel-softmax's gradient backward, {@link StraightThroughGumbelSoftmax}. */
        ST_GUMBEL("st-gumbel"),
        /** The exact sum over the K classes (Kingma et al. eq. 7). */
        MARGINAL("marginal");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        /** The command-line name. */
        public String label() {
            return label;
        }

        /** Parses a command-line name. */
        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.label.equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown M2 method '" + s + "' (gumbel, st-gumbel or marginal)");
        }
    }

    /**
     * The sizes of the networks.
     *
     * @param pixels D, pixels per image
     * @param classes K, classes of y
     * @param latent dimension of z
     * @param hidden units of each network's hidden layer
     */
    public record Architecture(int pixels, int classes, int latent, int hidden) {
        public Architecture {
            if (pixels < 1 || classes < 2 || latent < 1 || hidden < 1) {
                throw new IllegalArgumentException("M2 needs pixels >= 1, classes >= 2, latent >= 1 and hidden >= 1, "
                        + "got " + pixels + ", " + classes + ", " + latent + ", " + hidden);
            }
        }
    }

    /**
     * The weights of the terms of Kingma et al.'s objective J^α (eq. 9) per unlabelled image: {@code mean_u U(x) +
     * labelled·mean_l L(x, y) + classification·mean_l(−log q(y|x))}.
     */
    public record Weights(double labelled, double classification) {
        /**
         * The weights that make a batch of unlabelled and one of labelled images an unbiased estimate of J^α / N_u
         * over the whole set: {@code labelled = N_l / N_u}, {@code classification = α·N_l / N_u} with the paper's
         * α = alphaPerN·N (N = N_l + N_u; Kingma et al. used alphaPerN = 0.1).
         */
        public static Weights of(int labelledCount, int unlabelledCount, double alphaPerN) {
            if (labelledCount < 1 || unlabelledCount < 1 || !(alphaPerN >= 0)) {
                throw new IllegalArgumentException("M2 weights need labelled and unlabelled images and alpha >= 0");
            }
            double ratio = (double) labelledCount / unlabelledCount;
            double alpha = alphaPerN * (labelledCount + (double) unlabelledCount);
            return new Weights(ratio, alpha * ratio);
        }
    }

    private final Architecture architecture;
    private final SequentialBlock classifier;
    private final SequentialBlock encoder;
    private final SequentialBlock decoder;
    private final ParameterStore store;

    /** The networks, initialised in {@code manager} from the engine's generator (seed it first). */
    public M2(NDManager manager, Architecture architecture) {
        this.architecture = architecture;
        int d = architecture.pixels();
        int k = architecture.classes();
        classifier = network(architecture.hidden(), k);
        encoder = network(architecture.hidden(), 2 * architecture.latent());
        decoder = network(architecture.hidden(), d);
        classifier.initialize(manager, DataType.FLOAT32, new Shape(1, d));
        encoder.initialize(manager, DataType.FLOAT32, new Shape(1, d + k));
        decoder.initialize(manager, DataType.FLOAT32, new Shape(1, architecture.latent() + k));
        store = new ParameterStore(manager, false);
    }

    private static SequentialBlock network(int hidden, int outputs) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::softPlus)
                .add(Linear.builder().setUnits(outputs).build());
    }

    public Architecture architecture() {
        return architecture;
    }

    /** The logits of q(y|x), shape (B, K), for images x of shape (B, D). */
    public NDArray logits(NDArray x) {
        return classifier.forward(store, new NDList(x), true).singletonOrThrow();
    }

    /**
     * {@code c(x, y) = −log p(x|y, z) + KL(q(z|x, y) ‖ N(0, I))} at {@code z = μ(x, y) + σ(x, y)·ε}: the part of
     * L(x, y) that depends on y, for n values of y per image.
     *
     * @param x images, shape (B, D), values in [0, 1]
     * @param y classes, one-hot or relaxed, shape (n, B, K)
     * @param eps standard normal noise, shape (n, B, latent)
     * @return shape (n, B)
     */
    public NDArray cost(NDArray x, NDArray y, NDArray eps) {
        long n = y.getShape().get(0);
        long b = x.getShape().get(0);
        int d = architecture.pixels();
        int k = architecture.classes();
        int latent = architecture.latent();
        NDArray xs = x.expandDims(0).broadcast(new Shape(n, b, d)).reshape(n * b, d);
        NDArray ys = y.reshape(n * b, k);
        NDArray h = encoder.forward(store, new NDList(xs.concat(ys, 1)), true).singletonOrThrow();
        NDArray mu = h.get(":, :{}", latent);
        // Clipped so that a wild early step cannot overflow exp; the bound is far outside the useful range.
        NDArray logVar = h.get(":, {}:", latent).clip(-20, 20);
        NDArray z = mu.add(Scalars.mul(logVar, 0.5).exp().mul(eps.reshape(n * b, latent)));
        NDArray logits = decoder.forward(store, new NDList(z.concat(ys, 1)), true).singletonOrThrow();
        // −log Bernoulli(x; sigmoid(l)) = softplus(l) − x·l, summed over pixels.
        NDArray reconstruction = LogSpace.softplus(logits).sub(logits.mul(xs)).sum(new int[] {1});
        NDArray kl = Scalars.mul(mu.square().add(logVar.exp()).sub(1).sub(logVar).sum(new int[] {1}), 0.5);
        return reconstruction.add(kl).reshape(n, b);
    }

    /** {@link #cost(NDArray, NDArray, NDArray)} with fresh noise ε from the engine's generator. */
    public NDArray cost(NDArray x, NDArray y) {
        Shape s = y.getShape();
        NDArray eps = x.getManager().randomNormal(0f, 1f, new Shape(s.get(0), s.get(1), architecture.latent()),
                DataType.FLOAT32);
        return cost(x, y, eps);
    }

    /** KL(q(y|x) ‖ uniform) = Σ_y q log q + log K, per image, shape (B). */
    public NDArray classKl(NDArray logits) {
        NDArray logq = logits.logSoftmax(1);
        return logq.exp().mul(logq).sum(new int[] {1}).add((float) Math.log(architecture.classes()));
    }

    /** The labelled bound L(x, y) of eq. 6 per image, shape (B); {@code labels} one-hot, shape (B, K). */
    public NDArray labelled(NDArray x, NDArray labels) {
        return cost(x, labels.expandDims(0)).squeeze(0).add((float) Math.log(architecture.classes()));
    }

    /**
     * The unlabelled bound U(x) of eq. 7 with the sum over y computed exactly, per image, shape (B): every image
     * goes through q(z|x, y) and p(x|y, z) once for each of the K classes.
     *
     * @param eps noise, shape (K, B, latent): row y is used with class y
     */
    public NDArray marginal(NDArray x, NDArray logits, NDArray eps) {
        int k = architecture.classes();
        long b = x.getShape().get(0);
        NDArray classes = x.getManager().eye(k).reshape(k, 1, k).broadcast(new Shape(k, b, k));
        NDArray costs = cost(x, classes, eps); // (K, B)
        NDArray q = logits.softmax(1).transpose(); // (K, B)
        return q.mul(costs).sum(new int[] {0}).add(classKl(logits));
    }

    /** {@link #marginal(NDArray, NDArray, NDArray)} with fresh noise. */
    public NDArray marginal(NDArray x, NDArray logits) {
        NDArray eps = x.getManager().randomNormal(0f, 1f,
                new Shape(architecture.classes(), x.getShape().get(0), architecture.latent()), DataType.FLOAT32);
        return marginal(x, logits, eps);
    }

    /**
     * The mean over the batch of U(x), whose gradient is the method's: exact for {@link Method#MARGINAL}, the
     * (straight-through) Gumbel-softmax estimate at temperature τ otherwise. Its value is U at the relaxed draw for
     * the Gumbel-softmax, at the one-hot draw for straight-through.
     */
    public NDArray unlabelled(NDArray x, Method method, double tau) {
        NDArray logits = logits(x);
        if (method == Method.MARGINAL) {
            return marginal(x, logits).mean();
        }
        GradientEstimator estimator = method == Method.GUMBEL ? new GumbelSoftmax(tau)
                : new StraightThroughGumbelSoftmax(tau);
        Estimate e = estimator.estimate(OneHotCategorical.ofLogits(logits), y -> cost(x, y));
        return Scalars.div(e.surrogate(), x.getShape().get(0)).add(classKl(logits).mean());
    }

    /**
     * Kingma et al.'s J^α (eq. 9) on one batch, per unlabelled image (see {@link Weights}).
     *
     * @param unlabelled images, shape (B_u, D)
     * @param labelled images, shape (B_l, D)
     * @param labels their classes, one-hot, shape (B_l, K)
     */
    public NDArray objective(NDArray unlabelled, NDArray labelled, NDArray labels, Method method, double tau,
            Weights weights) {
        NDArray u = unlabelled(unlabelled, method, tau);
        NDArray l = labelled(labelled, labels).mean();
        NDArray crossEntropy = logits(labelled).logSoftmax(1).mul(labels).sum(new int[] {1}).neg().mean();
        return u.add(Scalars.mul(l, weights.labelled())).add(Scalars.mul(crossEntropy, weights.classification()));
    }

    /** Decoder means {@code sigmoid(logits(z, y))} for z of shape (B, latent) and one-hot y of shape (B, K). */
    public NDArray generate(NDArray z, NDArray y) {
        NDArray logits = decoder.forward(store, new NDList(z.concat(y, 1)), false).singletonOrThrow();
        return logits.getNDArrayInternal().sigmoid();
    }

    /** Every parameter array, in a fixed order (for the optimiser). */
    public List<NDArray> parameters() {
        return new ArrayList<>(named().values());
    }

    /** Every parameter array by name (for checkpoints). */
    public Map<String, NDArray> named() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.putAll(Parameters.named(classifier, "classifier."));
        out.putAll(Parameters.named(encoder, "encoder."));
        out.putAll(Parameters.named(decoder, "decoder."));
        return out;
    }

    /** Copies the parameters saved under {@link #named} from a checkpoint. */
    public void restore(Checkpoint checkpoint) {
        Parameters.restore(classifier, "classifier.", checkpoint);
        Parameters.restore(encoder, "encoder.", checkpoint);
        Parameters.restore(decoder, "decoder.", checkpoint);
    }
}
