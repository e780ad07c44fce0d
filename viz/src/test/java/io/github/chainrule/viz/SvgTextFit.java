package io.github.chainrule.viz;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Checks that every text of a Graphviz SVG lies inside its shape, measuring each text with the
 * font the picture is drawn with ({@link TextMetrics}): a node's texts inside its ellipse, polygon
 * or table border, and apart from each other; a cluster's label inside the cluster; an edge's
 * label clear of every node. PNG images are rasterized from the same SVG with the same font, so
 * what holds here holds for them.
 */
public final class SvgTextFit {
    private static final double TOLERANCE = 0.6; // points: Graphviz rounds coordinates to 0.01, borders are 1 wide
    /** Clearance a text keeps from the line around it, in points: touching the border does not count as fitting. */
    private static final double CLEARANCE = 1.0;
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:e-?\\d+)?");

    private SvgTextFit() {
    }

    /** A text's box: left, right, top, bottom (SVG coordinates, y down). */
    record Box(String text, double x0, double x1, double y0, double y1) {
        boolean inside(double l, double r, double t, double b) {
            return x0 >= l + CLEARANCE && x1 <= r - CLEARANCE && y0 >= t + CLEARANCE && y1 <= b - CLEARANCE;
        }

        boolean overlaps(double l, double r, double t, double b) {
            return x0 < r - TOLERANCE && x1 > l + TOLERANCE && y0 < b - TOLERANCE && y1 > t + TOLERANCE;
        }
    }

    /** Every text that does not fit, described; empty when all fit. */
    public static List<String> problems(String svg) {
        Document doc = parse(svg);
        List<String> problems = new ArrayList<>();
        List<double[]> nodeBounds = new ArrayList<>();
        List<String> nodeTitles = new ArrayList<>();
        NodeList groups = doc.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if ("node".equals(g.getAttribute("class"))) {
                nodeBounds.add(bounds(g));
                nodeTitles.add(title(g));
            }
        }
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            String kind = g.getAttribute("class");
            List<Box> texts = texts(g);
            if (kind.equals("node")) {
                checkNode(g, texts, problems);
            } else if (kind.equals("cluster")) {
                double[] b = bounds(g);
                for (Box t : texts) {
                    if (!t.inside(b[0], b[1], b[2], b[3])) {
                        problems.add("cluster " + title(g) + ": \"" + t.text() + "\" " + describe(t) + " leaves the cluster "
                                + describe(b));
                    }
                }
            } else if (kind.equals("edge")) {
                for (Box t : texts) {
                    for (int k = 0; k < nodeBounds.size(); k++) {
                        double[] b = nodeBounds.get(k);
                        if (t.overlaps(b[0], b[1], b[2], b[3])) {
                            problems.add("edge " + title(g) + ": label \"" + t.text() + "\" " + describe(t)
                                    + " overlaps node " + nodeTitles.get(k) + " " + describe(b));
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** How many texts the SVG holds (so that a check over zero texts cannot pass unnoticed). */
    public static int textCount(String svg) {
        return parse(svg).getElementsByTagName("text").getLength();
    }

    private static void checkNode(Element g, List<Box> texts, List<String> problems) {
        String name = title(g);
        Element ellipse = first(g, "ellipse");
        Element polygon = first(g, "polygon");
        for (Box t : texts) {
            boolean ok;
            String shape;
            if (ellipse != null) {
                double cx = num(ellipse, "cx"), cy = num(ellipse, "cy"), rx = num(ellipse, "rx") - CLEARANCE,
                        ry = num(ellipse, "ry") - CLEARANCE;
                ok = true;
                for (double[] p : corners(t)) {
                    double dx = (p[0] - cx) / rx, dy = (p[1] - cy) / ry;
                    ok &= dx * dx + dy * dy <= 1;
                }
                shape = "ellipse at (" + f(cx) + ", " + f(cy) + ") radii " + f(rx) + " × " + f(ry);
            } else if (polygon != null && points(polygon.getAttribute("points")).size() > 5) {
                List<double[]> poly = points(polygon.getAttribute("points"));
                ok = true;
                for (double[] p : corners(t)) {
                    ok &= insidePolygon(p, poly);
                }
                shape = "polygon " + polygon.getAttribute("points");
            } else {
                double[] b = bounds(g);
                double r = cornerRadius(g, b);
                ok = t.inside(b[0], b[1], b[2], b[3]);
                for (double[] p : corners(t)) { // inside the rounded corners, not only the bounding box
                    double cx = Math.max(b[0] + r, Math.min(b[1] - r, p[0])), cy = Math.max(b[2] + r, Math.min(b[3] - r, p[1]));
                    ok &= Math.hypot(p[0] - cx, p[1] - cy) <= r - (r > 0 ? CLEARANCE : 0);
                }
                shape = "box " + describe(b) + (r > 0 ? " with corners of radius " + f(r) : "");
            }
            if (!ok) {
                problems.add("node " + name + ": \"" + t.text() + "\" " + describe(t) + " leaves its " + shape);
            }
        }
        for (int i = 0; i < texts.size(); i++) {
            for (int j = i + 1; j < texts.size(); j++) {
                Box a = texts.get(i), b = texts.get(j);
                if (a.overlaps(b.x0(), b.x1(), b.y0(), b.y1())) {
                    problems.add("node " + name + ": \"" + a.text() + "\" " + describe(a) + " overlaps \"" + b.text() + "\" "
                            + describe(b));
                }
            }
        }
    }

    /** The texts of a group, each measured with the drawing's font at its size, weight and anchor. */
    static List<Box> texts(Element g) {
        List<Box> out = new ArrayList<>();
        NodeList ts = g.getElementsByTagName("text");
        for (int i = 0; i < ts.getLength(); i++) {
            Element t = (Element) ts.item(i);
            String text = t.getTextContent();
            if (text.isBlank()) {
                continue;
            }
            double size = num(t, "font-size"), x = num(t, "x"), y = num(t, "y");
            TextMetrics.Style style = "bold".equals(t.getAttribute("font-weight")) ? TextMetrics.Style.BOLD
                    : "italic".equals(t.getAttribute("font-style")) ? TextMetrics.Style.ITALIC : TextMetrics.Style.PLAIN;
            double w = TextMetrics.width(text, size, style);
            String anchor = t.getAttribute("text-anchor");
            double x0 = anchor.equals("middle") ? x - w / 2 : anchor.equals("end") ? x - w : x;
            out.add(new Box(text, x0, x0 + w, y - TextMetrics.ascent(size), y + TextMetrics.descent(size)));
        }
        return out;
    }

    /**
     * The radius of a rounded box's corners: Graphviz draws a rounded table as a path that starts
     * on the bottom side, one radius right of the bottom-left corner; 0 for other shapes.
     */
    static double cornerRadius(Element g, double[] b) {
        Element path = first(g, "path");
        if (path == null) {
            return 0;
        }
        List<double[]> pts = points(path.getAttribute("d"));
        boolean onBottom = !pts.isEmpty() && Math.abs(pts.get(0)[1] - b[3]) < 0.01;
        return onBottom ? Math.max(0, pts.get(0)[0] - b[0]) : 0;
    }

    /** Left, right, top, bottom of a group's shapes (paths, polygons, ellipses), without its texts. */
    static double[] bounds(Element g) {
        double[] b = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
        for (String tag : new String[] {"path", "polygon", "polyline", "ellipse"}) {
            NodeList l = g.getElementsByTagName(tag);
            for (int i = 0; i < l.getLength(); i++) {
                Element e = (Element) l.item(i);
                if (tag.equals("ellipse")) {
                    double cx = num(e, "cx"), cy = num(e, "cy"), rx = num(e, "rx"), ry = num(e, "ry");
                    grow(b, cx - rx, cy - ry);
                    grow(b, cx + rx, cy + ry);
                } else {
                    for (double[] p : points(tag.equals("path") ? e.getAttribute("d") : e.getAttribute("points"))) {
                        grow(b, p[0], p[1]);
                    }
                }
            }
        }
        return b;
    }

    private static void grow(double[] b, double x, double y) {
        b[0] = Math.min(b[0], x);
        b[1] = Math.max(b[1], x);
        b[2] = Math.min(b[2], y);
        b[3] = Math.max(b[3], y);
    }

    private static List<double[]> points(String s) {
        List<double[]> pts = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        while (m.find()) {
            double x = Double.parseDouble(m.group());
            if (!m.find()) {
                break;
            }
            pts.add(new double[] {x, Double.parseDouble(m.group())});
        }
        return pts;
    }

    private static List<double[]> corners(Box t) {
        return List.of(new double[] {t.x0(), t.y0()}, new double[] {t.x1(), t.y0()}, new double[] {t.x0(), t.y1()},
                new double[] {t.x1(), t.y1()});
    }

    /** Whether p is inside the polygon (ray casting) and at least {@link #CLEARANCE} from each of its sides. */
    private static boolean insidePolygon(double[] p, List<double[]> poly) {
        boolean in = false;
        for (int i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
            double[] a = poly.get(i), b = poly.get(j);
            if ((a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]) {
                in = !in;
            }
        }
        for (int i = 0, j = poly.size() - 1; in && i < poly.size(); j = i++) {
            in = distanceToSegment(p, poly.get(j), poly.get(i)) >= CLEARANCE;
        }
        return in;
    }

    private static double distanceToSegment(double[] p, double[] a, double[] b) {
        double dx = b[0] - a[0], dy = b[1] - a[1];
        double len = dx * dx + dy * dy;
        double t = len == 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len));
        return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
    }

    private static Element first(Element g, String tag) {
        NodeList l = g.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    private static String title(Element g) {
        Element t = first(g, "title");
        return t == null ? "?" : t.getTextContent();
    }

    private static double num(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

    private static String describe(Box t) {
        return "[" + f(t.x0()) + ", " + f(t.x1()) + "] × [" + f(t.y0()) + ", " + f(t.y1()) + "]";
    }

    private static String describe(double[] b) {
        return "[" + f(b[0]) + ", " + f(b[1]) + "] × [" + f(b[2]) + ", " + f(b[3]) + "]";
    }

    private static String f(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    private static Document parse(String svg) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        } catch (Exception e) {
            throw new IllegalArgumentException("not well-formed SVG: " + e.getMessage(), e);
        }
    }
}
