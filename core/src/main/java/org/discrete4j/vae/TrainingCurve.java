package org.discrete4j.vae;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.discrete4j.train.Checkpoint;

/**
 * A learning curve stored in a checkpoint column by column (one {@code double[]} per named column, one entry per
 * epoch), as the training loops of this package keep it.
 */
final class TrainingCurve {

    private TrainingCurve() {}

    /** Puts {@code rows} (one array of {@code columns.length} values per epoch) into checkpoint values. */
    static void put(Map<String, Object> values, String[] columns, List<double[]> rows) {
        for (int c = 0; c < columns.length; c++) {
            double[] column = new double[rows.size()];
            for (int i = 0; i < column.length; i++) {
                column[i] = rows.get(i)[c];
            }
            values.put("curve." + columns[c], column);
        }
    }

    /** The rows {@link #put} stored. */
    static List<double[]> get(Checkpoint checkpoint, String[] columns) {
        double[][] stored = new double[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            stored[c] = checkpoint.getDoubles("curve." + columns[c]);
        }
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < stored[0].length; i++) {
            double[] row = new double[columns.length];
            for (int c = 0; c < columns.length; c++) {
                row[c] = stored[c][i];
            }
            rows.add(row);
        }
        return rows;
    }
}
