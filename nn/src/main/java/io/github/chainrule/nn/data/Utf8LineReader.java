package io.github.chainrule.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Decodes a file as strict UTF-8 and, at the first byte that is not UTF-8, fails with a
 * {@link DataFileException} naming the line it is on (counting {@code \n}, {@code \r\n} and {@code \r}
 * as line ends, as the CSV parser does), its byte offset and value. Characters before the bad byte are
 * delivered first, so everything above it is parsed (and its own errors reported) as usual.
 */
final class Utf8LineReader extends Reader {
    private final Path file;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192);
    private final CharBuffer chars = CharBuffer.allocate(8192);
    private long bytesBefore;       // bytes of the file before bytes.position()
    private long line = 1;          // the line of the next decoded character
    private boolean lastWasCr;
    private boolean eof;
    private DataFileException pending;

    Utf8LineReader(Path file, InputStream in) {
        this.file = file;
        this.in = in;
        bytes.flip();
        chars.flip();
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (pending != null) {
                throw pending;
            }
            if (eof && !bytes.hasRemaining()) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, chars.remaining());
        chars.get(cbuf, off, n);
        return n;
    }

    private void fill() throws IOException {
        if (!eof) {
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                eof = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }
        chars.clear();
        int start = bytes.position();
        CoderResult result = decoder.decode(bytes, chars, eof);
        bytesBefore += bytes.position() - start;
        chars.flip();
        countLines();
        if (result.isError()) {
            int bad = bytes.get(bytes.position()) & 0xFF;
            pending = new DataFileException(file, line, String.format("the file is not UTF-8: byte 0x%02X at byte"
                    + " offset %d is not valid UTF-8; hint: it may be Latin-1 or Windows-1252: re-save it as UTF-8"
                    + " (e.g. iconv -f latin1 -t utf-8)", bad, bytesBefore));
        } else if (eof && !bytes.hasRemaining()) {
            decoder.flush(chars.compact());
            chars.flip();
        }
    }

    private void countLines() {
        for (int i = chars.position(); i < chars.limit(); i++) {
            char c = chars.get(i);
            if (c == '\n') {
                if (!lastWasCr) {
                    line++;
                }
            } else if (c == '\r') {
                line++;
            }
            lastWasCr = c == '\r';
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
