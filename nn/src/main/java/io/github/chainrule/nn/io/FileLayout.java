package io.github.chainrule.nn.io;

import java.util.List;
import java.util.Map;

/**
 * The validated structure of a safetensors file, as {@link HeaderReader} found it: its tensors in file
 * order, its metadata, and where the data section starts. Nothing of the data is read yet, so a load can
 * check names and shapes against the model before it allocates anything for the tensors.
 */
record FileLayout(List<Entry> entries, Map<String, String> metadata, long dataStart) {

    /** One tensor of the header: its name, its shape and its bytes {@code [begin, end)} in the data section. */
    record Entry(String name, int rows, int cols, long begin, long end) {
    }
}
