package org.discrete4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of the IDX format of LeCun's MNIST files: two zero bytes, a type byte, the number of dimensions, one
 * big-endian int per dimension, then the data in row-major order. Only unsigned bytes (type 0x08) occur in MNIST
 * and Fashion-MNIST, so only they are read. Files may be gzipped (detected from the content, not the name).
 *
 * <p>Every failure is an {@link IdxException} naming the file: a missing file, a wrong magic number, a header that
 * does not fit, a truncated body or trailing bytes. Nothing is guessed.
 */
public final class Idx {

    static final int UNSIGNED_BYTE = 0x08;

    /** The dimensions and the bytes of an IDX file. */
    public record Tensor(int[] dims, byte[] data) {
        public int dim(int i) {
            return dims[i];
        }
    }

    /** A malformed or unreadable IDX file; the message names the file. */
    public static final class IdxException extends IllegalArgumentException {
        IdxException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Idx() {}

    /** Reads an IDX file of unsigned bytes, gzipped or plain. */
    public static Tensor read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            return read(raw, file.toString());
        } catch (NoSuchFileException e) {
            throw new IdxException("IDX file not found: " + file, e);
        } catch (IOException e) {
            throw new IdxException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads from a stream; {@code name} is used in error messages. The stream is not closed. */
    public static Tensor read(InputStream in, String name) {
        try {
            InputStream body = in.markSupported() ? in : new BufferedInputStream(in);
            body.mark(2);
            int b0 = body.read();
            int b1 = body.read();
            body.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                body = new BufferedInputStream(new GZIPInputStream(body, 1 << 16), 1 << 16);
            }
            return parse(new DataInputStream(body), name);
        } catch (EOFException e) {
            throw new IdxException("truncated IDX file " + name + ": the data ends before the header's count", e);
        } catch (ZipException e) {
            throw new IdxException("corrupt gzip data in IDX file " + name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IdxException("cannot read IDX file " + name + ": " + e.getMessage(), e);
        }
    }

    private static Tensor parse(DataInputStream in, String name) throws IOException {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if ((magic >>> 16) != 0 || rank == 0 || rank > 4) {
            throw new IdxException(String.format("not an IDX file: %s (magic number 0x%08x)", name, magic), null);
        }
        if (type != UNSIGNED_BYTE) {
            throw new IdxException(String.format(
                    "IDX file %s has element type 0x%02x; only unsigned bytes (0x08) are supported", name, type), null);
        }
        int[] dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] <= 0) {
                throw new IdxException("IDX file " + name + " has dimension " + i + " = " + dims[i], null);
            }
            size *= dims[i];
            if (size > Integer.MAX_VALUE - 8) {
                throw new IdxException("IDX file " + name + " is too large: dimensions "
                        + Arrays.toString(Arrays.copyOf(dims, i + 1)), null);
            }
        }
        byte[] data = new byte[(int) size];
        in.readFully(data);
        if (in.read() != -1) {
            throw new IdxException("IDX file " + name + " has bytes beyond the " + size
                    + " its header " + Arrays.toString(dims) + " declares", null);
        }
        return new Tensor(dims, data);
    }
}
