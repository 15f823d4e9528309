package org.discrete4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Grey-level images with labels, as IDX files hold them: {@code count} images of {@code rows × cols} unsigned bytes
 * (0–255) in row-major order, and one label per image. Immutable; {@code source} says where it came from.
 */
public record ImageSet(String source, int count, int rows, int cols, byte[] pixels, int[] labels) {

    public ImageSet {
        if (count <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("an image set needs positive count, rows and cols");
        }
        if (pixels.length != (long) count * rows * cols || labels.length != count) {
            throw new IllegalArgumentException("pixels must hold count·rows·cols bytes and labels count ints");
        }
    }

    /** Pixels per image. */
    public int dim() {
        return rows * cols;
    }

    /** Pixel {@code j} of image {@code i} as an int in 0–255. */
    public int pixel(int i, int j) {
        return pixels[i * dim() + j] & 0xff;
    }

    /** The number of classes, one more than the largest label. */
    public int numClasses() {
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    /** All images as a float32 (count, rows·cols) array in [0, 1]. */
    public NDArray toFloat(NDManager manager) {
        return toFloat(manager, 0, count);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive) as a float32 (to − from, rows·cols) array in [0, 1]. */
    public NDArray toFloat(NDManager manager, int from, int to) {
        if (from < 0 || to > count || from >= to) {
            throw new IllegalArgumentException("image range [" + from + ", " + to + ") outside [0, " + count + ")");
        }
        int d = dim();
        float[] out = new float[(to - from) * d];
        for (int i = 0; i < out.length; i++) {
            out[i] = (pixels[from * d + i] & 0xff) / 255f;
        }
        return manager.create(out, new Shape(to - from, d));
    }

    /** The images at {@code indices}, in that order, as a float32 (indices.length, rows·cols) array in [0, 1]. */
    public NDArray toFloat(NDManager manager, int[] indices) {
        int d = dim();
        float[] out = new float[indices.length * d];
        for (int r = 0; r < indices.length; r++) {
            int base = indices[r] * d;
            for (int j = 0; j < d; j++) {
                out[r * d + j] = (pixels[base + j] & 0xff) / 255f;
            }
        }
        return manager.create(out, new Shape(indices.length, d));
    }

    /** Labels at {@code indices}. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int r = 0; r < indices.length; r++) {
            out[r] = labels[indices[r]];
        }
        return out;
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public ImageSet subset(int from, int to) {
        if (from < 0 || to > count || from >= to) {
            throw new IllegalArgumentException("image range [" + from + ", " + to + ") outside [0, " + count + ")");
        }
        int d = dim();
        byte[] p = java.util.Arrays.copyOfRange(pixels, from * d, to * d);
        int[] l = java.util.Arrays.copyOfRange(labels, from, to);
        return new ImageSet(source + "[" + from + ":" + to + "]", to - from, rows, cols, p, l);
    }

    /** The mean of every pixel over the set, in [0, 1] (the data-mean Bernoulli of AIS bases and output biases). */
    public double[] pixelMeans() {
        int d = dim();
        double[] mean = new double[d];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += pixels[i * d + j] & 0xff;
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= 255.0 * count;
        }
        return mean;
    }
}
