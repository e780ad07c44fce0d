package io.github.chainrule.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text-fit check itself: it passes on viz's drawings and fails on a text that leaves its shape. */
class SvgTextFitTest {
    @Test
    void aTextWiderThanItsBoxIsReported() {
        String svg = Render.graph(Graphs.courseJ()).engine(Render.Engine.BUNDLED).svg();
        assertEquals(List.of(), SvgTextFit.problems(svg));
        // the same drawing with one value made longer than its box, as an engine that measured it wrong would draw it
        String wrong = svg.replace(">J = 33<", ">J = 33.000000000000<");
        assertFalse(wrong.equals(svg));
        List<String> problems = SvgTextFit.problems(wrong);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("node v5: \"J = 33.000000000000\""), problems.get(0));
    }

    @Test
    void aTextOutsideItsEllipseIsReported() {
        String svg = Render.graph(Graphs.courseJ()).engine(Render.Engine.BUNDLED).svg();
        String wrong = svg.replace(">× 3<", ">× 3 × 3 × 3<");
        assertFalse(wrong.equals(svg));
        List<String> problems = SvgTextFit.problems(wrong);
        assertTrue(problems.size() == 1 && problems.get(0).contains("leaves its ellipse"), problems.toString());
    }

    @Test
    void overlappingTextsInANodeAreReported() {
        String svg = Render.graph(Graphs.courseJ()).engine(Render.Engine.BUNDLED).svg();
        // move "da = 3" onto "a = 5"
        int a = svg.indexOf(">a = 5<"), da = svg.indexOf(">da = 3<");
        String yA = attribute(svg, a, "y"), yDa = attribute(svg, da, "y");
        String wrong = svg.substring(0, da).replace("y=\"" + yDa + "\"", "y=\"" + yA + "\"") + svg.substring(da);
        List<String> problems = SvgTextFit.problems(wrong);
        assertTrue(problems.stream().anyMatch(p -> p.contains("\"a = 5\"") && p.contains("overlaps \"da = 3\"")),
                problems.toString());
    }

    @Test
    void anEdgeLabelOnANodeIsReported() {
        String svg = Render.graph(Graphs.courseJ()).engine(Render.Engine.BUNDLED).svg();
        int label = svg.indexOf(">∂v/∂a = 1<"), value = svg.indexOf(">a = 5<");
        String wrong = svg.substring(0, label).replaceFirst("x=\"[^\"]*\" y=\"[^\"]*\"([^>]*)$",
                "x=\"" + attribute(svg, value, "x") + "\" y=\"" + attribute(svg, value, "y") + "\"$1") + svg.substring(label);
        List<String> problems = SvgTextFit.problems(wrong);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("edge ") && p.contains("\"∂v/∂a = 1\"")), problems.toString());
    }

    /** The value of an attribute of the text element that ends just before {@code at}. */
    private static String attribute(String svg, int at, String name) {
        int start = svg.lastIndexOf("<text", at);
        String tag = svg.substring(start, at);
        int i = tag.indexOf(" " + name + "=\"") + name.length() + 3;
        return tag.substring(i, tag.indexOf('"', i));
    }
}
