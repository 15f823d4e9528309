/**
 * Vector quantisation ({@link org.discrete4j.quantize.VectorQuantizer}): nearest-codebook layers trained with a
 * straight-through gradient, as in VQ-VAE. Deterministic layers, not gradient estimators of an expectation.
 */
package org.discrete4j.quantize;
