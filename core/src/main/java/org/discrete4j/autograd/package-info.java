/**
 * Gradients of gradients on the PyTorch engine ({@link org.discrete4j.autograd.HigherOrder}), for estimators that
 * train their control variates on the variance of their own gradient estimates (REBAR, RELAX). The only package
 * that touches the engine's classes ({@code ai.djl.pytorch.*}).
 */
package org.discrete4j.autograd;
