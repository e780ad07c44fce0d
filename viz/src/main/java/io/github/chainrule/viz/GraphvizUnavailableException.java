package io.github.chainrule.viz;

/**
 * No Graphviz engine could render: the {@code dot} program is not installed (or not on the
 * {@code PATH}) and the engine bundled with Graphviz-java cannot run on this machine. The message
 * says what was tried and why each failed; the DOT text ({@link GraphDrawing#dot()}) is still
 * available.
 */
public final class GraphvizUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    GraphvizUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
