package org.discrete4j.model;

import java.util.List;
import java.util.Map;

/**
 * Rebuilds a model from the map its {@link EnergyModel#parameters()} returned, so a run can be reproduced from its
 * saved model.json alone. The map may hold Java arrays (as {@code parameters()} writes them) or the lists and boxed
 * numbers a JSON reader produces; doubles survive both exactly.
 */
public final class Models {

    private Models() {}

    /** The model described by {@code parameters}, chosen by its {@code type} entry. */
    public static EnergyModel fromParameters(Map<String, Object> parameters) {
        if (parameters == null) {
            throw new IllegalArgumentException("model parameters must not be null");
        }
        String type = string(parameters, "type");
        switch (type) {
            case FactorizedBernoulli.TYPE:
                return FactorizedBernoulli.fromParameters(parameters);
            case FactorizedCategorical.TYPE:
                return FactorizedCategorical.fromParameters(parameters);
            case IsingModel.TYPE:
                return IsingModel.fromParameters(parameters);
            case Rbm.TYPE:
                return Rbm.fromParameters(parameters);
            case FactorialHmm.TYPE:
                return FactorialHmm.fromParameters(parameters);
            case PottsModel.TYPE:
                return PottsModel.fromParameters(parameters);
            default:
                throw new IllegalArgumentException("unknown model type '" + type + "'");
        }
    }

    // ---- reading entries: accept arrays or JSON-style lists, reject anything else with the entry's name ----

    static Object entry(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("model parameters lack '" + key + "'");
        }
        return v;
    }

    static String string(Map<String, Object> p, String key) {
        Object v = entry(p, key);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException("'" + key + "' must be a string, got " + v.getClass().getSimpleName());
        }
        return (String) v;
    }

    static double number(Map<String, Object> p, String key) {
        Object v = entry(p, key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("'" + key + "' must be a number, got " + v.getClass().getSimpleName());
        }
        return ((Number) v).doubleValue();
    }

    static int integer(Map<String, Object> p, String key) {
        double v = number(p, key);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + key + "' must be an integer, got " + v);
        }
        return (int) v;
    }

    static double[] doubles(Object v, String key) {
        if (v instanceof double[]) {
            return ((double[]) v).clone();
        }
        if (v instanceof float[]) {
            float[] f = (float[]) v;
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (v instanceof int[]) {
            int[] a = (int[]) v;
            double[] d = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                d[i] = a[i];
            }
            return d;
        }
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            double[] d = new double[l.size()];
            for (int i = 0; i < d.length; i++) {
                Object o = l.get(i);
                if (!(o instanceof Number)) {
                    throw new IllegalArgumentException("'" + key + "' must hold numbers, found " + o);
                }
                d[i] = ((Number) o).doubleValue();
            }
            return d;
        }
        throw new IllegalArgumentException("'" + key + "' must be an array of numbers, got "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    static double[] doubles(Map<String, Object> p, String key) {
        return doubles(entry(p, key), key);
    }

    static double[][] matrix(Map<String, Object> p, String key) {
        Object v = entry(p, key);
        Object[] rows;
        if (v instanceof Object[]) {
            rows = (Object[]) v;
        } else if (v instanceof List) {
            rows = ((List<?>) v).toArray();
        } else {
            throw new IllegalArgumentException("'" + key + "' must be an array of rows, got "
                    + v.getClass().getSimpleName());
        }
        double[][] m = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            m[r] = doubles(rows[r], key);
        }
        return m;
    }

    static int[] ints(Map<String, Object> p, String key) {
        double[] d = doubles(p, key);
        int[] a = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i]) || Math.abs(d[i]) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + key + "' must hold integers, found " + d[i]);
            }
            a[i] = (int) d[i];
        }
        return a;
    }

    /** Checks that the map's type entry names the model being rebuilt. */
    static void expectType(Map<String, Object> p, String type) {
        String t = string(p, "type");
        if (!t.equals(type)) {
            throw new IllegalArgumentException("expected model type '" + type + "', got '" + t + "'");
        }
    }

    // ---- parameter checks shared by the models ----

    static void checkFinite(double v, String name) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }

    static void checkFinite(double[] a, String name) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + a[i]);
            }
        }
    }

    static void checkLength(double[] a, int n, String name) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length != n) {
            throw new IllegalArgumentException(name + " must have length " + n + ", got " + a.length);
        }
    }

    static void checkAtLeast(int v, int min, String name) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
        }
    }
}
