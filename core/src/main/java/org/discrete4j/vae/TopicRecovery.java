package org.discrete4j.vae;

import java.util.Arrays;

/**
 * How well learned topics recover true ones. Topics are identified only up to order, so each true topic is paired
 * with a distinct learned one, greedily by decreasing cosine similarity of their word distributions (the greedy
 * pairing's mean similarity is at most the best pairing's); for each pair the cosine similarity and the total
 * variation distance {@code ½ Σ_w |β_w − β'_w|} are reported.
 *
 * @param match {@code match[i]} is the learned topic paired with true topic i, or −1 if there are fewer learned topics
 * @param cosine the pairs' cosine similarities (NaN where unpaired)
 * @param totalVariation the pairs' total variation distances (NaN where unpaired)
 */
public record TopicRecovery(int[] match, double[] cosine, double[] totalVariation) {

    /** Pairs every true topic (rows of {@code truth}) with a learned one (rows of {@code learned}). */
    public static TopicRecovery of(double[][] truth, double[][] learned) {
        int t = truth.length;
        int l = learned.length;
        double[][] similarity = new double[t][l];
        for (int i = 0; i < t; i++) {
            if (learned.length > 0 && truth[i].length != learned[0].length) {
                throw new IllegalArgumentException("true and learned topics have different vocabularies");
            }
            for (int j = 0; j < l; j++) {
                similarity[i][j] = cosine(truth[i], learned[j]);
            }
        }
        int[] match = new int[t];
        Arrays.fill(match, -1);
        boolean[] used = new boolean[l];
        for (int pair = 0; pair < Math.min(t, l); pair++) {
            int bi = -1;
            int bj = -1;
            for (int i = 0; i < t; i++) {
                if (match[i] >= 0) {
                    continue;
                }
                for (int j = 0; j < l; j++) {
                    if (!used[j] && (bi < 0 || similarity[i][j] > similarity[bi][bj])) {
                        bi = i;
                        bj = j;
                    }
                }
            }
            match[bi] = bj;
            used[bj] = true;
        }
        double[] cos = new double[t];
        double[] tv = new double[t];
        for (int i = 0; i < t; i++) {
            if (match[i] < 0) {
                cos[i] = Double.NaN;
                tv[i] = Double.NaN;
                continue;
            }
            cos[i] = similarity[i][match[i]];
            double d = 0;
            for (int w = 0; w < truth[i].length; w++) {
                d += Math.abs(truth[i][w] - learned[match[i]][w]);
            }
            tv[i] = d / 2;
        }
        return new TopicRecovery(match, cos, tv);
    }

    /** Mean cosine similarity over the paired true topics. */
    public double meanCosine() {
        return Arrays.stream(cosine).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** Mean total variation distance over the paired true topics. */
    public double meanTotalVariation() {
        return Arrays.stream(totalVariation).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
