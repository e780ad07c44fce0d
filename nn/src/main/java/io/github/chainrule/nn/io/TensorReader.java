package io.github.chainrule.nn.io;

import io.github.chainrule.autodiff.Tensor;
import io.github.chainrule.nn.io.FileLayout.Entry;
import io.github.chainrule.nn.io.SafeTensors.NonFinite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the data section of a file whose header {@link HeaderReader} has validated, in chunks of at most
 * 1 MiB straight into new tensors: no copy of the file is held in memory, so a read needs about the data
 * section's size in heap. NaN and ±Infinity are read bit for bit, or refused as {@link NonFinite} says.
 */
final class TensorReader {
    private TensorReader() {
    }

    /**
     * Reads every tensor of {@code layout}, in file order, each named after its entry.
     *
     * @throws ModelFileException with {@link NonFinite#REJECT}, for the first NaN or infinite value, naming the
     *                            tensor, the element and its byte offset; or if the file changed size
     */
    static Map<String, Tensor> read(Path file, FileChannel ch, FileLayout layout, NonFinite nonFinite)
            throws IOException {
        long largest = layout.entries().stream().mapToLong(e -> e.end() - e.begin()).max().orElse(8);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(FileChannels.CHUNK_BYTES, Math.max(8, largest)))
                .order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : layout.entries()) {
            Tensor t = Tensor.zeros(e.rows(), e.cols());
            long pos = layout.dataStart() + e.begin();
            int r = 0, c = 0;
            long remaining = e.end() - e.begin();
            while (remaining > 0) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), remaining));
                FileChannels.readFully(file, ch, buf, pos);
                buf.flip();
                while (buf.hasRemaining()) {
                    double v = buf.getDouble();
                    if (nonFinite == NonFinite.REJECT && !Double.isFinite(v)) {
                        throw new ModelFileException(file, pos + buf.position() - 8, "tensor \"" + e.name()
                                + "\" holds " + v + " at (" + r + ", " + c + "); hint: the model had diverged when it"
                                + " was saved; load with NonFinite.ALLOW to inspect it");
                    }
                    t.set(r, c, v);
                    if (++c == e.cols()) {
                        c = 0;
                        r++;
                    }
                }
                pos += buf.limit();
                remaining -= buf.limit();
            }
            tensors.put(e.name(), t.named(e.name()));
        }
        return tensors;
    }
}
