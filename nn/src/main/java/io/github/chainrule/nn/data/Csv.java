package io.github.chainrule.nn.data;

import io.github.chainrule.autodiff.Checks;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads numeric CSV files (RFC 4180, UTF-8, via Apache Commons CSV) into a {@link CsvTable}.
 *
 * <p><b>Orientation:</b> a CSV row is one example and a CSV column one feature, as spreadsheets
 * and pandas write them. {@link CsvTable#toTensor()} and {@link CsvTable#toDataset} transpose,
 * so that each CSV row becomes one <em>column</em> of {@code X (n_x, m)}, the course's layout.
 *
 * <p>Every field must be a finite decimal number (surrounding spaces are ignored); empty lines
 * are skipped; column names in a header must be unique; the file must be UTF-8 (a byte that is not,
 * such as Latin-1's {@code é}, is reported on its own line with its byte offset). Problems raise a
 * {@link DataFileException} naming the file and the line:
 * <ul>
 *   <li>{@code data.csv:4: expected 3 fields as in line 1, found 2 (ragged row)}</li>
 *   <li>{@code data.csv:7: column 2 ("x2"): "abc" is not a number}</li>
 * </ul>
 */
public final class Csv {
    private Csv() {
    }

    /**
     * Reads {@code file}; when {@code header} is true the first line holds column names, otherwise
     * columns are named {@code "0"}, {@code "1"}, ...
     *
     * @throws DataFileException if the file is empty, ragged, or holds a field that is not a finite number
     * @throws IOException       if the file cannot be read
     */
    public static CsvTable read(Path file, boolean header) throws IOException {
        return read(file, header, ',');
    }

    /** Like {@link #read(Path, boolean)} with another field delimiter (e.g. {@code ';'} or {@code '\t'}). */
    public static CsvTable read(Path file, boolean header, char delimiter) throws IOException {
        Checks.notNull(file, "Csv.read", "file");
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true).get();
        if (Files.isDirectory(file)) {
            throw new DataFileException(file, 0, "is a directory, not a CSV file; hint: name a file inside it");
        }
        try (Reader reader = new Utf8LineReader(file, Files.newInputStream(file));
             CSVParser parser = format.parse(reader)) {
            Iterator<CSVRecord> records = parser.iterator();
            List<String> names = null;
            long namesLine = 0;
            List<double[]> rows = new ArrayList<>();
            int width = -1;
            long widthLine = 0;
            long previousEnd = 0;
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (java.io.UncheckedIOException e) {
                    if (e.getCause() instanceof DataFileException notUtf8) {
                        throw notUtf8;
                    }
                    throw new DataFileException(file, parser.getCurrentLineNumber() + 1, "malformed CSV: "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
                } catch (IllegalStateException e) {
                    // commons-csv reports malformed quoting this way
                    throw new DataFileException(file, parser.getCurrentLineNumber() + 1, "malformed CSV: "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
                }
                long line = lineOf(parser, previousEnd);
                previousEnd = parser.getCurrentLineNumber();
                if (header && names == null) {
                    names = new ArrayList<>();
                    for (String s : record) {
                        names.add(stripBom(s, names.isEmpty()));
                    }
                    namesLine = line;
                    for (int c = 0; c < names.size(); c++) {
                        int first = names.indexOf(names.get(c));
                        if (first != c) {
                            throw new DataFileException(file, line, String.format("column names must be unique:"
                                    + " \"%s\" names both column %d and column %d", abbreviate(names.get(c)), first + 1,
                                    c + 1));
                        }
                    }
                    width = names.size();
                    widthLine = line;
                    continue;
                }
                if (width < 0) {
                    width = record.size();
                    widthLine = line;
                }
                if (record.size() != width) {
                    throw new DataFileException(file, line, String.format("expected %d fields as in line %d, found %d"
                            + " (ragged row)", width, widthLine, record.size()));
                }
                double[] values = new double[width];
                for (int c = 0; c < width; c++) {
                    String field = stripBom(record.get(c), rows.isEmpty() && names == null && c == 0).strip();
                    values[c] = parse(file, line, c, names, field);
                }
                rows.add(values);
            }
            if (rows.isEmpty()) {
                throw new DataFileException(file, 0, header && names != null
                        ? "no data rows after the header in line " + namesLine : "no data rows (the file is empty)");
            }
            if (names == null) {
                names = new ArrayList<>();
                for (int c = 0; c < width; c++) {
                    names.add(Integer.toString(c));
                }
            }
            return new CsvTable(file, names, rows);
        }
    }

    /**
     * The 1-based line a record started on. The parser's line counter has passed the record's
     * line break when the record is returned, except for a last line without one; a record never
     * starts before the line after the previous record ended, and empty lines are skipped.
     */
    private static long lineOf(CSVParser parser, long previousEnd) {
        return Math.max(previousEnd + 1, parser.getCurrentLineNumber());
    }

    private static String stripBom(String s, boolean first) {
        return first && s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static double parse(Path file, long line, int column, List<String> names, String field)
            throws DataFileException {
        String where = "column " + (column + 1) + (names != null ? " (\"" + names.get(column) + "\")" : "");
        if (field.isEmpty()) {
            throw new DataFileException(file, line, where + ": empty field; missing values are not supported");
        }
        double v;
        try {
            v = Double.parseDouble(field);
        } catch (NumberFormatException e) {
            throw new DataFileException(file, line, where + ": \"" + abbreviate(field) + "\" is not a number");
        }
        // parseDouble also accepts hex and the 'd'/'f' suffixes; reject those to keep files portable
        if (!Double.isFinite(v) || !field.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new DataFileException(file, line, where + ": \"" + abbreviate(field) + "\" is not a finite decimal"
                    + " number");
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
