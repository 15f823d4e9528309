package org.discrete4j.vae;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Documents drawn from a known Poisson topic model, the model {@link TopicModel} learns, so that what is learned can
 * be checked against the truth.
 *
 * <p>The generator, all from one seed:
 *
 * <ol>
 *   <li>Topics: each of the K topics picks {@code wordsPerTopic} distinct words of the V at random and gives them
 *       Dirichlet(1, ..., 1) weights (normalised Exp(1) draws); then {@code β_k = (1 − floor)·weights + floor/V}, so
 *       every word has some probability under every topic.
 *   <li>Each document d: topic counts {@code z_dk ~ Poisson(priorRate)} independently for k = 1..K; a length N_d
 *       uniform on {@code minLength..maxLength}; then N_d words drawn independently from {@code p(w|z_d) = Σ_k
 *       π_k β_kw} with {@code π = (z_d + a)/Σ_j (z_dj + a)}, a = {@code smoothing}.
 * </ol>
 *
 * <p>So a document is an admixture of the topics in proportion to their Poisson counts, as LDA's documents are in
 * proportion to Dirichlet draws; with a small prior rate most counts are 0 and each document uses a few topics.
 */
public final class SyntheticCorpus {

    /**
     * The generator's settings.
     *
     * @param topics K
     * @param vocabulary V
     * @param wordsPerTopic words each topic puts its weight on
     * @param floor share of each topic spread evenly over all V words
     * @param priorRate λ0 of the Poisson topic counts
     * @param smoothing a, added to every count before normalising
     * @param minLength shortest document
     * @param maxLength longest document
     */
    public record Settings(int topics, int vocabulary, int wordsPerTopic, double floor, double priorRate,
            double smoothing, int minLength, int maxLength) {
        public Settings {
            if (topics < 1 || vocabulary < 2 || wordsPerTopic < 1 || wordsPerTopic > vocabulary) {
                throw new IllegalArgumentException("the generator needs topics >= 1, vocabulary >= 2 and 1 <= "
                        + "wordsPerTopic <= vocabulary");
            }
            if (!(floor >= 0 && floor < 1) || !(priorRate > 0) || !(smoothing > 0) || Double.isInfinite(priorRate)
                    || Double.isInfinite(smoothing)) {
                throw new IllegalArgumentException("the generator needs floor in [0, 1), priorRate > 0 and "
                        + "smoothing > 0");
            }
            if (minLength < 1 || maxLength < minLength) {
                throw new IllegalArgumentException("document lengths need 1 <= minLength <= maxLength, got "
                        + minLength + ".." + maxLength);
            }
        }

        /** K = 10 topics over V = 500 words, 50 words each, λ0 = 0.3, a = 0.05, 50 to 150 words a document. */
        public static Settings defaults() {
            return new Settings(10, 500, 50, 0.01, 0.3, 0.05, 50, 150);
        }
    }

    /** The true topics {@code topics[k][w] = β_kw}. */
    public record Truth(Settings settings, double[][] topics) {}

    /** Documents and the topic counts {@code z[d][k]} that generated them. */
    public record Sample(Corpus corpus, int[][] z) {}

    private SyntheticCorpus() {}

    /** The topics, drawn with {@code seed}. */
    public static Truth truth(Settings s, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] beta = new double[s.topics()][s.vocabulary()];
        int[] words = new int[s.vocabulary()];
        for (int k = 0; k < s.topics(); k++) {
            for (int w = 0; w < words.length; w++) {
                words[w] = w;
            }
            double[] weights = new double[s.wordsPerTopic()];
            double total = 0;
            for (int i = 0; i < weights.length; i++) {
                int j = i + rng.nextInt(words.length - i); // partial Fisher–Yates: words[0..i] are the chosen ones
                int t = words[i];
                words[i] = words[j];
                words[j] = t;
                weights[i] = -Math.log(1 - rng.nextDouble()); // Exp(1)
                total += weights[i];
            }
            java.util.Arrays.fill(beta[k], s.floor() / s.vocabulary());
            for (int i = 0; i < weights.length; i++) {
                beta[k][words[i]] += (1 - s.floor()) * weights[i] / total;
            }
        }
        return new Truth(s, beta);
    }

    /** {@code documents} documents drawn from {@code truth} with {@code seed}. */
    public static Sample sample(Truth truth, int documents, long seed) {
        Settings s = truth.settings();
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] z = new int[documents][s.topics()];
        int[][] words = new int[documents][];
        int[][] counts = new int[documents][];
        double[] cdf = new double[s.vocabulary()];
        int[] bag = new int[s.vocabulary()];
        for (int d = 0; d < documents; d++) {
            double norm = 0;
            for (int k = 0; k < s.topics(); k++) {
                z[d][k] = poisson(s.priorRate(), rng);
                norm += z[d][k] + s.smoothing();
            }
            double acc = 0;
            for (int w = 0; w < s.vocabulary(); w++) {
                double p = 0;
                for (int k = 0; k < s.topics(); k++) {
                    p += (z[d][k] + s.smoothing()) / norm * truth.topics()[k][w];
                }
                acc += p;
                cdf[w] = acc;
            }
            int length = s.minLength() + rng.nextInt(s.maxLength() - s.minLength() + 1);
            java.util.Arrays.fill(bag, 0);
            int distinct = 0;
            for (int i = 0; i < length; i++) {
                int w = search(cdf, rng.nextDouble() * acc);
                if (bag[w]++ == 0) {
                    distinct++;
                }
            }
            words[d] = new int[distinct];
            counts[d] = new int[distinct];
            for (int w = 0, j = 0; w < bag.length; w++) {
                if (bag[w] > 0) {
                    words[d][j] = w;
                    counts[d][j++] = bag[w];
                }
            }
        }
        String[] vocabulary = new String[s.vocabulary()];
        for (int w = 0; w < vocabulary.length; w++) {
            vocabulary[w] = String.format(Locale.ROOT, "w%04d", w);
        }
        String source = String.format(Locale.ROOT, "synthetic (K=%d, V=%d, %d words/topic, lambda0=%g, a=%g, "
                + "lengths %d..%d, seed %d)", s.topics(), s.vocabulary(), s.wordsPerTopic(), s.priorRate(),
                s.smoothing(), s.minLength(), s.maxLength(), seed);
        return new Sample(new Corpus(source, vocabulary, words, counts), z);
    }

    /** The first index whose cumulative value exceeds u. */
    private static int search(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** A Poisson(λ) draw by Knuth's product of uniforms: exact, and fast for the small rates used here. */
    static int poisson(double rate, SplittableRandom rng) {
        if (rate > 30) {
            throw new IllegalArgumentException("the generator's Poisson draws are meant for small rates, got " + rate);
        }
        double limit = Math.exp(-rate);
        double product = rng.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= rng.nextDouble();
            k++;
        }
        return k;
    }
}
