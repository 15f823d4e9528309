package org.discrete4j.train;

import java.util.SplittableRandom;

/**
 * Seeds derived from a run's seed for each chunk of work. A training run reseeds every random source at the start
 * of each chunk (epoch, block of iterations) from {@code of(seed, chunk)} instead of carrying generator state
 * across chunks: the state of the engine's generator cannot be saved, and this way a run resumed from a checkpoint
 * at a chunk boundary draws exactly what the uninterrupted run would have.
 */
public final class Seeds {

    private Seeds() {}

    /** A well-mixed seed for the stream identified by {@code path} under {@code seed} (SplitMix64 finaliser). */
    public static long of(long seed, long... path) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : path) {
            h = mix(h + 0x9E3779B97F4A7C15L * (p + 1));
        }
        return h;
    }

    /** A seed for the engine generator, which takes an int. */
    public static int engineSeed(long seed, long... path) {
        long h = of(seed, path);
        return (int) (h ^ (h >>> 32)) & Integer.MAX_VALUE;
    }

    /**
     * A uniformly random permutation of 0..n−1 (Fisher–Yates) drawn with {@code rng}: the order of an epoch, from a
     * generator seeded by {@link #of} so that a resumed run shuffles as the uninterrupted one.
     */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
