package org.discrete4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Image sets by name: {@code mnist-10k} (10,000 real MNIST digits shipped inside discrete4j, 8,000 train / 2,000
 * test, so a fresh clone runs offline), {@code fashion-mnist} (the 70,000 images that Debian's
 * {@code dataset-fashion-mnist} package installs), or any folder holding MNIST-style IDX files
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-…}, gzipped or not). Counts come
 * from the files' headers.
 */
public final class Datasets {

    /** The two halves every set has. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    public static final String MNIST_10K = "mnist-10k";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static final String RESOURCE = "/org/discrete4j/data/mnist-10k/";

    private Datasets() {}

    /** The names {@link #load} knows besides folders. */
    public static List<String> names() {
        return List.of(MNIST_10K, FASHION_MNIST);
    }

    /** Loads one split of a named set or of the IDX files in a folder. */
    public static ImageSet load(String set, Split split) {
        if (set == null || set.isBlank()) {
            throw new IllegalArgumentException("no data set given (" + String.join(", ", names()) + " or a folder)");
        }
        switch (set.toLowerCase(Locale.ROOT)) {
            case MNIST_10K:
                return fromResources(split);
            case FASHION_MNIST:
                if (!Files.isDirectory(FASHION_MNIST_DIR)) {
                    throw new IllegalArgumentException("fashion-mnist is not installed: " + FASHION_MNIST_DIR
                            + " is missing (apt-get install dataset-fashion-mnist), or pass its folder instead");
                }
                return fromFolder(FASHION_MNIST_DIR, split);
            default:
                Path dir = Path.of(set);
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("unknown data set '" + set + "': not one of "
                            + String.join(", ", names()) + " and not a folder");
                }
                return fromFolder(dir, split);
        }
    }

    /** Reads {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]} from a folder. */
    public static ImageSet fromFolder(Path dir, Split split) {
        Path images = find(dir, split.prefix + "-images-idx3-ubyte");
        Path labels = find(dir, split.prefix + "-labels-idx1-ubyte");
        return combine(Idx.read(images), images.toString(), Idx.read(labels), labels.toString());
    }

    private static ImageSet fromResources(Split split) {
        String images = RESOURCE + split.prefix + "-images-idx3-ubyte.gz";
        String labels = RESOURCE + split.prefix + "-labels-idx1-ubyte.gz";
        return combine(resource(images), "mnist-10k:" + images, resource(labels), "mnist-10k:" + labels);
    }

    private static Idx.Tensor resource(String name) {
        try (InputStream in = Datasets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the bundled mnist-10k is missing from the class path: " + name);
            }
            return Idx.read(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path find(Path dir, String base) {
        // Some copies of MNIST spell the files with a dot (train-images.idx3-ubyte).
        String dotted = base.replaceFirst("-(idx[13])", ".$1");
        for (String name : List.of(base, base + ".gz", dotted, dotted + ".gz")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("IDX file not found: " + dir.resolve(base) + "[.gz]");
    }

    private static ImageSet combine(Idx.Tensor images, String imagesName, Idx.Tensor labels, String labelsName) {
        if (images.dims().length != 3) {
            throw new Idx.IdxException("IDX image file " + imagesName + " has " + images.dims().length
                    + " dimensions; images need 3 (count, rows, cols)", null);
        }
        if (labels.dims().length != 1) {
            throw new Idx.IdxException("IDX label file " + labelsName + " has " + labels.dims().length
                    + " dimensions; labels need 1", null);
        }
        int count = images.dim(0);
        if (labels.dim(0) != count) {
            throw new IllegalArgumentException("image and label counts differ: " + imagesName + " has " + count
                    + " images, " + labelsName + " has " + labels.dim(0) + " labels");
        }
        int[] l = new int[count];
        for (int i = 0; i < count; i++) {
            l[i] = labels.data()[i] & 0xff;
        }
        String source = imagesName.replaceFirst("-images-idx3-ubyte(\\.gz)?$", "");
        return new ImageSet(source, count, images.dim(1), images.dim(2), images.data(), l);
    }
}
