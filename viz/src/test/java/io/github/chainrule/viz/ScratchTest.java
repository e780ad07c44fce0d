package io.github.chainrule.viz;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void scratch() throws Exception {
        var J = Graphs.courseJ();
        System.out.println(Render.graph(J).dot());
        long t = System.nanoTime();
        Render.graph(J).toSvg(Path.of("target/scratch/j.svg"));
        System.out.println("svg " + (System.nanoTime() - t) / 1e6 + " ms " + Render.engineFor(Render.Engine.AUTO));
        t = System.nanoTime();
        Render.graph(J).toPng(Path.of("target/scratch/j.png"));
        System.out.println("png " + (System.nanoTime() - t) / 1e6);
        var net = Graphs.deepNetwork(5, 2, 4, 3, 1);
        Render.graph(net).toPng(Path.of("target/scratch/net.png"));
        Render.graph(net).collapseLayers(true).toPng(Path.of("target/scratch/net-collapsed.png"));
        System.out.println(Render.graph(net).collapseLayers(true).dot());
    }
}
