package org.discrete4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures of several samplers recorded against steps (or iterations) and against seconds, as the sampler comparisons
 * report them: one CSV of every point, line plots against either axis, and the figure each sampler had reached at
 * fixed budgets of steps and of seconds.
 */
final class Curves {

    private final String xName;
    private final List<String> figures;
    private final Map<String, Curve> curves = new LinkedHashMap<>();

    /** Curves with x axis {@code xName} ("step", "iteration") and the named figures recorded at each point. */
    Curves(String xName, String... figures) {
        this.xName = xName;
        this.figures = List.of(figures);
    }

    /** One sampler's points, in order of x. */
    static final class Curve {
        final String sampler;
        private int n;
        private double[] x = new double[16];
        private double[] seconds = new double[16];
        private final double[][] values;

        Curve(String sampler, int figures) {
            this.sampler = sampler;
            this.values = new double[figures][16];
        }

        /** Appends a point: the figures' values at x after {@code sec} seconds. */
        void add(double at, double sec, double... v) {
            if (v.length != values.length) {
                throw new IllegalArgumentException("expected " + values.length + " figures, got " + v.length);
            }
            if (n == x.length) {
                x = Arrays.copyOf(x, 2 * n);
                seconds = Arrays.copyOf(seconds, 2 * n);
                for (int f = 0; f < values.length; f++) {
                    values[f] = Arrays.copyOf(values[f], 2 * n);
                }
            }
            x[n] = at;
            seconds[n] = sec;
            for (int f = 0; f < v.length; f++) {
                values[f][n] = v[f];
            }
            n++;
        }

        int size() {
            return n;
        }

        double[] x() {
            return Arrays.copyOf(x, n);
        }

        double[] seconds() {
            return Arrays.copyOf(seconds, n);
        }

        double[] values(int figure) {
            return Arrays.copyOf(values[figure], n);
        }

        /** The value at the last point whose x is ≤ budget (NaN if none). */
        double atX(int figure, double budget) {
            return last(x, figure, budget);
        }

        /** The value at the last point reached within {@code budget} seconds (NaN if none). */
        double atSeconds(int figure, double budget) {
            return last(seconds, figure, budget);
        }

        private double last(double[] axis, int figure, double budget) {
            double v = Double.NaN;
            for (int i = 0; i < n && axis[i] <= budget; i++) {
                v = values[figure][i];
            }
            return v;
        }

        /** Mean of the figure over the last {@code fraction} of the points (at least one). */
        double tailMean(int figure, double fraction) {
            int from = Math.min(n - 1, (int) Math.floor(n * (1 - fraction)));
            double s = 0;
            for (int i = from; i < n; i++) {
                s += values[figure][i];
            }
            return s / (n - from);
        }

        /** Index of the first point whose figure is ≤ {@code level}, or −1. */
        int firstAtOrBelow(int figure, double level) {
            for (int i = 0; i < n; i++) {
                if (values[figure][i] <= level) {
                    return i;
                }
            }
            return -1;
        }

        double totalSeconds() {
            return n == 0 ? 0 : seconds[n - 1];
        }
    }

    /** A new (or replaced) curve for {@code sampler}. */
    Curve start(String sampler) {
        Curve c = new Curve(sampler, figures.size());
        curves.put(sampler, c);
        return c;
    }

    Curve get(String sampler) {
        return curves.get(sampler);
    }

    List<Curve> all() {
        return new ArrayList<>(curves.values());
    }

    /** The smallest total time of any curve: a wall-time budget every sampler reached. */
    double shortestSeconds() {
        double m = Double.POSITIVE_INFINITY;
        for (Curve c : curves.values()) {
            m = Math.min(m, c.totalSeconds());
        }
        return m;
    }

    /** Every point of every curve: sampler, x, seconds, then one column per figure. */
    void csv(RunOutput out, String file) {
        List<String> header = new ArrayList<>(List.of("sampler", xName, "seconds"));
        header.addAll(figures);
        List<List<?>> rows = new ArrayList<>();
        for (Curve c : curves.values()) {
            for (int i = 0; i < c.n; i++) {
                List<Object> row = new ArrayList<>();
                row.add(c.sampler);
                row.add((long) c.x[i]);
                row.add(c.seconds[i]);
                for (int f = 0; f < figures.size(); f++) {
                    row.add(c.values[f][i]);
                }
                rows.add(row);
            }
        }
        out.csv(file, header, rows);
    }

    /**
     * A line plot of one figure against x or against seconds, with horizontal reference lines (for example a
     * ground-truth floor) drawn across the plotted range.
     */
    void plot(RunOutput out, String file, int figure, boolean againstSeconds, String title, Map<String, Double> lines) {
        plot(out, file, figure, againstSeconds, false, title, lines);
    }

    /** As {@link #plot}, optionally with a logarithmic x axis (points at x ≤ 0, such as the start, left out). */
    void plot(RunOutput out, String file, int figure, boolean againstSeconds, boolean logX, String title,
            Map<String, Double> lines) {
        List<Plots.Series> series = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Curve c : curves.values()) {
            double[] ax = againstSeconds ? c.seconds() : c.x();
            List<double[]> finite = finitePoints(ax, c.values(figure), logX);
            if (finite.get(0).length == 0) {
                continue;
            }
            series.add(new Plots.Series(c.sampler, finite.get(0), finite.get(1)));
            lo = Math.min(lo, finite.get(0)[0]);
            hi = Math.max(hi, finite.get(0)[finite.get(0).length - 1]);
        }
        if (series.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Double> e : lines.entrySet()) {
            if (Double.isFinite(e.getValue())) {
                series.add(new Plots.Series(e.getKey(), new double[] {lo, hi}, new double[] {e.getValue(),
                    e.getValue()}));
            }
        }
        Plots.lines(out.resolve(file), title, againstSeconds ? "seconds (sampler steps only)" : xName,
                figures.get(figure), series, logX, false);
    }

    private static List<double[]> finitePoints(double[] x, double[] y, boolean positiveX) {
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            n += Double.isFinite(y[i]) && (!positiveX || x[i] > 0) ? 1 : 0;
        }
        double[] fx = new double[n];
        double[] fy = new double[n];
        for (int i = 0, j = 0; i < y.length; i++) {
            if (Double.isFinite(y[i]) && (!positiveX || x[i] > 0)) {
                fx[j] = x[i];
                fy[j++] = y[i];
            }
        }
        return List.of(fx, fy);
    }

    /**
     * For each sampler, the figure reached at each budget of x and of seconds: {@code {sampler: {"at<X>": {budget:
     * value}, "atSeconds": {budget: value}}}}.
     */
    Map<String, Object> budgets(int figure, long[] xBudgets, double[] secondBudgets) {
        Map<String, Object> table = new LinkedHashMap<>();
        String key = "at" + Character.toUpperCase(xName.charAt(0)) + xName.substring(1) + "s";
        for (Curve c : curves.values()) {
            Map<String, Object> byX = new LinkedHashMap<>();
            for (long b : xBudgets) {
                byX.put(Long.toString(b), num(c.atX(figure, b)));
            }
            Map<String, Object> bySeconds = new LinkedHashMap<>();
            for (double b : secondBudgets) {
                bySeconds.put(String.format(java.util.Locale.ROOT, "%.4g", b), num(c.atSeconds(figure, b)));
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put(key, byX);
            e.put("atSeconds", bySeconds);
            table.put(c.sampler, e);
        }
        return table;
    }

    /**
     * Puts the budgets into {@code summary} (the requested x budgets within {@code max}, and {@code max}; a tenth of
     * and all of the shortest total time of any curve) and returns each sampler's figure at them.
     */
    Map<String, Object> budgetTable(Map<String, Object> summary, int figure, List<Long> requested, long max) {
        long[] xb = xBudgets(requested, max);
        double shortest = shortestSeconds();
        double[] sb = {shortest / 10, shortest};
        String name = Character.toUpperCase(xName.charAt(0)) + xName.substring(1) + "s";
        summary.put("budget" + name, xb);
        summary.put("budgetSeconds", sb);
        summary.put("budgetSecondsMeaning", "a tenth of, and all of, the shortest total time of any sampler");
        return budgets(figure, xb, sb);
    }

    /** The budgets of x that lie within {@code max}, and {@code max} itself, in increasing order. */
    static long[] xBudgets(List<Long> requested, long max) {
        long[] within = requested.stream().filter(b -> b > 0 && b < max).mapToLong(Long::longValue).sorted()
                .distinct().toArray();
        long[] all = Arrays.copyOf(within, within.length + 1);
        all[within.length] = max;
        return all;
    }

    /** JSON has no NaN or infinity: null instead. */
    static Object num(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
