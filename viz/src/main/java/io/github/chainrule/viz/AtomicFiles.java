package io.github.chainrule.viz;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Objects;
import javax.imageio.ImageIO;

/** Writes files atomically: a temporary file in the target's folder, then a move over the target. */
final class AtomicFiles {
    /** Writes the content to a stream. */
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes {@code path} through {@code writer}; creates missing parent folders; readers never see a partial file. */
    static void write(String op, Path path, Writer writer) throws IOException {
        Objects.requireNonNull(path, () -> op + ": path must not be null");
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(op + ": " + target + " is a folder; give a file name");
        }
        Files.createDirectories(dir);
        // not Files.createTempFile: its 0600 permissions would stay on the result; this gets the umask's
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes {@code image} as PNG to {@code path}, atomically as {@link #write}; fails with an
     * {@code IOException} naming {@code op} if ImageIO has no PNG writer (then nothing is written).
     */
    static void writePng(String op, Path path, RenderedImage image) throws IOException {
        Objects.requireNonNull(image, () -> op + ": image must not be null");
        write(op, path, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException(op + ": ImageIO has no PNG writer in this JDK; " + path + " was not written");
            }
        });
    }
}
