package org.discrete4j.sampler;

/**
 * Diagnostics of one step of all chains.
 *
 * @param acceptance fraction of chains whose proposal was accepted (1 for Gibbs-type kernels)
 * @param flips mean number of sites that changed per chain
 */
public record StepInfo(double acceptance, double flips) {}
