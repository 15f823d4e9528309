package org.discrete4j.learn;

import java.util.function.LongConsumer;
import org.discrete4j.data.Binarization;
import org.discrete4j.data.Datasets;
import org.discrete4j.data.ImageSet;
import org.discrete4j.diagnostic.Ais;
import org.discrete4j.diagnostic.RbmAis;
import org.discrete4j.model.AnnealedModel;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Rbm;
import org.discrete4j.sampler.Kernel;
import org.discrete4j.sampler.Samplers;
import org.discrete4j.train.Seeds;

/**
 * Test log-likelihood of an energy model, mean log p̃(x) − log Z over a data set, with log Z from annealed
 * importance sampling as Grathwohl et al. (ICML 2021) evaluate deep energy models: the base is the Bernoulli fitted
 * to the training data's pixel means (clipped to [0.01, 0.99]), the schedule linear in β, one transition per
 * temperature. The transition is any exact kernel by its {@link Samplers} name; for an {@link Rbm} with
 * {@code rbm-gibbs} the run follows the path of Salakhutdinov and Murray (2008) on which block Gibbs is exact
 * ({@link RbmAis}), and otherwise the geometric path p̃^β π₀^{1−β} of {@link Ais}.
 *
 * <p>AIS underestimates log Z in expectation when the schedule is too short (Jensen's inequality on log mean e^w),
 * so a log-likelihood from too few temperatures is optimistic; the weights' effective number flags a poor run.
 */
public final class AisLikelihood {

    /** The block-Gibbs kernel name that selects {@link RbmAis} for an RBM. */
    public static final String RBM_GIBBS = "rbm-gibbs";

    private AisLikelihood() {}

    /**
     * @param logZ log Ẑ
     * @param logZStderr its delta-method standard error over the AIS runs
     * @param weightEss effective number of AIS runs
     * @param meanLogProb mean log p̃(x) over the data
     * @param meanLogProbStderr its standard error over the data (sd / √n)
     * @param logLikelihood meanLogProb − logZ, nats per example
     */
    public record Result(String sampler, int chains, int temperatures, double logZ, double logZStderr,
            double weightEss, double meanLogProb, double meanLogProbStderr, double logLikelihood) {}

    /**
     * The training images as a run sees them: binarised with {@code binarization}, a static draw seeded by
     * {@code dataSeed} (not by the run's seed, so that runs with different seeds learn from the same data).
     */
    public static ImageSet trainingSet(ImageSet train, Binarization binarization, long dataSeed) {
        return binarization.prepare(train, Seeds.of(dataSeed, 1));
    }

    /**
     * Binary evaluation images of one split as {@code count × dim} ints 0/1: thresholded for THRESHOLD, otherwise a
     * static draw seeded by {@code dataSeed} (also for DYNAMIC, whose test set must be fixed to be a test set). The
     * training split gets the draw of {@link #trainingSet}, so a statically binarised model is scored on the very
     * images it learnt from; the test split gets its own draw, the same for every model evaluated with the same data
     * seed, so that their log-likelihoods compare.
     */
    public static int[] evaluationSet(ImageSet images, Datasets.Split split, Binarization binarization,
            long dataSeed) {
        Binarization b = binarization == Binarization.THRESHOLD ? Binarization.THRESHOLD : Binarization.STATIC;
        return RbmEvaluation.binary(b.prepare(images, Seeds.of(dataSeed, split == Datasets.Split.TRAIN ? 1 : 2)));
    }

    /** The AIS base: the data's pixel means clipped to [0.01, 0.99]. */
    public static double[] baseMean(double[] dataMean) {
        double[] p = new double[dataMean.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = RbmTrainer.clip(dataMean[i]);
        }
        return p;
    }

    /**
     * log Z of {@code model} by AIS from the Bernoulli base fitted to {@code dataMean}, {@code chains} runs over
     * {@code temperatures} values of β with the kernel {@code sampler}; {@code progress} (may be null) hears the
     * number of finished runs where the path reports it.
     */
    public static Ais.Result logZ(EnergyModel model, String sampler, double[] dataMean, int chains, int temperatures,
            long seed, LongConsumer progress) {
        if (model.numValues() != 2) {
            throw new IllegalArgumentException("a Bernoulli AIS base needs a binary model, got K = "
                    + model.numValues());
        }
        if (dataMean.length != model.dim()) {
            throw new IllegalArgumentException("data have " + dataMean.length + " pixels, the model " + model.dim()
                    + " sites");
        }
        double[] base = baseMean(dataMean);
        if (RBM_GIBBS.equals(sampler) && model instanceof Rbm) {
            return RbmAis.run((Rbm) model, base, chains, temperatures, seed, progress);
        }
        Kernel kernel = Samplers.create(sampler);
        if (!kernel.exact()) {
            throw new IllegalArgumentException("AIS needs an exact kernel; " + sampler + " is approximate");
        }
        Ais.Result r = Ais.run(AnnealedModel.bernoulli(model, base), kernel, chains, temperatures, seed);
        if (progress != null) {
            progress.accept(chains);
        }
        return r;
    }

    /** The test log-likelihood of the {@code n} binary examples in {@code x} given log Z from {@link #logZ}. */
    public static Result of(EnergyModel model, String sampler, Ais.Result ais, int[] x, int n) {
        double[] m = meanLogProb(model, x, n);
        return new Result(sampler, ais.logWeights().length, ais.temperatures(), ais.logZ(), ais.stderr(),
                ais.weightEss(), m[0], m[1], m[0] - ais.logZ());
    }

    /**
     * Mean and standard error (sd/√n) of log p̃ over the {@code n} examples in {@code x} ({@code n × dim} values),
     * evaluated in blocks so a neural energy never sees a huge batch.
     */
    public static double[] meanLogProb(EnergyModel model, int[] x, int n) {
        int d = model.dim();
        if (n < 1 || x.length != (long) n * d) {
            throw new IllegalArgumentException("data must hold n × dim = " + n + " × " + d + " values, got "
                    + x.length);
        }
        int block = 500;
        double[] lp = new double[Math.min(block, n)];
        int[] part = new int[Math.min(block, n) * d];
        double sum = 0;
        double sumSq = 0;
        for (int from = 0; from < n; from += block) {
            int m = Math.min(block, n - from);
            int[] rows = m * d == part.length ? part : new int[m * d];
            System.arraycopy(x, from * d, rows, 0, m * d);
            model.logProb(rows, m, lp);
            for (int r = 0; r < m; r++) {
                sum += lp[r];
                sumSq += lp[r] * lp[r];
            }
        }
        double mean = sum / n;
        double var = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
        return new double[] {mean, Math.sqrt(var / n)};
    }
}
