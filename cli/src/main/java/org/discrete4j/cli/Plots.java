package org.discrete4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** PNG charts for results folders (XChart, headless). */
public final class Plots {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** A named series of y values over x values. */
    public record Series(String name, double[] x, double[] y) {}

    /** A grouped bar chart: one group per category, one bar per series. */
    public static void bars(Path file, String title, String yLabel, List<String> categories,
            List<String> seriesNames, List<double[]> values, boolean logY) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560).title(title)
                .xAxisTitle("").yAxisTitle(yLabel).build();
        // Legend below the plot and upright small labels, so no bar or category name is hidden.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        if (categories.size() > 1) { // XChart rejects a maximum of 1; a single label is never skipped anyway
            chart.getStyler().setXAxisMaxLabelCount(categories.size());
        }
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        if (logY) {
            // XChart's bar charts start the axis at 0 unless told otherwise, which a log axis rejects.
            double min = Double.POSITIVE_INFINITY;
            for (double[] v : values) {
                for (double d : v) {
                    if (d > 0) {
                        min = Math.min(min, d);
                    }
                }
            }
            chart.getStyler().setYAxisMin(Double.isFinite(min) ? Math.pow(10, Math.floor(Math.log10(min))) : 1e-12);
        }
        for (int s = 0; s < seriesNames.size(); s++) {
            double[] v = values.get(s);
            List<Double> ys = new java.util.ArrayList<>();
            for (double d : v) {
                ys.add(logY ? Math.max(d, 1e-12) : d);
            }
            chart.addSeries(seriesNames.get(s), categories, ys);
        }
        save(chart, file);
    }

    /** A line chart of several series. */
    public static void lines(Path file, String title, String xLabel, String yLabel, List<Series> series,
            boolean logX, boolean logY) {
        XYChart chart = new XYChartBuilder().width(1000).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Series s : series) {
            chart.addSeries(s.name(), s.x(), s.y());
        }
        save(chart, file);
    }

    private static void save(Chart<?, ?> chart, Path file) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".plot", ".png");
            try (java.io.OutputStream os = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, os, BitmapEncoder.BitmapFormat.PNG);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file + ": " + e.getMessage(), e);
        }
    }
}
