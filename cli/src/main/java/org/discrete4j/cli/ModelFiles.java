package org.discrete4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.discrete4j.model.EnergyModel;
import org.discrete4j.model.Models;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * model.json: every parameter needed to rebuild a model exactly, and reading it back for {@code --model-file}.
 * One case per model type.
 */
final class ModelFiles {

    private ModelFiles() {}

    /**
     * model.json: the model's own parameters (enough to rebuild it exactly with {@link Models#fromParameters}), the
     * number of values per site, and {@code options}, the command-line settings it was built from when not null.
     */
    static Map<String, Object> parameters(EnergyModel model, Map<String, Object> options) {
        Map<String, Object> p = new LinkedHashMap<>(model.parameters());
        p.put("numValues", model.numValues());
        if (options != null) {
            p.put("options", options);
        }
        return p;
    }

    /** The model in a model.json written by {@link #parameters}. */
    static EnergyModel read(CommandLine cl, Path file) {
        Map<String, Object> p;
        try {
            p = RunOutput.readJson(file);
        } catch (IOException e) {
            throw new ParameterException(cl, "--model-file " + file + " is not a model.json: " + e.getMessage());
        }
        try {
            return Models.fromParameters(p);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ParameterException(cl, "--model-file " + file + " is not a valid model.json: " + e.getMessage());
        }
    }

    /** The model in {@code file}, which must be a {@code type} (named {@code what} in the usage error otherwise). */
    static <T extends EnergyModel> T read(CommandLine cl, Path file, Class<T> type, String what) {
        EnergyModel m = read(cl, file);
        if (!type.isInstance(m)) {
            throw new ParameterException(cl, "--model-file " + file + " holds " + m + ", not " + what);
        }
        return type.cast(m);
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
