package org.discrete4j.data;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How grey levels become binary pixels. The papers use two protocols that give different likelihoods, so the
 * choice is always recorded: STATIC draws each pixel once from Bernoulli(grey) with a fixed seed and keeps it for
 * the whole run (Salakhutdinov and Murray 2008 style); DYNAMIC draws afresh for every batch (which regularises);
 * THRESHOLD rounds at one half.
 */
public enum Binarization {
    STATIC, DYNAMIC, THRESHOLD;

    /**
     * The set a run trains on: for STATIC and THRESHOLD the binarised images (pixels 0 or 255), drawn with
     * {@code seed}; for DYNAMIC the grey levels unchanged (each batch is drawn by {@link #batch}).
     */
    public ImageSet prepare(ImageSet set, long seed) {
        if (this == DYNAMIC) {
            return set;
        }
        byte[] out = new byte[set.pixels().length];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < out.length; i++) {
            int grey = set.pixels()[i] & 0xff;
            boolean on = this == STATIC ? rng.nextInt(255) < grey : grey >= 128;
            out[i] = (byte) (on ? 255 : 0);
        }
        return new ImageSet(set.source() + " (" + name().toLowerCase(Locale.ROOT) + " binarisation)", set.count(),
                set.rows(), set.cols(), out, set.labels());
    }

    /**
     * A batch as the model sees it, given its values in [0, 1] from a prepared set: DYNAMIC draws 1[u &lt; grey]
     * with the engine RNG; the others return the batch itself.
     */
    public NDArray batch(NDArray values) {
        if (this != DYNAMIC) {
            return values;
        }
        NDArray u = values.getManager().randomUniform(0f, 1f, values.getShape());
        return u.lt(values).toType(values.getDataType(), false);
    }

    /** Parses "static", "dynamic" or "threshold" (any case). */
    public static Binarization parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown binarisation '" + s + "' (static, dynamic or threshold)", e);
        }
    }
}
