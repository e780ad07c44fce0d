package io.github.chainrule.nn.io;

import static io.github.chainrule.nn.io.HeaderJson.MAPPER;
import static io.github.chainrule.nn.io.HeaderJson.METADATA;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes named tensors as a safetensors file and hands it to {@link AtomicFileWriter}: the header lists every
 * tensor as {@code F64} with its shape and data offsets, padded with spaces to a multiple of 8 bytes so that
 * the data is aligned for zero-copy readers; the data follows as little-endian doubles in row-major order,
 * written in chunks of 1 MiB so that a save needs no second copy of the model.
 */
final class TensorWriter {
    private TensorWriter() {
    }

    /**
     * Writes {@code tensors} (not empty) to {@code file} atomically, in the map's order, with {@code metadata}
     * ({@code null} for none).
     *
     * @throws IllegalArgumentException if a name is empty or {@code "__metadata__"}, or a metadata key or value
     *                                  is null
     * @throws IOException              if the file cannot be written (see {@link AtomicFileWriter#write})
     */
    static void write(Map<String, Tensor> tensors, Path file, Map<String, String> metadata) throws IOException {
        ObjectNode header = MAPPER.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach((k, v) -> {
                Checks.argument(k != null && v != null, "SafeTensors.save: metadata keys and values must not be null,"
                        + " got %s -> %s", k, v);
                meta.put(k, v);
            });
        }
        long offset = 0;
        List<Tensor> order = new ArrayList<>();
        for (var e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            Checks.argument(name != null && !name.isEmpty() && !name.equals(METADATA), "SafeTensors.save: tensor name"
                    + " \"%s\" is not allowed (empty or reserved)", name);
            Checks.notNull(t, "SafeTensors.save", "tensor \"" + name + "\"");
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", "F64");
            entry.putArray("shape").add(t.rows()).add(t.cols());
            long end = offset + 8L * t.size();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
            order.add(t);
        }
        byte[] json = MAPPER.writeValueAsBytes(header);
        // pad with spaces (allowed by the format) so the data section starts 8-byte aligned
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        AtomicFileWriter.write(file, ch -> {
            FileChannels.writeFully(ch, head);
            // the data in chunks: a save needs no second copy of the model in memory
            ByteBuffer chunk = ByteBuffer.allocate(FileChannels.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : order) {
                for (int r = 0; r < t.rows(); r++) {
                    for (int c = 0; c < t.cols(); c++) {
                        if (!chunk.hasRemaining()) {
                            FileChannels.writeFully(ch, chunk.flip());
                            chunk.clear();
                        }
                        chunk.putDouble(t.get(r, c));
                    }
                }
            }
            FileChannels.writeFully(ch, chunk.flip());
        });
    }
}
