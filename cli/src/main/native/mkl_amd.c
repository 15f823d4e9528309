/*
 * Preloaded by the d4j launcher on AMD processors (see d4j and bench/README.md): the oneMKL inside DJL's libtorch asks
 * this function whether the processor is Intel's and, told no, runs its generic code paths instead of the AVX2 and
 * AVX-512 kernels that the processor supports. Answering yes lets MKL choose its kernels by the CPU's features alone.
 * Measured here (AMD EPYC Zen 4, 2 threads): the 17 matrix products of a categorical-VAE training step 4.0 -> 3.4 ms.
 * Disable with D4J_MKL_AMD=0.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
