package org.discrete4j.model;

/** What every {@link SiteCache} holds: the shared {@code chains × dim} states it answers for. */
abstract class AbstractSiteCache implements SiteCache {

    final int[] x;
    final int dim;

    AbstractSiteCache(int[] x, int dim) {
        this.x = x;
        this.dim = dim;
    }

    /** x, after checking it holds {@code chains × dim} values (dim named {@code dimName} in the message). */
    static int[] checked(int[] x, int chains, int dim, String dimName) {
        if (x.length != chains * dim) {
            throw new IllegalArgumentException("states have " + x.length + " values, expected chains × " + dimName
                    + " = " + chains + " × " + dim);
        }
        return x;
    }

    @Override
    public final int[] states() {
        return x;
    }

    @Override
    public final int dim() {
        return dim;
    }
}
