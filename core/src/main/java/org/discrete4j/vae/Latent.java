package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import java.util.Map;
import org.discrete4j.distribution.Distribution;

/**
 * A layer of discrete latent variables with a fixed prior: how a network's output parameterises the posterior q, how
 * a draw (or a relaxed draw) is fed to the next network, and the KL divergence from q to the prior in closed form.
 *
 * <p>Shapes: the network output has shape {@code (..., parameters())}; q has batch shape {@code (..., units)} (and for
 * categorical variables event shape {@code (classes)}); {@link #flatten} maps a value of q's shape back to
 * {@code (..., width())}.
 */
public interface Latent {

    /** The command-line name: bernoulli, categorical, poisson or binomial. */
    String name();

    /** The width of the network output that parameterises q. */
    int parameters();

    /** The width of a flattened draw, the input of the next network. */
    int width();

    /** q from a network output of shape {@code (..., parameters())}. */
    Distribution posterior(NDArray output);

    /** A draw of shape {@code (...) + q's batch tail + event} as {@code (..., width())}. */
    NDArray flatten(NDArray z);

    /** {@code KL(q ‖ prior)} per leading element, summed over the latent variables: shape {@code (...)}. */
    NDArray kl(Distribution q);

    /** The prior with batch shape {@code batch + (units)} (and the event shape of q). */
    Distribution prior(NDManager manager, Shape batch);

    /** The layer's settings for a results file. */
    Map<String, Object> describe();

    /**
     * A layer by name with the sizes of Jang, Gu and Poole (ICLR 2017, §4.2): 200 Bernoulli units, or 20 categorical
     * variables of 10 classes; Poisson (prior rate 1) and binomial (10 trials, prior probability 1/2) layers of 20
     * units. {@code units} and {@code classes} override the sizes when positive.
     */
    static Latent of(String name, int units, int classes) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "bernoulli":
                return new BernoulliLatent(units > 0 ? units : 200);
            case "categorical":
                return new CategoricalLatent(units > 0 ? units : 20, classes > 0 ? classes : 10);
            case "poisson":
                return new PoissonLatent(units > 0 ? units : 20, 1.0);
            case "binomial":
                return new BinomialLatent(units > 0 ? units : 20, classes > 0 ? classes : 10);
            default:
                throw new IllegalArgumentException("unknown latent '" + name
                        + "' (bernoulli, categorical, poisson or binomial)");
        }
    }

    /** Sums the last {@code dims} dimensions of {@code x}. */
    static NDArray sumLast(NDArray x, int dims) {
        int rank = x.getShape().dimension();
        int[] axes = new int[dims];
        for (int i = 0; i < dims; i++) {
            axes[i] = rank - dims + i;
        }
        return x.sum(axes);
    }

    /** The checks every layer makes of its sizes. */
    static int checkUnits(int units) {
        if (units < 1) {
            throw new IllegalArgumentException("a latent layer needs >= 1 unit, got " + units);
        }
        return units;
    }
}
