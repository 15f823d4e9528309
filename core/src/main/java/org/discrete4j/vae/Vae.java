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
 * A variational autoencoder for binary images with one layer of discrete latent variables (Kingma and Welling, ICLR
 * 2014; with discrete latents as in Jang, Gu and Poole, ICLR 2017, §4.2): an MLP encoder gives the posterior
 * q(z | x) of a {@link Latent} layer, an MLP decoder the Bernoulli pixel logits of p(x | z), and the prior is fixed.
 *
 * <p>The loss of a batch is the negative ELBO {@code E_q[−log p(x | z)] + KL(q ‖ p)} averaged over its rows: the
 * expectation goes through a {@link GradientEstimator} with {@code f(z) = −log p(x | z)} (at relaxed points for
 * relaxed estimators, so that Gumbel-softmax training optimises the relaxed objective, as in the paper), and the KL
 * term is in closed form and differentiated exactly, as in Jang et al.'s categorical VAE.
 */
public final class Vae implements Trainable {

    private final Latent latent;
    private final int pixels;
    private final Mlp encoder;
    private final Mlp decoder;

    /**
     * @param manager where the parameters live; they are drawn from the engine's generator (seed it first)
     * @param pixels D, pixels per image
     * @param hidden the encoder's hidden widths (the decoder mirrors them), e.g. 512, 256
     */
    public Vae(NDManager manager, Latent latent, int pixels, int... hidden) {
        this.latent = latent;
        this.pixels = pixels;
        int[] enc = new int[hidden.length + 2];
        int[] dec = new int[hidden.length + 2];
        enc[0] = pixels;
        dec[0] = latent.width();
        for (int i = 0; i < hidden.length; i++) {
            enc[i + 1] = hidden[i];
            dec[i + 1] = hidden[hidden.length - 1 - i];
        }
        enc[hidden.length + 1] = latent.parameters();
        dec[hidden.length + 1] = pixels;
        encoder = new Mlp(manager, enc);
        decoder = new Mlp(manager, dec);
    }

    public Latent latent() {
        return latent;
    }

    /** q(z | x) for images x of shape {@code (B, pixels)}. */
    public Distribution posterior(NDArray x) {
        return latent.posterior(encoder.forward(x));
    }

    /** The decoder's pixel logits for draws z of shape {@code (...) + q's batch tail + event}: {@code (..., D)}. */
    public NDArray decode(NDArray z) {
        return decoder.forward(latent.flatten(z));
    }

    /** {@code −log p(x | z)} for images x {@code (B, D)} and n draws z {@code (n, B, ...)}: shape {@code (n, B)}. */
    public NDArray negativeLogLikelihood(NDArray x, NDArray z) {
        return BinaryPixels.negativeLogLikelihood(x, decode(z));
    }

    @Override
    public NDArray loss(NDArray x, List<GradientEstimator> estimators) {
        if (estimators.size() != 1) {
            throw new IllegalArgumentException("a VAE has one stochastic layer, got " + estimators.size()
                    + " estimators");
        }
        return loss(x, estimators.get(0));
    }

    /** The batch mean of the negative ELBO, differentiated by {@code estimator} (KL in closed form). */
    public NDArray loss(NDArray x, GradientEstimator estimator) {
        Distribution q = posterior(x);
        Estimate e = estimator.estimate(q, z -> negativeLogLikelihood(x, z));
        return Scalars.div(e.surrogate().add(latent.kl(q).sum()), x.getShape().get(0));
    }

    @Override
    public int stochasticLayers() {
        return 1;
    }

    /**
     * The importance-sampled bound on −log p(x) with m draws of q per row and the negative ELBO, for images x of
     * shape {@code (N, D)}; at most {@code budget} (draw, row) pairs are decoded at once.
     */
    public Evaluation evaluate(NDArray x, int samples, int budget) {
        if (samples < 1 || budget < 1) {
            throw new IllegalArgumentException("samples and budget must be >= 1");
        }
        return Evaluation.importanceSampled(x, samples, budget, (xr, scope) -> {
            Distribution q = posterior(xr);
            double[] kl = latent.kl(q).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
            Distribution prior = latent.prior(scope, new Shape(xr.getShape().get(0)));
            return new Evaluation.Block(kl, (s, inner) -> {
                NDArray z = q.sample(new Shape(s));
                inner.tempAttachAll(z);
                NDArray ll = negativeLogLikelihood(xr, z).neg();
                NDArray logw = ll.add(prior.logProb(z).sum(new int[] {-1})).sub(q.logProb(z).sum(new int[] {-1}));
                return new Evaluation.Draws(ll, logw);
            });
        });
    }

    /** Bernoulli means of p(x | z) at one draw of q(z | x) per image: {@code (N, D)} values in [0, 1]. */
    public float[][] reconstruct(NDArray x) {
        try (GradMode off = GradMode.disabled(); NDManager scope = x.getManager().newSubManager()) {
            NDArray z = posterior(x).sample(new Shape(1));
            scope.tempAttachAll(z);
            return BinaryPixels.rows(decode(z).squeeze(0).getNDArrayInternal().sigmoid());
        }
    }

    /** Bernoulli means of p(x | z) at {@code count} draws of the prior. */
    public float[][] sample(NDManager manager, int count) {
        try (GradMode off = GradMode.disabled(); NDManager scope = manager.newSubManager()) {
            NDArray z = latent.prior(scope, new Shape(count)).sample(new Shape(1)).squeeze(0);
            return BinaryPixels.rows(decode(z).getNDArrayInternal().sigmoid());
        }
    }

    @Override
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>(encoder.named("encoder."));
        out.putAll(decoder.named("decoder."));
        return out;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "vae");
        m.put("encoder", java.util.Arrays.toString(encoder.sizes()));
        m.put("decoder", java.util.Arrays.toString(decoder.sizes()));
        m.put("activation", "relu");
        m.put("pixels", pixels);
        m.putAll(latent.describe());
        m.put("kl", "closed form, KL(q || prior) summed over the latent variables");
        return m;
    }
}
