package io.github.chainrule.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Whole-buffer reads and writes on a {@link FileChannel}: a single {@code read} or {@code write} may
 * transfer fewer bytes than asked, and a model file is only valid when every byte is where the header
 * says it is.
 */
final class FileChannels {
    /** Bytes per read or write of the data section. */
    static final int CHUNK_BYTES = 1 << 20;

    private FileChannels() {
    }

    /** Reads {@code buf.remaining()} bytes at {@code position}, or fails naming the file and the offset. */
    static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new ModelFileException(file, at, "the file ended at byte " + at + " (it changed size while"
                        + " being read)");
            }
            at += n;
        }
    }

    /** Writes all of {@code b} at the channel's position. */
    static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
