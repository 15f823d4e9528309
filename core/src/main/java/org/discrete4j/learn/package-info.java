/**
 * Learning energy models from data by persistent contrastive divergence, with the discrete samplers of
 * {@link org.discrete4j.sampler} drawing the model's expectations: {@link org.discrete4j.learn.IsingPcd} learns the
 * couplings of an Ising model, as in Grathwohl et al.'s Ising structure-learning experiment.
 */
package org.discrete4j.learn;
