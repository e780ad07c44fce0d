package io.github.chainrule.viz;

/**
 * No Graphviz engine could render: the {@code dot} program is not installed (or not on the
 * {@code PATH}) and the bundled engine could not start (for example, its classes were left out of
 * a repackaged jar). The message says what was tried, why it failed and how to install Graphviz;
 * the DOT text ({@link GraphDrawing#dot()}) is still available, and {@code toSvg}/{@code toPng}
 * write it beside the requested picture.
 */
public final class GraphvizUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    GraphvizUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
