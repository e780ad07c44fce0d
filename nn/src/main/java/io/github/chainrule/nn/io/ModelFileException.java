package io.github.chainrule.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that is corrupt, truncated, not in the safetensors format, or does not fit the
 * model it is loaded into. The message names the file, the problem and, where it applies, the
 * byte offset in the file (counted from 0 at the file's first byte).
 */
public class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * @param file    the file
     * @param offset  the byte offset of the problem in the file, or −1 if it concerns no particular byte
     * @param problem what is wrong, without the file name
     */
    public ModelFileException(Path file, long offset, String problem) {
        super(file + ": " + problem + (offset >= 0 ? " (at byte " + offset + ")" : ""));
        this.file = file;
        this.offset = offset;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The byte offset of the problem in the file, or −1. */
    public long offset() {
        return offset;
    }
}
