package org.discrete4j.vae;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The UCI Machine Learning Repository's "Bag of Words" format (Newman, 2008: KOS, NIPS, Enron, NYTimes, PubMed):
 * {@code docword.NAME.txt} holds three header lines D (documents), W (words in the vocabulary) and NNZ (non-zero
 * counts), then NNZ lines {@code docID wordID count} with 1-based ids; {@code vocab.NAME.txt} holds the W words, one a
 * line, word i on line i. Either file may be gzipped (detected from its content).
 *
 * <p>Every failure is an {@link IllegalArgumentException} that names the file and, for a bad line, its number: a
 * missing file, a header that is not three positive integers, a line that is not three integers, an id outside
 * its range, a count below 1, a (document, word) pair given twice, fewer lines than NNZ (a truncated file), more
 * lines than NNZ, a vocabulary whose length is not W. Documents that no line mentions are empty.
 */
public final class UciBagOfWords {

    private UciBagOfWords() {}

    /** Reads {@code docword} and the {@code vocab} file beside it named by {@link #vocabularyFor}. */
    public static Corpus read(Path docword) {
        return read(docword, vocabularyFor(docword));
    }

    /** {@code docword.NAME.txt[.gz]} → {@code vocab.NAME.txt} in the same folder (or its .gz if only that exists). */
    public static Path vocabularyFor(Path docword) {
        String name = docword.getFileName().toString();
        if (!name.startsWith("docword.")) {
            throw new IllegalArgumentException("cannot tell the vocabulary file of " + docword
                    + ": its name does not start with 'docword.' (name the vocabulary explicitly)");
        }
        String vocab = "vocab." + name.substring("docword.".length()).replaceFirst("\\.gz$", "");
        Path plain = docword.resolveSibling(vocab);
        Path gz = docword.resolveSibling(vocab + ".gz");
        return Files.exists(plain) || !Files.exists(gz) ? plain : gz;
    }

    /** Reads a docword file and its vocabulary file. */
    public static Corpus read(Path docword, Path vocab) {
        String[] vocabulary = readVocabulary(vocab);
        try (BufferedReader in = open(docword)) {
            int lineNo = 0;
            long[] header = new long[3];
            String[] names = {"D (documents)", "W (vocabulary size)", "NNZ (non-zero counts)"};
            for (int i = 0; i < 3; i++) {
                String line = in.readLine();
                lineNo++;
                if (line == null) {
                    throw new IllegalArgumentException("truncated bag-of-words file " + docword + ": the header ends at "
                            + "line " + lineNo + " before " + names[i]);
                }
                header[i] = parseLong(line.trim(), docword, lineNo, names[i]);
                if (header[i] < 1 || header[i] > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("bad header in " + docword + " line " + lineNo + ": " + names[i]
                            + " = " + header[i]);
                }
            }
            int docs = (int) header[0];
            int w = (int) header[1];
            int nnz = (int) header[2];
            if (w != vocabulary.length) {
                throw new IllegalArgumentException("vocabulary " + vocab + " has " + vocabulary.length
                        + " words but " + docword + " declares W = " + w);
            }
            int[] doc = new int[nnz];
            int[] word = new int[nnz];
            int[] count = new int[nnz];
            String line;
            int read = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String t = line.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (read == nnz) {
                    throw new IllegalArgumentException("bag-of-words file " + docword + " has more entries than the "
                            + nnz + " its header declares (line " + lineNo + ")");
                }
                String[] parts = t.split("\\s+");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("bad line " + lineNo + " in " + docword + ": expected "
                            + "'docID wordID count', got '" + abbreviate(t) + "'");
                }
                long d = parseLong(parts[0], docword, lineNo, "docID");
                long v = parseLong(parts[1], docword, lineNo, "wordID");
                long c = parseLong(parts[2], docword, lineNo, "count");
                if (d < 1 || d > docs || v < 1 || v > w || c < 1 || c > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("bad line " + lineNo + " in " + docword + ": docID " + d
                            + " must lie in 1.." + docs + ", wordID " + v + " in 1.." + w + ", count " + c + " >= 1");
                }
                doc[read] = (int) d - 1;
                word[read] = (int) v - 1;
                count[read] = (int) c;
                read++;
            }
            if (read < nnz) {
                throw new IllegalArgumentException("truncated bag-of-words file " + docword + ": its header declares "
                        + nnz + " entries, found " + read);
            }
            return group(docword, vocabulary, docs, doc, word, count);
        } catch (IOException e) {
            throw failure(docword, e);
        }
    }

    /** Groups the entries by document, words in increasing order; a repeated pair is an error. */
    private static Corpus group(Path file, String[] vocabulary, int docs, int[] doc, int[] word, int[] count) {
        int[] sizes = new int[docs];
        for (int d : doc) {
            sizes[d]++;
        }
        int[][] words = new int[docs][];
        int[][] counts = new int[docs][];
        for (int d = 0; d < docs; d++) {
            words[d] = new int[sizes[d]];
            counts[d] = new int[sizes[d]];
        }
        // Sort entries by (doc, word) through a packed key, then fill each document in order.
        long[] keys = new long[doc.length];
        for (int i = 0; i < doc.length; i++) {
            keys[i] = ((long) doc[i] << 32) | word[i];
        }
        Integer[] order = new Integer[doc.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
        int[] fill = new int[docs];
        for (int r = 0; r < order.length; r++) {
            int i = order[r];
            if (r > 0 && keys[order[r - 1]] == keys[i]) {
                throw new IllegalArgumentException("bag-of-words file " + file + " gives document " + (doc[i] + 1)
                        + ", word " + (word[i] + 1) + " twice");
            }
            int d = doc[i];
            words[d][fill[d]] = word[i];
            counts[d][fill[d]] = count[i];
            fill[d]++;
        }
        return new Corpus(file.toString(), vocabulary, words, counts);
    }

    private static String[] readVocabulary(Path vocab) {
        try (BufferedReader in = open(vocab)) {
            List<String> words = new ArrayList<>();
            String line;
            int blankAt = -1;
            while ((line = in.readLine()) != null) {
                String t = line.trim();
                if (t.isEmpty()) {
                    if (blankAt < 0) {
                        blankAt = words.size() + 1;
                    }
                    continue;
                }
                if (blankAt > 0) {
                    throw new IllegalArgumentException("vocabulary " + vocab + " has an empty line " + blankAt
                            + " before the end");
                }
                words.add(t);
            }
            if (words.isEmpty()) {
                throw new IllegalArgumentException("vocabulary " + vocab + " is empty");
            }
            return words.toArray(new String[0]);
        } catch (IOException e) {
            throw failure(vocab, e);
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream body = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
    }

    private static IllegalArgumentException failure(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new IllegalArgumentException("bag-of-words file not found: " + file, e);
        }
        if (e instanceof ZipException || e instanceof java.io.EOFException) {
            return new IllegalArgumentException("corrupt or truncated gzip data in " + file + ": " + e.getMessage(), e);
        }
        return new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }

    private static long parseLong(String s, Path file, int lineNo, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad line " + lineNo + " in " + file + ": " + what + " must be an "
                    + "integer, got '" + abbreviate(s) + "'", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /**
     * Writes {@code corpus} as {@code docword.NAME.txt} and {@code vocab.NAME.txt} in {@code dir}, each through a
     * temporary file renamed when complete; returns the docword file.
     */
    public static Path write(Corpus corpus, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            long nnz = 0;
            for (int[] w : corpus.words()) {
                nnz += w.length;
            }
            StringBuilder sb = new StringBuilder();
            sb.append(corpus.documents()).append('\n').append(corpus.vocabularySize()).append('\n').append(nnz)
                    .append('\n');
            Path docword = dir.resolve("docword." + name + ".txt");
            Path tmp = Files.createTempFile(dir, ".docword", ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                out.write(sb.toString());
                for (int d = 0; d < corpus.documents(); d++) {
                    for (int i = 0; i < corpus.words()[d].length; i++) {
                        out.write((d + 1) + " " + (corpus.words()[d][i] + 1) + " " + corpus.counts()[d][i] + "\n");
                    }
                }
            }
            Files.move(tmp, docword, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path vocab = dir.resolve("vocab." + name + ".txt");
            Path tmpVocab = Files.createTempFile(dir, ".vocab", ".tmp");
            Files.write(tmpVocab, Arrays.asList(corpus.vocabulary()), StandardCharsets.UTF_8);
            Files.move(tmpVocab, vocab, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return docword;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the corpus to " + dir + ": " + e.getMessage(), e);
        }
    }
}
