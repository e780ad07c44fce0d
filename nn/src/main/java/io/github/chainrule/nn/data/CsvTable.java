package io.github.chainrule.nn.data;

import io.github.chainrule.autodiff.Checks;
import io.github.chainrule.autodiff.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The numbers of a CSV file as read by {@link Csv}: {@link #rows()} examples (CSV rows) of
 * {@link #columns()} values (CSV columns), with column names.
 */
public final class CsvTable {
    private final Path file;
    private final List<String> names;
    private final List<double[]> rows;

    CsvTable(Path file, List<String> names, List<double[]> rows) {
        this.file = file;
        this.names = List.copyOf(names);
        this.rows = rows;
    }

    /** The column names: the header, or {@code "0"}, {@code "1"}, ... without one. */
    public List<String> columnNames() {
        return names;
    }

    /** The number of data rows (examples). */
    public int rows() {
        return rows.size();
    }

    /** The number of columns. */
    public int columns() {
        return names.size();
    }

    /** The value in data row {@code row} (0-based, not counting the header), column {@code column}. */
    public double get(int row, int column) {
        return rows.get(row)[column];
    }

    /** The whole table transposed: shape {@code (columns, rows)}, CSV row {@code j} is column {@code j}. */
    public Tensor toTensor() {
        int[] all = new int[columns()];
        Arrays.setAll(all, i -> i);
        return columnsAsRows(all);
    }

    /** The last column as labels {@code Y (1, m)}, the others as inputs {@code X (columns − 1, m)}. */
    public Dataset toDataset() {
        Checks.argument(columns() >= 2, "CsvTable.toDataset: %s has %d column(s); need at least one feature and"
                + " one label column", file, columns());
        return toDataset(columns() - 1);
    }

    /**
     * The named columns as labels {@code Y (labels, m)} in the given order; the other columns,
     * in file order, as inputs {@code X (n_x, m)}.
     *
     * @throws IllegalArgumentException if a name is not a column, repeats, or no feature column is left
     */
    public Dataset toDataset(String... labelColumns) {
        Checks.notNull(labelColumns, "CsvTable.toDataset", "labelColumns");
        int[] idx = new int[labelColumns.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = names.indexOf(labelColumns[i]);
            Checks.argument(idx[i] >= 0, "CsvTable.toDataset: %s has no column \"%s\"; columns are %s", file,
                    labelColumns[i], names);
        }
        return toDataset(idx);
    }

    /**
     * The columns at {@code labelColumns} (0-based) as labels {@code Y}, the others as inputs {@code X}.
     *
     * @throws IllegalArgumentException if an index is out of range, repeats, or no feature column is left
     */
    public Dataset toDataset(int... labelColumns) {
        Checks.notNull(labelColumns, "CsvTable.toDataset", "labelColumns");
        Checks.argument(labelColumns.length >= 1, "CsvTable.toDataset: name at least one label column");
        boolean[] isLabel = new boolean[columns()];
        for (int c : labelColumns) {
            Checks.argument(c >= 0 && c < columns(), "CsvTable.toDataset: label column %d is outside [0, %d) in %s",
                    c, columns(), file);
            Checks.argument(!isLabel[c], "CsvTable.toDataset: label column %d (\"%s\") is named twice", c,
                    names.get(c));
            isLabel[c] = true;
        }
        List<Integer> features = new ArrayList<>();
        for (int c = 0; c < columns(); c++) {
            if (!isLabel[c]) {
                features.add(c);
            }
        }
        Checks.argument(!features.isEmpty(), "CsvTable.toDataset: every column of %s is a label; no features left",
                file);
        return new Dataset(columnsAsRows(features.stream().mapToInt(Integer::intValue).toArray()),
                columnsAsRows(labelColumns));
    }

    private Tensor columnsAsRows(int[] columns) {
        int m = rows();
        double[] data = new double[columns.length * m];
        for (int j = 0; j < m; j++) {
            double[] row = rows.get(j);
            for (int i = 0; i < columns.length; i++) {
                data[i * m + j] = row[columns[i]];
            }
        }
        return Tensor.fromRowMajor(columns.length, m, data);
    }

    @Override
    public String toString() {
        return "CsvTable(" + file + ": " + rows() + " rows × " + columns() + " columns " + names + ")";
    }
}
