package org.discrete4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.IsingModel;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * model.json: every parameter needed to rebuild a model exactly, and reading it back for {@code --model-file}.
 * One case per model type.
 */
final class ModelFiles {

    private ModelFiles() {}

    /** The parameters of the model; {@code command}, when not null, adds the options it was built from. */
    static Map<String, Object> parameters(EnergyModel model, SampleCommand command) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (model instanceof IsingModel ising) {
            p.put("model", "ising");
            p.put("description", ising.toString());
            p.put("dim", ising.dim());
            p.put("numValues", 2);
            p.put("logProb", "sum over pairs i<j of J_ij s_i s_j + sum_i h_i s_i, s = 2x - 1");
            if (command != null && "ising".equals(command.model)) {
                p.put("options", command.options());
            }
            p.put("fields", ising.fields());
            p.put("couplings", edges(ising));
            return p;
        }
        p.put("model", model.getClass().getSimpleName());
        p.put("description", model.toString());
        p.put("dim", model.dim());
        p.put("numValues", model.numValues());
        return p;
    }

    /** Each coupled pair once, as [i, j, J_ij] with i &lt; j. */
    private static List<List<Object>> edges(IsingModel m) {
        List<List<Object>> e = new ArrayList<>();
        int[] start = m.starts();
        int[] nb = m.neighbours();
        double[] j = m.couplings();
        for (int i = 0; i < m.dim(); i++) {
            for (int n = start[i]; n < start[i + 1]; n++) {
                if (i < nb[n]) {
                    e.add(List.of(i, nb[n], j[n]));
                }
            }
        }
        return e;
    }

    /** The model in a model.json written by {@link #parameters}. */
    @SuppressWarnings("unchecked")
    static EnergyModel read(CommandLine cl, Path file) {
        Map<String, Object> p;
        try {
            p = RunOutput.readJson(file);
        } catch (IOException e) {
            throw new ParameterException(cl, "--model-file " + file + " is not a model.json: " + e.getMessage());
        }
        Object type = p.get("model");
        if (!"ising".equals(type)) {
            throw new ParameterException(cl, "--model-file " + file + ": model type " + type
                    + " cannot be read in this build (known: ising)");
        }
        try {
            int d = ((Number) p.get("dim")).intValue();
            double[] h = toDoubles((List<Object>) p.get("fields"));
            List<List<Object>> pairs = (List<List<Object>>) p.get("couplings");
            Map<String, Object> options = (Map<String, Object>) p.get("options");
            if (options != null && options.get("size") != null) {
                // A lattice: rebuilding it avoids a dense D × D matrix; the check below makes it exact.
                IsingModel m = IsingModel.lattice(((Number) options.get("size")).intValue(),
                        ((Number) options.get("coupling")).doubleValue(),
                        ((Number) options.get("field")).doubleValue());
                if (m.dim() == d && Arrays.equals(m.fields(), h) && edges(m).equals(normalised(pairs))) {
                    return m;
                }
            }
            if (d > 4096) {
                throw new ParameterException(cl, "--model-file " + file + ": dense Ising models are limited to 4096"
                        + " sites, got " + d);
            }
            double[][] j = new double[d][d];
            for (List<Object> e : pairs) {
                int a = ((Number) e.get(0)).intValue();
                int b = ((Number) e.get(1)).intValue();
                double w = ((Number) e.get(2)).doubleValue();
                j[a][b] = w;
                j[b][a] = w;
            }
            return IsingModel.of(j, h);
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException
                | IllegalArgumentException e) {
            if (e instanceof ParameterException pe) {
                throw pe;
            }
            throw new ParameterException(cl, "--model-file " + file + " is not a valid Ising model.json: " + e);
        }
    }

    private static List<List<Object>> normalised(List<List<Object>> pairs) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> e : pairs) {
            out.add(List.of(((Number) e.get(0)).intValue(), ((Number) e.get(1)).intValue(),
                    ((Number) e.get(2)).doubleValue()));
        }
        return out;
    }

    private static double[] toDoubles(List<Object> v) {
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) v.get(i)).doubleValue();
        }
        return out;
    }

    /** The state x[from..to) as digits: 0–9 for K ≤ 10, 0–9a–z for K ≤ 36, else values separated by spaces. */
    static String digits(int[] x, int from, int to, int k) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            appendDigit(sb, x[i], k, i - from);
        }
        return sb.toString();
    }

    static void appendDigit(StringBuilder sb, int v, int k, int position) {
        if (k <= 36) {
            sb.append(Character.forDigit(v, 36));
        } else {
            if (position > 0) {
                sb.append(' ');
            }
            sb.append(v);
        }
    }
}
