package org.discrete4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's state in one file: named arrays (parameters, optimiser moments, persistent chains) and named
 * values (counters, learning curves, Java-side arrays). {@link #save} writes a temporary file beside the target and
 * renames it, so a run killed at any moment leaves either the previous checkpoint or the new one, never half of one.
 *
 * <p>Values may be {@code Long}, {@code Integer}, {@code Double}, {@code String}, {@code double[]}, {@code int[]}
 * or {@code long[]}; they come back as the same types (Integer as Long).
 */
public final class Checkpoint {

    private static final String MAGIC = "discrete4j-checkpoint-1";

    private final Map<String, NDArray> arrays;
    private final Map<String, Object> values;

    private Checkpoint(Map<String, NDArray> arrays, Map<String, Object> values) {
        this.arrays = arrays;
        this.values = values;
    }

    /** Writes {@code arrays} and {@code values} to {@code file} atomically. */
    public static void save(Path file, Map<String, NDArray> arrays, Map<String, Object> values) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
                    DataOutputStream out = new DataOutputStream(os)) {
                out.writeUTF(MAGIC);
                out.writeInt(values.size());
                for (Map.Entry<String, Object> e : values.entrySet()) {
                    out.writeUTF(e.getKey());
                    writeValue(out, e.getKey(), e.getValue());
                }
                List<String> names = new ArrayList<>(arrays.keySet());
                out.writeInt(names.size());
                for (String name : names) {
                    out.writeUTF(name);
                }
                NDList list = new NDList();
                for (String name : names) {
                    list.add(arrays.get(name));
                }
                byte[] encoded = list.encode();
                out.writeInt(encoded.length);
                out.write(encoded);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint; its arrays are created in {@code manager}. A corrupt file is an error naming it. */
    public static Checkpoint load(Path file, NDManager manager) {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(file));
                DataInputStream in = new DataInputStream(is)) {
            if (!MAGIC.equals(readMagic(in))) {
                throw new IllegalArgumentException("not a discrete4j checkpoint: " + file);
            }
            int count = in.readInt();
            checkCount(count, file);
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                values.put(key, readValue(in, file));
            }
            int n = in.readInt();
            checkCount(n, file);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(in.readUTF());
            }
            int length = in.readInt();
            if (length < 0) {
                throw new IllegalArgumentException("corrupt checkpoint " + file);
            }
            byte[] encoded = in.readNBytes(length);
            if (encoded.length != length || in.read() != -1) {
                throw new IllegalArgumentException("corrupt checkpoint " + file + ": wrong length");
            }
            NDList list = NDList.decode(manager, new ByteArrayInputStream(encoded));
            if (list.size() != n) {
                throw new IllegalArgumentException("corrupt checkpoint " + file + ": " + list.size()
                        + " arrays for " + n + " names");
            }
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                arrays.put(names.get(i), list.get(i));
            }
            return new Checkpoint(Collections.unmodifiableMap(arrays), Collections.unmodifiableMap(values));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no checkpoint at " + file, e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("corrupt checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    public Map<String, NDArray> arrays() {
        return arrays;
    }

    public Map<String, Object> values() {
        return values;
    }

    /** The array {@code name}; an error if the checkpoint has none. */
    public NDArray array(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("checkpoint has no array '" + name + "'");
        }
        return a;
    }

    /** Copies the array {@code name} into {@code target} in place (same shape; converted to its data type). */
    public void restore(String name, NDArray target) {
        NDArray a = array(name);
        if (!a.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("checkpoint array '" + name + "' has shape " + a.getShape()
                    + ", expected " + target.getShape());
        }
        Parameters.copyInto(target, a);
    }

    public long getLong(String name) {
        return (Long) value(name, Long.class);
    }

    public double getDouble(String name) {
        return (Double) value(name, Double.class);
    }

    public String getString(String name) {
        return (String) value(name, String.class);
    }

    public double[] getDoubles(String name) {
        return (double[]) value(name, double[].class);
    }

    public int[] getInts(String name) {
        return (int[]) value(name, int[].class);
    }

    public long[] getLongs(String name) {
        return (long[]) value(name, long[].class);
    }

    private Object value(String name, Class<?> type) {
        Object v = values.get(name);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("checkpoint has no " + type.getSimpleName() + " value '" + name + "'");
        }
        return v;
    }

    private static String readMagic(DataInputStream in) {
        try {
            return in.readUTF();
        } catch (IOException e) {
            return null;
        }
    }

    private static void checkCount(int count, Path file) {
        if (count < 0 || count > 1_000_000) {
            throw new IllegalArgumentException("corrupt checkpoint " + file);
        }
    }

    private static void writeValue(DataOutputStream out, String key, Object v) throws IOException {
        if (v instanceof Long || v instanceof Integer) {
            out.writeByte('J');
            out.writeLong(((Number) v).longValue());
        } else if (v instanceof Double) {
            out.writeByte('D');
            out.writeDouble((Double) v);
        } else if (v instanceof String) {
            out.writeByte('S');
            out.writeUTF((String) v);
        } else if (v instanceof double[]) {
            double[] a = (double[]) v;
            out.writeByte('d');
            out.writeInt(a.length);
            for (double x : a) {
                out.writeDouble(x);
            }
        } else if (v instanceof int[]) {
            int[] a = (int[]) v;
            out.writeByte('i');
            out.writeInt(a.length);
            for (int x : a) {
                out.writeInt(x);
            }
        } else if (v instanceof long[]) {
            long[] a = (long[]) v;
            out.writeByte('j');
            out.writeInt(a.length);
            for (long x : a) {
                out.writeLong(x);
            }
        } else {
            throw new IllegalArgumentException("checkpoint value '" + key + "' has unsupported type "
                    + (v == null ? "null" : v.getClass().getSimpleName()));
        }
    }

    private static Object readValue(DataInputStream in, Path file) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case 'J':
                return in.readLong();
            case 'D':
                return in.readDouble();
            case 'S':
                return in.readUTF();
            case 'd': {
                double[] a = new double[length(in, file)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readDouble();
                }
                return a;
            }
            case 'i': {
                int[] a = new int[length(in, file)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readInt();
                }
                return a;
            }
            case 'j': {
                long[] a = new long[length(in, file)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readLong();
                }
                return a;
            }
            default:
                throw new IllegalArgumentException("corrupt checkpoint " + file + ": unknown value tag " + tag);
        }
    }

    private static int length(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("corrupt checkpoint " + file);
        }
        return n;
    }
}
