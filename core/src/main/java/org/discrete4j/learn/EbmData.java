package org.discrete4j.learn;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
 * @param name the data set's name (or folder) as given
 * @param dataSeed the seed of the static binarisations
 * @param train training images ({@code binarization.prepare}d)
 * @param binarization how the training batches become binary
 * @param validation held-out binary images, {@code count × D} values 0/1
 * @param test binary test images, {@code count × D} values 0/1
 * @param baseMean the squeezed pixel means of the training images, the base π₀ and the replay buffer's start
 */
public record EbmData(String name, long dataSeed, ImageSet train, Binarization binarization, int[] validation, int[] test, double[] baseMean) {

    /** Streams of {@link Seeds} under the data seed: the training split's draw, the test split's draw. */
    static final long TRAIN_STREAM = 1;

    static final long TEST_STREAM = 2;

    /**
     * Splits {@code validationCount} images off the end of {@code trainSplit}, binarises everything with
     * {@code binarization}, and computes the base mean from the remaining training images. The static draws are
     * seeded by {@code dataSeed}, not by a run's seed, so runs with different seeds see the same images: the training
     * split with {@code Seeds.of(dataSeed, 1)}, the test split with {@code Seeds.of(dataSeed, 2)}, the convention of
     * {@code d4j train-rbm} and {@code d4j ais}, so that an RBM and an EBM are scored on the same test images.
     */
    public static EbmData prepare(String name, ImageSet trainSplit, ImageSet testSplit, Binarization binarization,
            int validationCount, long dataSeed) {
        if (validationCount < 1 || validationCount >= trainSplit.count()) {
            throw new IllegalArgumentException("validation size must be in 1.." + (trainSplit.count() - 1)
                    + " (the training split has " + trainSplit.count() + " images), got " + validationCount);
        }
        if (trainSplit.dim() != testSplit.dim()) {
            throw new IllegalArgumentException("training and test images differ in size");
        }
        long s = Seeds.of(dataSeed, TRAIN_STREAM);
        ImageSet prepared = binarization.prepare(trainSplit, s);
        int n = trainSplit.count() - validationCount;
        ImageSet train = prepared.subset(0, n);
        boolean dynamic = binarization == Binarization.DYNAMIC;
        Binarization fixed = dynamic ? Binarization.STATIC : binarization;
        ImageSet val = (dynamic ? fixed.prepare(trainSplit, s) : prepared).subset(n, trainSplit.count());
        ImageSet test = fixed.prepare(testSplit, Seeds.of(dataSeed, TEST_STREAM));
        return new EbmData(name, dataSeed, train, binarization, binary(val), binary(test),
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

    /** What a saved model or a resumed run records about its data. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", name);
        m.put("binarization", binarization.name().toLowerCase(Locale.ROOT));
        m.put("dataSeed", dataSeed);
        m.put("trainImages", (long) train.count());
        m.put("validationImages", (long) validationCount());
        m.put("testImages", (long) testCount());
        return m;
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
