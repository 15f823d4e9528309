package org.discrete4j.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.discrete4j.train.Seeds;

/**
 * Documents as bags of words: for document d, the distinct word ids {@code words[d]} (0-based, into
 * {@code vocabulary}) and their counts {@code counts[d]}, all positive. Immutable by convention; {@code source} says
 * where it came from.
 */
public record Corpus(String source, String[] vocabulary, int[][] words, int[][] counts) {

    public Corpus {
        if (vocabulary.length == 0) {
            throw new IllegalArgumentException("a corpus needs a vocabulary");
        }
        if (words.length != counts.length) {
            throw new IllegalArgumentException("words and counts must list the same documents");
        }
        for (int d = 0; d < words.length; d++) {
            if (words[d].length != counts[d].length) {
                throw new IllegalArgumentException("document " + d + " has " + words[d].length + " word ids and "
                        + counts[d].length + " counts");
            }
            for (int i = 0; i < words[d].length; i++) {
                if (words[d][i] < 0 || words[d][i] >= vocabulary.length || counts[d][i] < 1) {
                    throw new IllegalArgumentException("document " + d + " has word id " + words[d][i]
                            + " (vocabulary of " + vocabulary.length + ") with count " + counts[d][i]);
                }
            }
        }
    }

    public int documents() {
        return words.length;
    }

    public int vocabularySize() {
        return vocabulary.length;
    }

    /** Words in document d, repeats counted. */
    public int length(int d) {
        int n = 0;
        for (int c : counts[d]) {
            n += c;
        }
        return n;
    }

    /** Words in the whole corpus, repeats counted. */
    public long tokens() {
        long n = 0;
        for (int d = 0; d < documents(); d++) {
            n += length(d);
        }
        return n;
    }

    /** The word counts of documents {@code docs} as a dense float32 (docs.length, V) array. */
    public NDArray dense(NDManager manager, int[] docs) {
        int v = vocabularySize();
        float[] out = new float[docs.length * v];
        for (int r = 0; r < docs.length; r++) {
            int d = docs[r];
            for (int i = 0; i < words[d].length; i++) {
                out[r * v + words[d][i]] += counts[d][i];
            }
        }
        return manager.create(out, new Shape(docs.length, v));
    }

    /** Documents {@code docs}, in that order. */
    public Corpus subset(int[] docs, String label) {
        int[][] w = new int[docs.length][];
        int[][] c = new int[docs.length][];
        for (int r = 0; r < docs.length; r++) {
            w[r] = words[docs[r]];
            c[r] = counts[docs[r]];
        }
        return new Corpus(source + " (" + label + ")", vocabulary, w, c);
    }

    /** The documents with at least one word (a document without words has no perplexity). */
    public Corpus nonEmpty() {
        int[] keep = java.util.stream.IntStream.range(0, documents()).filter(d -> words[d].length > 0).toArray();
        return keep.length == documents() ? this : subset(keep, "non-empty");
    }

    /** A training part and a held-out part of a corpus. */
    public record Split(Corpus train, Corpus test) {}

    /** Holds out {@code round(fraction·D)} documents (at least one) chosen at random with {@code seed}. */
    public Split split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the held-out fraction must lie in (0, 1), got " + fraction);
        }
        int n = documents();
        int held = (int) Math.max(1, Math.round(fraction * n));
        if (held >= n) {
            throw new IllegalArgumentException("a corpus of " + n + " documents cannot be split");
        }
        int[] order = Seeds.permutation(n, new SplittableRandom(seed));
        int[] test = Arrays.copyOf(order, held);
        int[] train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(test);
        Arrays.sort(train);
        return new Split(subset(train, "train"), subset(test, "held out"));
    }
}
