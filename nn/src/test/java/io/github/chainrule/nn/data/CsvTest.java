package io.github.chainrule.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void eachRowBecomesAColumn() throws IOException {
        Path f = write("d.csv", "x1,x2,label\n1,2,0\n3,4,1\n5, 6 ,1\n");
        CsvTable t = Csv.read(f, true);
        assertEquals(List.of("x1", "x2", "label"), t.columnNames());
        assertEquals(3, t.rows());
        Dataset d = t.toDataset("label");
        assertEquals("(2, 3)", d.x().shape().toString());
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, d.x().toRowMajorArray());
        assertArrayEquals(new double[] {0, 1, 1}, d.y().toRowMajorArray());
        assertArrayEquals(new double[] {0, 1, 1}, t.toDataset().y().toRowMajorArray());
        assertArrayEquals(new double[] {1, 3, 5}, t.toDataset(1, 2).x().toRowMajorArray());
        assertEquals("(3, 3)", t.toTensor().shape().toString());
    }

    @Test
    void withoutHeaderColumnsAreNumberedAndQuotesBomAndBlankLinesAreHandled() throws IOException {
        Path f = write("n.csv", "\uFEFF1.5,\"-2e3\"\n\n.25,+7\n");
        CsvTable t = Csv.read(f, false);
        assertEquals(List.of("0", "1"), t.columnNames());
        assertArrayEquals(new double[] {1.5, 0.25, -2000, 7}, t.toTensor().toRowMajorArray());
        Path semi = write("s.csv", "a;b\n1;2\n");
        assertEquals(2.0, Csv.read(semi, true, ';').get(0, 1));
    }

    @Test
    void raggedRowNamesFileAndLine() throws IOException {
        Path f = write("r.csv", "a,b,c\n1,2,3\n4,5,6\n7,8\n");
        DataFileException e = assertThrows(DataFileException.class, () -> Csv.read(f, true));
        assertEquals(f + ":4: expected 3 fields as in line 1, found 2 (ragged row)", e.getMessage());
        assertEquals(4, e.line());
        Path g = write("r2.csv", "1,2\n\n3,4,5\n");
        assertEquals(g + ":3: expected 2 fields as in line 1, found 3 (ragged row)",
                assertThrows(DataFileException.class, () -> Csv.read(g, false)).getMessage());
    }

    @Test
    void nonNumberNamesFileLineAndColumn() throws IOException {
        Path f = write("x.csv", "x1,x2\n1,2\n3,abc\n");
        assertEquals(f + ":3: column 2 (\"x2\"): \"abc\" is not a number",
                assertThrows(DataFileException.class, () -> Csv.read(f, true)).getMessage());
        Path g = write("y.csv", "1,2\n3,\n");
        assertEquals(g + ":2: column 2: empty field; missing values are not supported",
                assertThrows(DataFileException.class, () -> Csv.read(g, false)).getMessage());
        Path h = write("z.csv", "1,NaN\n");
        assertEquals(h + ":1: column 2: \"NaN\" is not a finite decimal number",
                assertThrows(DataFileException.class, () -> Csv.read(h, false)).getMessage());
        Path k = write("k.csv", "1,0x10\n");
        assertEquals(k + ":1: column 2: \"0x10\" is not a number",
                assertThrows(DataFileException.class, () -> Csv.read(k, false)).getMessage());
        Path last = write("nolf.csv", "1,2\n3,4\n5,x");
        assertEquals(last + ":3: column 2: \"x\" is not a number",
                assertThrows(DataFileException.class, () -> Csv.read(last, false)).getMessage());
    }

    @Test
    void emptyFilesAndBadLabelsGiveClearErrors() throws IOException {
        Path empty = write("e.csv", "");
        assertEquals(empty + ": no data rows (the file is empty)",
                assertThrows(DataFileException.class, () -> Csv.read(empty, false)).getMessage());
        Path header = write("h.csv", "a,b\n");
        assertEquals(header + ": no data rows after the header in line 1",
                assertThrows(DataFileException.class, () -> Csv.read(header, true)).getMessage());
        CsvTable t = Csv.read(write("t.csv", "a,b\n1,2\n"), true);
        assertEquals("CsvTable.toDataset: " + dir.resolve("t.csv") + " has no column \"y\"; columns are [a, b]",
                assertThrows(IllegalArgumentException.class, () -> t.toDataset("y")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.toDataset(0, 1));
    }

    @Test
    void aByteThatIsNotUtf8IsReportedOnItsOwnLine() throws IOException {
        // "caf\u00e9" written as Latin-1 on line 3: the byte 0xE9 alone is not UTF-8
        byte[] text = "name,x\n1,2\n3,caf\u00e9\n5,6\n".getBytes(StandardCharsets.ISO_8859_1);
        Path f = Files.write(dir.resolve("q2.csv"), text);
        DataFileException e = assertThrows(DataFileException.class, () -> Csv.read(f, true));
        assertEquals(f + ":3: the file is not UTF-8: byte 0xE9 at byte offset 16 is not valid UTF-8; hint: it may be"
                + " Latin-1 or Windows-1252: re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)", e.getMessage());
        assertEquals(3, e.line());
        // with \\r\\n and \\r line ends, after a quoted field spanning two lines
        byte[] crlf = "a,b\r\n\"1\n\",2\r3,4\r\n5,\u00ff\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Path g = Files.write(dir.resolve("crlf.csv"), crlf);
        assertEquals(5, assertThrows(DataFileException.class, () -> Csv.read(g, true)).line());
        // problems above the bad byte are reported first, at their own line
        Path h = Files.write(dir.resolve("h.csv"), "1,2\n3,x\n\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(h + ":2: column 2: \"x\" is not a number",
                assertThrows(DataFileException.class, () -> Csv.read(h, false)).getMessage());
        // valid multi-byte UTF-8 across the reader's 8 KiB buffers is fine
        Path big = write("big.csv", "x\u00e9\n" + "1\n".repeat(10_000));
        assertEquals(10_000, Csv.read(big, true).rows());
    }

    @Test
    void duplicateColumnNamesAreRejected() throws IOException {
        Path f = write("dup.csv", "x1,x2,x1\n1,2,3\n");
        assertEquals(f + ":1: column names must be unique: \"x1\" names both column 1 and column 3",
                assertThrows(DataFileException.class, () -> Csv.read(f, true)).getMessage());
    }

    @Test
    void aDirectoryIsNamed() throws IOException {
        Path d = Files.createDirectory(dir.resolve("data.csv"));
        assertEquals(d + ": is a directory, not a CSV file; hint: name a file inside it",
                assertThrows(DataFileException.class, () -> Csv.read(d, true)).getMessage());
    }
}
