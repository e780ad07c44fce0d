package io.github.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.viz.SvgTextFit;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tour's graph drawings, made as the demo makes them: each is written as SVG and PNG, and
 * every text of every SVG lies inside its node, ellipse, hexagon or cluster, measured with the
 * font the picture is drawn with (the PNG is rasterized from the same SVG with that font).
 */
class TourDrawingsTest {
    @TempDir
    Path dir;

    @Test
    void everyTextOfTheToursDrawingsFitsItsShape() throws Exception {
        PrintStream old = System.out;
        System.setOut(new PrintStream(PrintStream.nullOutputStream()));
        try {
            Tour.computationGraph(dir);
            Tour.deepNetwork(dir);
            VizTour.twoLayer(dir);
        } finally {
            System.setOut(old);
        }
        List<String> svgs;
        try (Stream<Path> s = Files.list(dir)) {
            svgs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".svg")).sorted().collect(Collectors.toList());
        }
        assertEquals(List.of("deep-network-collapsed.svg", "j-graph.svg", "two-layer-collapsed.svg", "two-layer.svg"), svgs);
        for (String name : svgs) {
            String svg = Files.readString(dir.resolve(name));
            assertTrue(SvgTextFit.textCount(svg) >= 10, name + " has almost no text");
            assertEquals(List.of(), SvgTextFit.problems(svg), name);
            BufferedImage png = ImageIO.read(dir.resolve(name.replace(".svg", ".png")).toFile());
            assertNotNull(png, name.replace(".svg", ".png") + " does not decode");
        }
    }
}
