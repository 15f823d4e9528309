package org.discrete4j.model;

/** The fallback {@link SiteCache}: every delta is two full evaluations of log p̃ of one chain. */
final class RecomputingCache extends AbstractSiteCache {

    private final EnergyModel model;
    private final int[] row;
    private final double[] one = new double[1];

    RecomputingCache(EnergyModel model, int[] x, int chains) {
        super(checked(x, chains, model.dim(), "dim"), model.dim());
        this.model = model;
        this.row = new int[dim];
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
