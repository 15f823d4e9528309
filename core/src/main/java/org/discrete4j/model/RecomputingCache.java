package org.discrete4j.model;

/** The fallback {@link SiteCache}: every delta is two full evaluations of log p̃ of one chain. */
final class RecomputingCache implements SiteCache {

    private final EnergyModel model;
    private final int[] x;
    private final int dim;
    private final int[] row;
    private final double[] one = new double[1];

    RecomputingCache(EnergyModel model, int[] x, int chains) {
        this.model = model;
        this.x = x;
        this.dim = model.dim();
        this.row = new int[dim];
        if (x.length != chains * dim) {
            throw new IllegalArgumentException("states have " + x.length + " values, expected chains × dim = "
                    + chains + " × " + dim);
        }
    }

    @Override
    public int[] states() {
        return x;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public double delta(int chain, int site, int value) {
        System.arraycopy(x, chain * dim, row, 0, dim);
        model.logProb(row, 1, one);
        double before = one[0];
        row[site] = value;
        model.logProb(row, 1, one);
        return one[0] - before;
    }

    @Override
    public void set(int chain, int site, int value) {
        x[chain * dim + site] = value;
    }
}
