/**
 * Training: {@link io.github.chainrule.nn.train.Trainer} runs epochs of mini-batches with any
 * {@link io.github.chainrule.nn.Optimizer}, shows progress like tqdm (a redrawn bar on a terminal,
 * plain lines otherwise), prints the course's "Cost after iteration i" lines on request, stops on
 * a NaN or infinite cost naming the first parameter whose gradient is not finite, and returns a
 * {@link io.github.chainrule.nn.train.History}.
 *
 * <p>Depends on {@code io.github.chainrule.autodiff}, the {@code nn} interfaces,
 * {@code nn.data}, {@code nn.optim}, {@code nn.metrics}, and the progressbar library
 * ({@code me.tongfei:progressbar}) for the terminal bar.
 */
package io.github.chainrule.nn.train;
