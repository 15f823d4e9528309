package org.discrete4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt((type << 8) | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    /** Three 2×3 images with pixel values 0..17 and labels 7, 0, 3. */
    void writeSmallSet(String prefix, boolean gz) throws IOException {
        byte[] pixels = new byte[18];
        for (int i = 0; i < 18; i++) {
            pixels[i] = (byte) (i * 15);
        }
        byte[] images = idx(8, new int[] {3, 2, 3}, pixels);
        byte[] labels = idx(8, new int[] {3}, new byte[] {7, 0, 3});
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + (gz ? ".gz" : "")), gz ? gzip(images) : images);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + (gz ? ".gz" : "")), gz ? gzip(labels) : labels);
    }

    @Test
    void readsPlainAndGzippedFoldersWithCountsFromTheHeaders() throws IOException {
        writeSmallSet("train", false);
        writeSmallSet("t10k", true);
        for (Datasets.Split split : Datasets.Split.values()) {
            ImageSet set = Datasets.load(dir.toString(), split);
            assertThat(set.count()).isEqualTo(3);
            assertThat(set.rows()).isEqualTo(2);
            assertThat(set.cols()).isEqualTo(3);
            assertThat(set.labels()).containsExactly(7, 0, 3);
            assertThat(set.pixel(1, 2)).isEqualTo(8 * 15);
            assertThat(set.pixel(2, 5)).isEqualTo(255);
            assertThat(set.numClasses()).isEqualTo(8);
        }
    }

    @Test
    void bundledMnist10kHasTheCountsItsReadmeStates() {
        ImageSet train = Datasets.load("mnist-10k", Datasets.Split.TRAIN);
        ImageSet test = Datasets.load("MNIST-10K", Datasets.Split.TEST);
        assertThat(train.count()).isEqualTo(8000);
        assertThat(test.count()).isEqualTo(2000);
        assertThat(train.rows()).isEqualTo(28);
        assertThat(train.cols()).isEqualTo(28);
        assertThat(train.numClasses()).isEqualTo(10);
        int[] perClass = new int[10];
        for (int l : train.labels()) {
            perClass[l]++;
        }
        assertThat(Arrays.stream(perClass).min().getAsInt()).isGreaterThan(600); // every digit is well represented
        double mean = Arrays.stream(train.pixelMeans()).average().orElseThrow();
        assertThat(mean).isBetween(0.12, 0.14); // MNIST's mean intensity is 0.1307
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = train.toFloat(manager, 0, 100);
            assertThat(x.getShape().getShape()).containsExactly(100, 784);
            assertThat(x.max().getFloat()).isEqualTo(1f);
            assertThat(x.min().getFloat()).isEqualTo(0f);
            NDArray picked = train.toFloat(manager, new int[] {5, 0});
            assertThat(picked.get(1).toFloatArray()).containsExactly(x.get(0).toFloatArray());
        }
    }

    @Test
    void corruptFilesAreClearErrorsNamingTheFile() throws IOException {
        Path bad = dir.resolve("bad-magic");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> Idx.read(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IDX file").hasMessageContaining("bad-magic");

        Path truncated = dir.resolve("truncated");
        byte[] whole = idx(8, new int[] {4, 5}, new byte[20]);
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(() -> Idx.read(truncated)).hasMessageContaining("truncated").hasMessageContaining("truncated");

        Path truncatedGz = dir.resolve("truncated.gz");
        byte[] gz = gzip(whole);
        Files.write(truncatedGz, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> Idx.read(truncatedGz)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated.gz");

        Path trailing = dir.resolve("trailing");
        Files.write(trailing, Arrays.copyOf(whole, whole.length + 1));
        assertThatThrownBy(() -> Idx.read(trailing)).hasMessageContaining("beyond").hasMessageContaining("trailing");

        Path floats = dir.resolve("floats");
        Files.write(floats, idx(0x0D, new int[] {1}, new byte[4]));
        assertThatThrownBy(() -> Idx.read(floats)).hasMessageContaining("0x0d").hasMessageContaining("floats");

        Path zeroDim = dir.resolve("zero-dim");
        Files.write(zeroDim, idx(8, new int[] {0, 3}, new byte[0]));
        assertThatThrownBy(() -> Idx.read(zeroDim)).hasMessageContaining("dimension 0 = 0");

        assertThatThrownBy(() -> Idx.read(dir.resolve("absent"))).hasMessageContaining("not found")
                .hasMessageContaining("absent");
    }

    @Test
    void folderProblemsNameTheFiles() throws IOException {
        assertThatThrownBy(() -> Datasets.load(dir.toString(), Datasets.Split.TRAIN))
                .hasMessageContaining("train-images-idx3-ubyte");
        assertThatThrownBy(() -> Datasets.load(dir.resolve("nowhere").toString(), Datasets.Split.TRAIN))
                .hasMessageContaining("unknown data set").hasMessageContaining("mnist-10k");
        writeSmallSet("train", false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(8, new int[] {2}, new byte[] {1, 2}));
        assertThatThrownBy(() -> Datasets.load(dir.toString(), Datasets.Split.TRAIN))
                .hasMessageContaining("3 images").hasMessageContaining("2 labels");
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(8, new int[] {3, 6}, new byte[18]));
        assertThatThrownBy(() -> Datasets.load(dir.toString(), Datasets.Split.TRAIN))
                .hasMessageContaining("2 dimensions").hasMessageContaining("train-images-idx3-ubyte");
    }

    @Test
    void binarisationsFollowTheirDefinitions() {
        ImageSet train = Datasets.load("mnist-10k", Datasets.Split.TRAIN).subset(0, 2000);
        ImageSet a = Binarization.STATIC.prepare(train, 7);
        ImageSet b = Binarization.STATIC.prepare(train, 7);
        ImageSet c = Binarization.STATIC.prepare(train, 8);
        assertThat(a.pixels()).isEqualTo(b.pixels()).isNotEqualTo(c.pixels());
        double grey = Arrays.stream(train.pixelMeans()).sum();
        double on = Arrays.stream(a.pixelMeans()).sum();
        // 2000 images x 784 pixels: the count of on pixels has sd below sqrt(2000*784/4) = 630, i.e. 0.32 per image.
        assertThat(Math.abs(on - grey)).isLessThan(5 * 0.32);
        for (byte p : a.pixels()) {
            assertThat(p == 0 || p == (byte) 255).isTrue();
        }
        ImageSet t = Binarization.THRESHOLD.prepare(train, 0);
        assertThat(t.pixel(0, 300)).isEqualTo(train.pixel(0, 300) >= 128 ? 255 : 0);
        assertThat(Binarization.DYNAMIC.prepare(train, 0)).isSameAs(train);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grey01 = train.toFloat(manager, 0, 500);
            NDArray d1 = Binarization.DYNAMIC.batch(grey01);
            NDArray d2 = Binarization.DYNAMIC.batch(grey01);
            assertThat(d1.sub(d2).abs().sum().getFloat()).isGreaterThan(0f); // a fresh draw each batch
            double diff = d1.sum().getFloat() - grey01.sum().getFloat();
            assertThat(Math.abs(diff)).isLessThan(5 * Math.sqrt(500 * 784 / 4.0));
            assertThat(Binarization.STATIC.batch(grey01)).isSameAs(grey01);
        }
        assertThat(Binarization.parse(" Dynamic ")).isEqualTo(Binarization.DYNAMIC);
        assertThatThrownBy(() -> Binarization.parse("soft")).hasMessageContaining("static, dynamic or threshold");
    }
}
