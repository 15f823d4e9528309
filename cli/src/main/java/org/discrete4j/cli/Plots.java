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

    /**
     * A grid of grey-level images (samples, reconstructions): {@code images[i]} holds one image of
     * {@code height × width} values in [0, 1] in row-major order (values outside are clipped), drawn
     * {@code columns} to a row, each pixel as a {@code scale × scale} square, one dark pixel between images.
     */
    public static void imageGrid(Path file, float[][] images, int height, int width, int columns, int scale) {
        if (images.length == 0 || columns <= 0 || scale <= 0) {
            throw new IllegalArgumentException("an image grid needs images, columns > 0 and scale > 0");
        }
        int rows = (images.length + columns - 1) / columns;
        int cellW = width * scale + 1;
        int cellH = height * scale + 1;
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(columns * cellW + 1, rows * cellH + 1,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        java.awt.image.WritableRaster raster = out.getRaster();
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != height * width) {
                throw new IllegalArgumentException("image " + i + " has " + images[i].length + " values, expected "
                        + height * width);
            }
            int x0 = (i % columns) * cellW + 1;
            int y0 = (i / columns) * cellH + 1;
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    float v = images[i][r * width + c];
                    int grey = Math.round(255 * (Float.isNaN(v) ? 0 : Math.max(0, Math.min(1, v))));
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            raster.setSample(x0 + c * scale + dx, y0 + r * scale + dy, 0, grey);
                        }
                    }
                }
            }
        }
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".grid", ".png");
            javax.imageio.ImageIO.write(out, "png", tmp.toFile());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image grid " + file + ": " + e.getMessage(), e);
        }
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
