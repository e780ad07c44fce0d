/**
 * Model files in the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * so that numpy and PyTorch users can read chainrule's weights and the other way round:
 * {@link io.github.chainrule.nn.io.SafeTensors} writes atomically and validates every byte
 * it reads; problems raise a {@link io.github.chainrule.nn.io.ModelFileException} naming the
 * file, the problem and the byte offset.
 *
 * <p>Depends on {@code io.github.chainrule.autodiff}, {@link io.github.chainrule.nn.Module} and
 * Jackson (for the JSON header).
 */
package io.github.chainrule.nn.io;
