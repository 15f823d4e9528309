package org.discrete4j.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @TempDir
    Path dir;

    Path docword(String name, String text) throws IOException {
        Path p = dir.resolve("docword." + name + ".txt");
        Files.writeString(p, text);
        Files.writeString(dir.resolve("vocab." + name + ".txt"), "apple\nbanana\ncherry\n");
        return p;
    }

    @Test
    void readsTheUciFormatPlainAndGzipped() throws IOException {
        // Document 2 mentions no word: it is kept, empty, and dropped by nonEmpty().
        Path p = docword("tiny", "3\n3\n4\n1 1 2\n1 3 1\n3 2 5\n3 1 1\n");
        Corpus c = UciBagOfWords.read(p);
        assertThat(c.documents()).isEqualTo(3);
        assertThat(c.vocabulary()).containsExactly("apple", "banana", "cherry");
        assertThat(c.words()[0]).containsExactly(0, 2);
        assertThat(c.counts()[0]).containsExactly(2, 1);
        assertThat(c.words()[1]).isEmpty();
        assertThat(c.words()[2]).containsExactly(0, 1);
        assertThat(c.counts()[2]).containsExactly(1, 5);
        assertThat(c.tokens()).isEqualTo(9);
        assertThat(c.nonEmpty().documents()).isEqualTo(2);

        Path gz = dir.resolve("docword.zipped.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(p));
        }
        Files.writeString(dir.resolve("vocab.zipped.txt"), "apple\nbanana\ncherry\n");
        Corpus z = UciBagOfWords.read(gz);
        assertThat(z.counts()[2]).containsExactly(1, 5);
    }

    @Test
    void writeThenReadGivesTheSameCorpus() {
        SyntheticCorpus.Truth truth = SyntheticCorpus.truth(TopicModelTest.SMALL, 3);
        Corpus c = SyntheticCorpus.sample(truth, 20, 4).corpus();
        Path file = UciBagOfWords.write(c, dir, "round");
        Corpus back = UciBagOfWords.read(file);
        assertThat(back.vocabulary()).containsExactly(c.vocabulary());
        for (int d = 0; d < c.documents(); d++) {
            assertThat(back.words()[d]).containsExactly(c.words()[d]);
            assertThat(back.counts()[d]).containsExactly(c.counts()[d]);
        }
    }

    @Test
    void corruptOrTruncatedFilesAreErrorsNamingTheFile() throws IOException {
        assertThatThrownBy(() -> UciBagOfWords.read(dir.resolve("docword.none.txt")))
                .hasMessageContaining("not found").hasMessageContaining("vocab.none.txt");
        Path truncated = docword("cut", "2\n3\n4\n1 1 2\n1 3 1\n2 2 5\n");
        assertThatThrownBy(() -> UciBagOfWords.read(truncated)).hasMessageContaining("truncated")
                .hasMessageContaining(truncated.toString()).hasMessageContaining("declares 4 entries, found 3");
        Path header = docword("header", "2\n3\n");
        assertThatThrownBy(() -> UciBagOfWords.read(header)).hasMessageContaining("truncated")
                .hasMessageContaining("NNZ");
        Path garbage = docword("garbage", "2\n3\n2\n1 1 2\n1 x 1\n");
        assertThatThrownBy(() -> UciBagOfWords.read(garbage)).hasMessageContaining("bad line 5")
                .hasMessageContaining(garbage.toString()).hasMessageContaining("wordID");
        Path range = docword("range", "2\n3\n1\n1 4 2\n");
        assertThatThrownBy(() -> UciBagOfWords.read(range)).hasMessageContaining("wordID 4 in 1..3");
        Path zero = docword("zero", "2\n3\n1\n1 1 0\n");
        assertThatThrownBy(() -> UciBagOfWords.read(zero)).hasMessageContaining("count 0");
        Path extra = docword("extra", "2\n3\n1\n1 1 1\n2 2 2\n");
        assertThatThrownBy(() -> UciBagOfWords.read(extra)).hasMessageContaining("more entries");
        Path twice = docword("twice", "2\n3\n2\n1 1 1\n1 1 2\n");
        assertThatThrownBy(() -> UciBagOfWords.read(twice)).hasMessageContaining("twice");
        Path shortLine = docword("short", "2\n3\n1\n1 1\n");
        assertThatThrownBy(() -> UciBagOfWords.read(shortLine)).hasMessageContaining("docID wordID count");
        Path words = docword("words", "2\n4\n1\n1 1 1\n");
        assertThatThrownBy(() -> UciBagOfWords.read(words)).hasMessageContaining("has 3 words")
                .hasMessageContaining("W = 4");

        Path gz = dir.resolve("docword.broken.txt.gz");
        byte[] whole;
        try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream()) {
            try (OutputStream out = new GZIPOutputStream(bytes)) {
                out.write("2\n3\n1\n1 1 1\n".repeat(50).getBytes(StandardCharsets.UTF_8));
            }
            whole = bytes.toByteArray();
        }
        Files.write(gz, java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(dir.resolve("vocab.broken.txt"), "apple\nbanana\ncherry\n");
        assertThatThrownBy(() -> UciBagOfWords.read(gz)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(gz.toString());
        assertThatThrownBy(() -> UciBagOfWords.vocabularyFor(dir.resolve("words.txt")))
                .hasMessageContaining("docword.");
    }

    /**
     * The generator's statistics against its definition, over 3000 documents: topic counts average λ0 (standard error
     * √(λ0/n)); lengths average (min + max)/2; and every word's total count matches Σ_d N_d p(w|z_d) computed from
     * the returned z within 5 Poisson standard deviations (a multinomial count's sd is at most √mean).
     */
    @Test
    void generatorFollowsItsDefinition() {
        SyntheticCorpus.Settings s = new SyntheticCorpus.Settings(4, 40, 10, 0.02, 0.6, 0.1, 10, 30);
        SyntheticCorpus.Truth truth = SyntheticCorpus.truth(s, 5);
        for (double[] topic : truth.topics()) {
            assertThat(java.util.Arrays.stream(topic).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(java.util.Arrays.stream(topic).filter(p -> p > 0.02 / 40 + 1e-15).count()).isEqualTo(10);
        }
        SyntheticCorpus.Sample sample = SyntheticCorpus.sample(truth, 3000, 6);
        Corpus c = sample.corpus();
        double zSum = 0;
        double[] expected = new double[40];
        double[] observed = new double[40];
        long length = 0;
        for (int d = 0; d < 3000; d++) {
            int[] z = sample.z()[d];
            double norm = 0;
            for (int k = 0; k < 4; k++) {
                zSum += z[k];
                norm += z[k] + 0.1;
            }
            int n = c.length(d);
            assertThat(n).isBetween(10, 30);
            length += n;
            for (int w = 0; w < 40; w++) {
                for (int k = 0; k < 4; k++) {
                    expected[w] += n * (z[k] + 0.1) / norm * truth.topics()[k][w];
                }
            }
            for (int i = 0; i < c.words()[d].length; i++) {
                observed[c.words()[d][i]] += c.counts()[d][i];
            }
        }
        assertThat(zSum / (3000 * 4)).isCloseTo(0.6, org.assertj.core.data.Offset.offset(5 * Math.sqrt(0.6 / 12000)));
        assertThat(length / 3000.0).isCloseTo(20, org.assertj.core.data.Offset.offset(0.5));
        for (int w = 0; w < 40; w++) {
            assertThat(observed[w]).isCloseTo(expected[w], org.assertj.core.data.Offset.offset(5 * Math.sqrt(expected[w]) + 1));
        }
        assertThat(SyntheticCorpus.sample(truth, 5, 6).corpus().words()[0])
                .containsExactly(SyntheticCorpus.sample(truth, 5, 6).corpus().words()[0]);
    }

    @Test
    void topicRecoveryPairsPermutedTopics() {
        double[][] truth = {{0.7, 0.2, 0.1, 0}, {0, 0.1, 0.2, 0.7}, {0.25, 0.25, 0.25, 0.25}};
        double[][] learned = {truth[2], truth[0], {0.1, 0.1, 0.1, 0.7}};
        TopicRecovery r = TopicRecovery.of(truth, learned);
        assertThat(r.match()).containsExactly(1, 2, 0);
        assertThat(r.cosine()[0]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.totalVariation()[1]).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(TopicRecovery.of(truth, new double[][] {truth[1]}).match()).containsExactly(-1, 0, -1);
    }

    @Test
    void splitHoldsOutASeededShare() {
        Corpus c = SyntheticCorpus.sample(SyntheticCorpus.truth(TopicModelTest.SMALL, 1), 50, 2).corpus();
        Corpus.Split a = c.split(0.2, 7);
        assertThat(a.test().documents()).isEqualTo(10);
        assertThat(a.train().documents()).isEqualTo(40);
        assertThat(a.train().tokens() + a.test().tokens()).isEqualTo(c.tokens());
        assertThat(c.split(0.2, 7).test().words()[3]).isSameAs(a.test().words()[3]);
        assertThatThrownBy(() -> c.split(1.0, 7)).hasMessageContaining("(0, 1)");
    }
}
