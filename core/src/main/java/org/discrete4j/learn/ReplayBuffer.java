package org.discrete4j.learn;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The persistent chains of contrastive divergence as a replay buffer (Du &amp; Mordatch, NeurIPS 2019; used for
 * discrete EBMs by Grathwohl et al., ICML 2021): a store of binary states of which each training iteration takes a
 * batch, advances it by a few MCMC steps and writes it back. A taken state is first replaced, with probability
 * {@code reinit}, by a fresh draw from the initial distribution Bernoulli(mean), which keeps some chains young; the
 * paper's runs set it to 0 (pure persistent chains).
 *
 * <p>States are kept as bytes (0/1), slot-major: slot s occupies {@code [s·D, (s + 1)·D)}. All randomness comes from
 * the generator passed in, so a run that reseeds it per chunk draws the same slots after a resume.
 */
public final class ReplayBuffer {

    /** One batch taken from the buffer. */
    public record Draw(int[] slots, int[] states, int reinitialised) {}

    private final int size;
    private final int dim;
    private final double[] mean;
    private final double reinit;
    private final byte[] states;

    /**
     * A buffer of {@code size} states drawn from Bernoulli({@code mean}), each taken state reinitialised with
     * probability {@code reinit}.
     */
    public ReplayBuffer(int size, double[] mean, double reinit, SplittableRandom rng) {
        if (size < 1) {
            throw new IllegalArgumentException("replay buffer size must be >= 1, got " + size);
        }
        if (!(reinit >= 0 && reinit <= 1)) {
            throw new IllegalArgumentException("reinitialisation probability must be in [0, 1], got " + reinit);
        }
        for (double p : mean) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("initial Bernoulli mean must be in [0, 1], got " + p);
            }
        }
        this.size = size;
        this.dim = mean.length;
        this.mean = mean.clone();
        this.reinit = reinit;
        this.states = new byte[size * dim];
        for (int s = 0; s < size; s++) {
            fresh(s, rng);
        }
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    public double reinit() {
        return reinit;
    }

    private void fresh(int slot, SplittableRandom rng) {
        int o = slot * dim;
        for (int i = 0; i < dim; i++) {
            states[o + i] = (byte) (rng.nextDouble() < mean[i] ? 1 : 0);
        }
    }

    /**
     * Takes {@code batch} distinct slots chosen uniformly (in increasing order), reinitialising each with probability
     * {@link #reinit}; returns the slots and a copy of their states, {@code batch × D}.
     */
    public Draw draw(int batch, SplittableRandom rng) {
        if (batch < 1 || batch > size) {
            throw new IllegalArgumentException("batch must be in 1.." + size + ", got " + batch);
        }
        int[] slots = distinct(batch, size, rng);
        int[] out = new int[batch * dim];
        int reinitialised = 0;
        for (int b = 0; b < batch; b++) {
            if (reinit > 0 && rng.nextDouble() < reinit) {
                fresh(slots[b], rng);
                reinitialised++;
            }
            int o = slots[b] * dim;
            for (int i = 0; i < dim; i++) {
                out[b * dim + i] = states[o + i];
            }
        }
        return new Draw(slots, out, reinitialised);
    }

    /**
     * {@code k} distinct integers from 0..n−1, uniformly, sorted (Floyd's algorithm: k draws whatever n is, so a
     * large buffer costs nothing per batch).
     */
    static int[] distinct(int k, int n, SplittableRandom rng) {
        Set<Integer> chosen = new HashSet<>();
        for (int j = n - k; j < n; j++) {
            int t = rng.nextInt(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        int[] out = chosen.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }

    /** Writes advanced states back into their slots ({@code slots.length × D} values, 0 or 1). */
    public void write(int[] slots, int[] x) {
        if (x.length != slots.length * dim) {
            throw new IllegalArgumentException("expected " + slots.length + " × " + dim + " states, got " + x.length);
        }
        for (int b = 0; b < slots.length; b++) {
            int o = slots[b] * dim;
            for (int i = 0; i < dim; i++) {
                int v = x[b * dim + i];
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException("replay buffer states are binary, got " + v);
                }
                states[o + i] = (byte) v;
            }
        }
    }

    /** The first {@code n} states as floats in {0, 1} (for image grids), {@code n × D}. */
    public float[][] images(int n) {
        float[][] out = new float[Math.min(n, size)][dim];
        for (int s = 0; s < out.length; s++) {
            for (int i = 0; i < dim; i++) {
                out[s][i] = states[s * dim + i];
            }
        }
        return out;
    }

    /** The stored states, {@code size × D} bytes (for checkpoints). */
    public byte[] bytes() {
        return states.clone();
    }

    /** Restores what {@link #bytes} returned. */
    public void restore(byte[] saved) {
        if (saved.length != states.length) {
            throw new IllegalArgumentException("saved replay buffer has " + saved.length + " values, expected "
                    + states.length);
        }
        System.arraycopy(saved, 0, states, 0, saved.length);
    }
}
