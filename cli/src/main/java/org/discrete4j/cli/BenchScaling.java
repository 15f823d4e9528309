package org.discrete4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.IsingModel;
import org.discrete4j.model.Rbm;

/**
 * {@code d4j bench --scaling}: Gibbs-with-Gradients time per step against the dimension (Ising L×L for L = 10..100,
 * RBM with 784 visible and 100..2,000 hidden units, 100 chains) and against the number of chains (1..1,000, on the
 * suite's RBM 784×500 and Ising 10×10), discrete4j and the PyTorch reference side by side at each point (A then B).
 *
 * <p>The reference runs where it takes reasonable time: its Ising energy is a dense D×D product (as the published
 * {@code LatticeIsingModel}), 10¹⁰ multiply-adds an evaluation at L = 100, so it stops at L = {@value #TORCH_MAX_L}.
 */
final class BenchScaling {

    static final int[] ISING_SIZES = {10, 20, 30, 50, 70, 100};
    static final int[] RBM_HIDDEN = {100, 250, 500, 1000, 2000};
    static final int[] CHAINS = {1, 10, 30, 100, 300, 1000};
    /** Largest Ising lattice side the reference runs at (D = 2,500: 4 dense 100 × 2,500 × 2,500 products a step). */
    static final int TORCH_MAX_L = 50;

    private BenchScaling() {}

    /** One point of a curve: a model run with a number of chains by both sides (the reference if {@code torch}). */
    record Point(String curve, double x, String name, EnergyModel model, int chains, boolean torch) {}

    /** The three curves: Ising dimension, RBM hidden units, chains (RBM and Ising). */
    static List<Point> points(long seed) {
        List<Point> p = new ArrayList<>();
        for (int l : ISING_SIZES) {
            p.add(new Point("ising-dim", l * l, "ising-" + l + "x" + l,
                    IsingModel.lattice(l, BenchCommand.ISING_COUPLING, 0.0), 100, l <= TORCH_MAX_L));
        }
        for (int h : RBM_HIDDEN) {
            p.add(new Point("rbm-hidden", h, "rbm-784x" + h, Rbm.random(784, h, seed), 100, true));
        }
        Rbm rbm = Rbm.random(784, 500, seed);
        IsingModel ising = IsingModel.lattice(10, BenchCommand.ISING_COUPLING, 0.0);
        for (int c : CHAINS) {
            p.add(new Point("rbm-chains", c, "rbm-784x500", rbm, c, true));
        }
        for (int c : CHAINS) {
            p.add(new Point("ising-chains", c, "ising-10x10", ising, c, true));
        }
        return p;
    }

    /** What one point measured: ms per step of each side (NaN where the reference was not run). */
    record Result(Point point, double java, double torch, double load) {}

    /**
     * Runs every point ({@code steps} timed steps after {@code warmup}), writes scaling.csv, one PNG per curve and the
     * results into {@code summary}; returns the results.
     */
    static List<Result> run(BenchCommand bench, RunOutput out, String python, Path script, int steps, int warmup,
            long seed, PrintWriter log, boolean quiet) throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        Map<String, Path> models = new LinkedHashMap<>();
        for (Point p : points(seed)) {
            int[] reference = BenchCommand.reference(p.model().dim(), seed);
            double load = BenchCommand.load();
            BenchCommand.Side a = BenchCommand.runJava(p.model(), reference, p.chains(), warmup, steps, seed);
            double torch = Double.NaN;
            if (p.torch()) {
                Path file = models.get(p.name());
                if (file == null) {
                    file = out.resolve("scaling-" + p.name() + ".model.json");
                    out.json(file.getFileName().toString(), ModelFiles.parameters(p.model(), null));
                    models.put(p.name(), file);
                }
                torch = bench.runPython(python, script, file, reference, p.chains(), steps, warmup, seed).msPerStep();
            }
            results.add(new Result(p, a.msPerStep(), torch, load));
            if (!quiet) {
                log.printf(Locale.ROOT, "scaling %s %s, %d chains: discrete4j %.4f ms/step, pytorch %s%n", p.curve(),
                        p.name(), p.chains(), a.msPerStep(), Double.isNaN(torch) ? "not run"
                                : String.format(Locale.ROOT, "%.4f ms/step", torch));
            }
        }
        List<List<?>> rows = new ArrayList<>();
        for (Result r : results) {
            Point p = r.point();
            rows.add(List.of(p.curve(), p.x(), p.name(), p.model().dim(), p.chains(), r.java(),
                    Double.isNaN(r.torch()) ? "" : r.torch(), Double.isNaN(r.torch()) ? "" : r.torch() / r.java(),
                    r.load()));
        }
        out.csv("scaling.csv", List.of("curve", "x", "model", "dim", "chains", "d4j_ms_per_step", "torch_ms_per_step",
                "speedup", "load_average_1min"), rows);
        plot(out, results, "ising-dim", "scaling_ising_dim.png",
                "GWG on an L x L periodic Ising lattice, 100 chains", "sites D = L^2");
        plot(out, results, "rbm-hidden", "scaling_rbm_hidden.png",
                "GWG on an RBM with 784 visible units, 100 chains", "hidden units H");
        List<Plots.Series> chains = new ArrayList<>();
        chains.addAll(series(results, "rbm-chains", "RBM 784x500"));
        chains.addAll(series(results, "ising-chains", "Ising 10x10"));
        Plots.lines(out.resolve("scaling_chains.png"), "GWG time per step against the number of chains",
                "chains", "ms per step", chains, true, true);
        return results;
    }

    private static void plot(RunOutput out, List<Result> results, String curve, String file, String title,
            String xLabel) {
        Plots.lines(out.resolve(file), title, xLabel, "ms per step", series(results, curve, ""), true, true);
    }

    /** The discrete4j and (where run) PyTorch series of one curve. */
    private static List<Plots.Series> series(List<Result> results, String curve, String prefix) {
        List<double[]> java = new ArrayList<>();
        List<double[]> torch = new ArrayList<>();
        for (Result r : results) {
            if (r.point().curve().equals(curve)) {
                java.add(new double[] {r.point().x(), r.java()});
                if (!Double.isNaN(r.torch())) {
                    torch.add(new double[] {r.point().x(), r.torch()});
                }
            }
        }
        String p = prefix.isEmpty() ? "" : prefix + ", ";
        List<Plots.Series> s = new ArrayList<>();
        s.add(xy(p + "discrete4j", java));
        if (!torch.isEmpty()) {
            s.add(xy(p + "PyTorch reference", torch));
        }
        return s;
    }

    private static Plots.Series xy(String name, List<double[]> points) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new Plots.Series(name, x, y);
    }

    /** The results as JSON-ready maps for summary.json. */
    static List<Map<String, Object>> json(List<Result> results) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("curve", r.point().curve());
            m.put("x", r.point().x());
            m.put("model", r.point().name());
            m.put("chains", r.point().chains());
            m.put("discrete4jMsPerStep", r.java());
            m.put("pytorchMsPerStep", Double.isNaN(r.torch()) ? null : r.torch());
            m.put("loadAverage1min", r.load());
            list.add(m);
        }
        return list;
    }
}
