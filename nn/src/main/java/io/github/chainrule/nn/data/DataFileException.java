package io.github.chainrule.nn.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be read as numbers: the message names the file, the line (1-based,
 * counting a header line) and, where it applies, the column.
 */
public class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    /**
     * @param file    the file
     * @param line    1-based line number, or 0 if the problem concerns the whole file
     * @param problem what is wrong, without the file name
     */
    public DataFileException(Path file, long line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The 1-based line number, or 0 if the problem concerns the whole file. */
    public long line() {
        return line;
    }
}
