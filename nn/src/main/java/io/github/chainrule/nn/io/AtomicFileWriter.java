package io.github.chainrule.nn.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * Replaces a file atomically, so that a crash during a save leaves the previous file intact: the content goes
 * to a temporary file in the target's directory, is forced to disk, and is renamed over the target
 * ({@code ATOMIC_MOVE}, or {@code REPLACE_EXISTING} where the file system cannot). Errors name the target,
 * never the temporary file.
 *
 * <p>The temporary file is {@code .<name>.<token>.tmp} ({@link #tmpStem}), short enough for any name the file
 * system accepts. Each save locks its temporary file until the rename; a process killed during a save cannot
 * remove its temporary file, so the next save of the same target deletes the stale ones: regular files named
 * by that target's temporary pattern, last modified before it started and not locked by a save still running,
 * and nothing else.
 */
final class AtomicFileWriter {
    /** The longest file name (one path component) that common file systems accept, in bytes. */
    static final int MAX_NAME_BYTES = 255;
    private static final int TOKEN_CHARS = 13;   // Long.toUnsignedString(x, 36) has at most 13 characters
    private static final String TMP_SUFFIX = ".tmp";

    /**
     * The temporary files this JVM is writing. Their saves hold OS locks, but a clean-up in the same
     * JVM must not even open them: on POSIX systems closing any channel of a file releases every lock
     * the process holds on it.
     */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private AtomicFileWriter() {
    }

    /** Writes a file's whole content to a channel positioned at its start. */
    interface Content {
        void writeTo(FileChannel ch) throws IOException;
    }

    /**
     * The temporary files of a save to {@code targetName} are named {@code "." + stem + "." + token + ".tmp"},
     * with a base-36 token of 1 to 13 characters. The stem is the target's name or, when that would make the
     * temporary name longer than {@value #MAX_NAME_BYTES} bytes, the longest prefix of it that fits followed by
     * {@code "~"} and 8 hex digits of a CRC-32 of the whole name (so two long names rarely share a stem).
     */
    static String tmpStem(String targetName) {
        int room = MAX_NAME_BYTES - 2 - TOKEN_CHARS - TMP_SUFFIX.length();
        byte[] utf8 = targetName.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= room) {
            return targetName;
        }
        CRC32 crc = new CRC32();
        crc.update(utf8);
        String hash = String.format("~%08x", crc.getValue());
        int budget = room - hash.length(), bytes = 0, end = 0;
        while (end < targetName.length()) {
            int cp = targetName.codePointAt(end);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > budget) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        return targetName.substring(0, end) + hash;
    }

    /** Whether {@code name} is one of our temporary files for a target with this stem. */
    static boolean isTemporaryOf(String name, String stem) {
        String prefix = "." + stem + ".";
        if (!name.startsWith(prefix) || !name.endsWith(TMP_SUFFIX)) {
            return false;
        }
        String token = name.substring(prefix.length(), name.length() - TMP_SUFFIX.length());
        return token.matches("[0-9a-z]{1," + TOKEN_CHARS + "}");
    }

    /**
     * Writes {@code content} to {@code file} atomically.
     *
     * @throws IOException naming {@code file} (never the temporary file), with the cause attached; the previous
     *                     file, if any, is then unchanged
     */
    static void write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        String stem = tmpStem(target.getFileName().toString());
        FileTime started = FileTime.from(Instant.now());
        removeStaleTemporaries(dir, stem, started);
        // CREATE_NEW rather than createTempFile: the file gets the usual permissions, not owner-only
        Path tmp = dir.resolve("." + stem + "." + Long.toUnsignedString(
                ThreadLocalRandom.current().nextLong(), 36) + TMP_SUFFIX);
        WRITING.add(tmp);
        try {
            // locked until renamed: another save's clean-up skips a temporary whose save is still running
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                 FileLock lock = ch.lock()) {
                content.writeTo(ch);
                ch.force(true);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw saveError(target, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp, e);
            throw e;
        } finally {
            WRITING.remove(tmp);
        }
        // make the rename itself durable where the platform can open a directory
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open a directory as a channel; the rename is then as durable as the OS makes it
        }
    }

    /**
     * Deletes temporary files that an earlier save of the same target left behind when its process was killed:
     * only regular files named by our pattern for this target ({@link #isTemporaryOf}), last modified before
     * this save started, and not locked: a save holds a lock on its temporary file until the rename (the OS
     * releases it when the process dies), so a save of another file, or one of the same file still running in
     * this or another process, is never touched.
     */
    private static void removeStaleTemporaries(Path dir, String stem, FileTime started) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> isTemporaryOf(p.getFileName().toString(), stem))) {
            for (Path p : entries) {
                try {
                    var attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attrs.isRegularFile() && attrs.lastModifiedTime().compareTo(started) < 0) {
                        deleteIfUnlocked(p);
                    }
                } catch (IOException ignored) {
                    // another process removed it first, or we may not: the save itself does not depend on it
                }
            }
        } catch (IOException | DirectoryIteratorException ignored) {
            // the directory cannot be listed (missing, not readable): the save itself reports the real problem
        }
    }

    /** Deletes {@code p} unless a running save holds it (in this JVM, or its lock in another process). */
    private static void deleteIfUnlocked(Path p) throws IOException {
        if (WRITING.contains(p.toAbsolutePath())) {
            return;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock != null) {
                Files.deleteIfExists(p);
            }
        } catch (OverlappingFileLockException running) {
            // a save in this JVM holds it
        }
    }

    private static void deleteQuietly(Path tmp, Throwable e) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    /** An exception naming the target of a failed save (never the temporary file), with the cause attached. */
    private static IOException saveError(Path target, IOException e) {
        Path dir = target.getParent();
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        String unchanged = "; the previous file, if any, is unchanged";
        IOException out;
        if (e instanceof NoSuchFileException && !Files.isDirectory(dir)) {
            out = new NoSuchFileException(target.toString(), null, "cannot save the model: the directory "
                    + dir + " does not exist; hint: create it first, e.g. Files.createDirectories(file.getParent())");
        } else if (e instanceof AccessDeniedException) {
            out = new AccessDeniedException(target.toString(), null, "cannot save the model: permission"
                    + " denied (a save writes a new file in " + dir + " and renames it over this one)" + unchanged);
        } else if (Files.isDirectory(target)) {
            out = new FileSystemException(target.toString(), null, "cannot save the model: this is a"
                    + " directory; hint: name a file inside it, e.g. " + target.resolve("model.safetensors"));
        } else {
            out = new FileSystemException(target.toString(), null, "cannot save the model: " + reason
                    + unchanged);
        }
        out.initCause(e);
        return out;
    }
}
