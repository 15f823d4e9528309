package org.discrete4j.learn;

import org.discrete4j.data.Binarization;
import org.discrete4j.data.ImageSet;
import org.discrete4j.train.Seeds;

/**
 * The three sets a deep-EBM run uses, prepared once: the training images as the model sees them (binary for static
 * and threshold binarisation; grey levels for dynamic, drawn afresh per batch), and a validation set (the last
 * images of the training split, held out) and a test set as fixed binary images. Under dynamic binarisation the
 * evaluation sets are binarised once with a seeded draw, so every evaluation scores the same images (the test set of
 * "dynamic MNIST" is fixed in the papers too).
 *
 * @param train training images ({@code binarization.prepare}d)
 * @param binarization how the training batches become binary
 * @param validation held-out binary images, {@code count × D} values 0/1
 * @param test binary test images, {@code count × D} values 0/1
 * @param baseMean the squeezed pixel means of the training images, the base π₀ and the replay buffer's start
 */
public record EbmData(ImageSet train, Binarization binarization, int[] validation, int[] test, double[] baseMean) {

    /** Streams of {@link Seeds} under the run's seed. */
    static final long BINARIZE_STREAM = -1;

    static final long EVALUATION_STREAM = -2;

    /**
     * Splits {@code validationCount} images off the end of {@code trainSplit}, binarises everything with
     * {@code binarization} (seeded), and computes the base mean from the remaining training images.
     */
    public static EbmData prepare(ImageSet trainSplit, ImageSet testSplit, Binarization binarization,
            int validationCount, long seed) {
        if (validationCount < 1 || validationCount >= trainSplit.count()) {
            throw new IllegalArgumentException("validation size must be in 1.." + (trainSplit.count() - 1)
                    + " (the training split has " + trainSplit.count() + " images), got " + validationCount);
        }
        if (trainSplit.dim() != testSplit.dim()) {
            throw new IllegalArgumentException("training and test images differ in size");
        }
        long s = Seeds.of(seed, BINARIZE_STREAM);
        ImageSet prepared = binarization.prepare(trainSplit, s);
        int n = trainSplit.count() - validationCount;
        ImageSet train = prepared.subset(0, n);
        boolean dynamic = binarization == Binarization.DYNAMIC;
        Binarization fixed = dynamic ? Binarization.STATIC : binarization;
        ImageSet val = (dynamic ? fixed.prepare(trainSplit, s) : prepared).subset(n, trainSplit.count());
        ImageSet test = fixed.prepare(testSplit, Seeds.of(seed, EVALUATION_STREAM));
        return new EbmData(train, binarization, binary(val), binary(test),
                EnergyNetwork.squeeze(train.pixelMeans()));
    }

    /** The pixels of a binarised set (0 or 255) as 0/1 values. */
    static int[] binary(ImageSet set) {
        int[] out = new int[set.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (set.pixels()[i] & 0xff) >= 128 ? 1 : 0;
        }
        return out;
    }

    public int dim() {
        return train.dim();
    }

    public int validationCount() {
        return validation.length / dim();
    }

    public int testCount() {
        return test.length / dim();
    }
}
