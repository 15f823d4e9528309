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
import java.util.Map;
import org.discrete4j.autograd.Scalars;
import org.discrete4j.distribution.LogSpace;
import org.discrete4j.distribution.Poisson;
import org.discrete4j.estimator.GradientEstimator;
import org.discrete4j.train.Checkpoint;
import org.discrete4j.train.Parameters;

/**
 * A neural topic model with count latents, trained as a variational autoencoder (the neural variational document
 * model of Miao, Yu and Blunsom, ICML 2016, with the Gaussian latent replaced by Poisson counts, as in the topic-model
 * experiments of the generalized Gumbel-softmax paper, Joo, Kim, Shin and Moon, arXiv:2003.01847):
 *
 * <ul>
 *   <li>prior: K topic counts {@code z_k ~ Poisson(λ0)} independently;
 *   <li>likelihood: each word of a document independently from {@code p(w|z) = Σ_k π_k(z) β_kw}, {@code π = (z +
 *       a)/Σ_j (z_j + a)}, topics {@code β_k = softmax(φ_k)} (the model {@link SyntheticCorpus} generates from);
 *   <li>posterior: {@code q(z|x) = Π_k Poisson(λ_k(x))}, the log-rates from an MLP of {@code log(1 + counts)}.
 * </ul>
 *
 * <p>The bound {@code ELBO(x) = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z))} has the Poisson KL in closed form, {@code Σ_k
 * λ_k log(λ_k/λ0) − λ_k + λ0}; the gradient of the expectation comes from any estimator for a Poisson (GenGS, a
 * score-function estimator), which evaluates the likelihood at relaxed counts z ≥ 0 or at draws. Log-likelihoods
 * leave out the multinomial coefficient, as perplexities conventionally do (it does not depend on the model).
 */
public final class TopicModel {

    /** Log-rates are squashed into (−BOUND, BOUND) by BOUND·tanh(h/BOUND): rates from 0.007 to 148 keep the
     * generalized Gumbel-softmax's truncation short and the gradient alive everywhere (a clip would zero it). */
    static final double LOG_RATE_BOUND = 5;

    /**
     * The sizes and the prior.
     *
     * @param vocabulary V
     * @param topics K
     * @param hidden units of each of the encoder's two hidden layers
     * @param priorRate λ0
     * @param smoothing a
     */
    public record Architecture(int vocabulary, int topics, int hidden, double priorRate, double smoothing) {
        public Architecture {
            if (vocabulary < 2 || topics < 1 || hidden < 1 || !(priorRate > 0) || !(smoothing > 0)) {
                throw new IllegalArgumentException("a topic model needs vocabulary >= 2, topics >= 1, hidden >= 1, "
                        + "priorRate > 0 and smoothing > 0");
            }
        }
    }

    /** Per-document bounds on log p(x): the ELBO and the importance-weighted bound (both ≤ log p(x)). */
    public record Bounds(double[] elbo, double[] importanceWeighted) {}

    private final Architecture architecture;
    private final SequentialBlock encoder;
    private final ParameterStore store;
    private final NDArray topicLogits;
    private final boolean learnTopics;

    /**
     * A model whose encoder (and topics, unless {@code fixedTopics} is given) are initialised from the engine's
     * generator in {@code manager}.
     *
     * @param fixedTopics {@code β} (K × V) to hold fixed, e.g. the truth of a synthetic corpus; null to learn them
     */
    public TopicModel(NDManager manager, Architecture architecture, double[][] fixedTopics) {
        this.architecture = architecture;
        int k = architecture.topics();
        int v = architecture.vocabulary();
        encoder = new SequentialBlock()
                .add(Linear.builder().setUnits(architecture.hidden()).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(architecture.hidden()).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(k).build());
        encoder.initialize(manager, DataType.FLOAT32, new Shape(1, v));
        store = new ParameterStore(manager, false);
        learnTopics = fixedTopics == null;
        if (learnTopics) {
            topicLogits = manager.randomNormal(0f, 1f, new Shape(k, v), DataType.FLOAT32);
            topicLogits.setRequiresGradient(true);
        } else {
            if (fixedTopics.length != k || fixedTopics[0].length != v) {
                throw new IllegalArgumentException("fixed topics must be " + k + " x " + v);
            }
            float[] logBeta = new float[k * v];
            for (int i = 0; i < k; i++) {
                for (int w = 0; w < v; w++) {
                    logBeta[i * v + w] = (float) Math.log(fixedTopics[i][w]);
                }
            }
            topicLogits = manager.create(logBeta, new Shape(k, v));
        }
    }

    public Architecture architecture() {
        return architecture;
    }

    /** Whether the topics are parameters (or held fixed). */
    public boolean learnsTopics() {
        return learnTopics;
    }

    /** log λ(x), shape (B, K), for word counts of shape (B, V). */
    public NDArray logRates(NDArray counts) {
        NDArray h = encoder.forward(store, new NDList(counts.add(1).log()), true).singletonOrThrow();
        return Scalars.mul(Scalars.div(h, LOG_RATE_BOUND).tanh(), LOG_RATE_BOUND);
    }

    /** The topics β = softmax(φ), (K, V), attached to {@code manager} so that per-step work stays there. */
    private NDArray beta(NDManager manager) {
        NDArray beta = topicLogits.softmax(1);
        beta.attach(manager);
        return beta;
    }

    /**
     * {@code log p(x|z) = Σ_w x_w log Σ_k π_k(z) β_kw} for counts x of shape (B, V) and topic counts (or relaxed
     * counts) z of shape (n, B, K); shape (n, B).
     */
    public NDArray logLikelihood(NDArray counts, NDArray z) {
        Shape s = z.getShape();
        long n = s.get(0);
        long b = s.get(1);
        int k = architecture.topics();
        int v = architecture.vocabulary();
        NDArray weights = z.add((float) architecture.smoothing());
        NDArray pi = weights.div(weights.sum(new int[] {2}, true)).reshape(n * b, k);
        NDArray p = pi.matMul(beta(counts.getManager())).reshape(n, b, v);
        return Scalars.maximum(p, 1e-30).log().mul(counts.expandDims(0)).sum(new int[] {2});
    }

    /** KL(Poisson(λ) ‖ Poisson(λ0)) summed over the topics, shape (B), from log λ of shape (B, K). */
    public NDArray kl(NDArray logRate) {
        NDArray rate = logRate.exp();
        double logPrior = Math.log(architecture.priorRate());
        return rate.mul(logRate.sub((float) logPrior)).sub(rate).add((float) architecture.priorRate())
                .sum(new int[] {1});
    }

    /**
     * The mean negative ELBO over a batch of documents, as a surrogate whose gradient is {@code estimator}'s for the
     * expected log-likelihood plus the exact gradient of the KL.
     */
    public NDArray loss(NDArray counts, GradientEstimator estimator) {
        NDArray logRate = logRates(counts);
        NDArray expected = estimator.estimate(Poisson.ofLogRate(logRate), z -> logLikelihood(counts, z).neg())
                .surrogate();
        return Scalars.div(expected, counts.getShape().get(0)).add(kl(logRate).mean());
    }

    /**
     * Bounds on log p(x) per document from {@code samples} exact draws of q(z|x): the ELBO (the draws' mean
     * log-likelihood minus the closed-form KL) and the importance-weighted bound {@code log (1/S) Σ_s p(x, z_s) /
     * q(z_s|x)} (Burda, Grosse and Salakhutdinov, ICLR 2016), which tightens as S grows.
     */
    public Bounds bounds(NDArray counts, int samples) {
        NDArray logRate = logRates(counts);
        Poisson q = Poisson.ofLogRate(logRate);
        NDArray z = q.sample(new Shape(samples));
        NDArray ll = logLikelihood(counts, z);
        NDArray prior = Poisson.ofRate(logRate.zerosLike().add((float) architecture.priorRate())).logProb(z)
                .sum(new int[] {2});
        NDArray logq = q.logProb(z).sum(new int[] {2});
        NDArray elbo = ll.mean(new int[] {0}).sub(kl(logRate));
        NDArray iw = LogSpace.logSumExp(ll.add(prior).sub(logq), 0, false).sub((float) Math.log(samples));
        return new Bounds(toDoubles(elbo), toDoubles(iw));
    }

    private static double[] toDoubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** The topics β (K × V) as probabilities. */
    public double[][] topics() {
        double[] flat;
        try (NDManager scratch = topicLogits.getManager().newSubManager()) {
            flat = toDoubles(beta(scratch));
        }
        int v = architecture.vocabulary();
        double[][] out = new double[architecture.topics()][];
        for (int k = 0; k < out.length; k++) {
            out[k] = java.util.Arrays.copyOfRange(flat, k * v, (k + 1) * v);
        }
        return out;
    }

    /** The arrays an optimiser updates: the encoder's, and the topics' when they are learned. */
    public List<NDArray> parameters() {
        List<NDArray> out = new ArrayList<>(Parameters.of(encoder));
        if (learnTopics) {
            out.add(topicLogits);
        }
        return out;
    }

    /** Every array of the model by name (for checkpoints). */
    public Map<String, NDArray> named() {
        Map<String, NDArray> out = new LinkedHashMap<>(Parameters.named(encoder, "encoder."));
        out.put("topics", topicLogits);
        return out;
    }

    /** Copies the arrays saved under {@link #named} from a checkpoint. */
    public void restore(Checkpoint checkpoint) {
        Parameters.restore(encoder, "encoder.", checkpoint);
        checkpoint.restore("topics", topicLogits);
    }
}
