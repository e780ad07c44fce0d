package io.github.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.testing.AutodiffOps;
import io.github.chainrule.autodiff.testing.OpEntry;
import io.github.chainrule.autodiff.testing.Program;
import io.github.chainrule.autodiff.testing.ProgramOps;
import io.github.chainrule.autodiff.testing.RandomPrograms;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Gradients proven in composition: random programs over the op table (slices, gathers,
 * concatenation, reshapes and broadcasting next to nonlinear ops, with shared intermediates)
 * match central differences to first and second order; and the generator really draws such
 * programs, over every op of its vocabulary, each naming a real op-table row.
 */
class RandomProgramGradientTest {

    @Test
    void randomProgramsMatchCentralDifferencesToSecondOrder() {
        int ran = RandomPrograms.check(RandomPrograms.CASES);
        // programs too near a kink are skipped: most must still run, or the property proves little
        org.junit.jupiter.api.Assertions.assertTrue(ran >= RandomPrograms.CASES * 8 / 10,
                "only " + ran + " of " + RandomPrograms.CASES + " random programs ran; the rest were skipped");
    }

    @Test
    void everyProgramOpNamesARowOfTheOpTable() {
        Set<String> rows = AutodiffOps.TABLE.stream().map(OpEntry::name).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        Stream.concat(ProgramOps.ARITHMETIC.stream(), ProgramOps.STRUCTURAL.stream())
                .filter(op -> !rows.contains(op.row())).forEach(op -> unknown.add(op.row()));
        assertTrue(unknown.isEmpty(), "program ops naming no op-table row: " + unknown);
    }

    @Test
    void drawnProgramsReuseBroadcastMixStructureAndUseTheWholeVocabulary() {
        List<Program> programs = new ArrayList<>();
        Iterator<Program> it = RandomPrograms.trials().withLimit(500).asIterator();
        it.forEachRemaining(programs::add);
        long reuse = programs.stream().filter(Program::reusesAnIntermediate).count();
        long broadcast = programs.stream().filter(Program::broadcasts).count();
        long structural = programs.stream().filter(Program::hasStructuralStep).count();
        int n = programs.size();
        String stats = String.format("%d programs: %d reuse an intermediate, %d broadcast, %d have structural steps",
                n, reuse, broadcast, structural);
        System.out.println(stats);
        assertTrue(reuse * 2 > n && broadcast * 2 > n && structural * 3 > 2 * n, stats);
        Set<String> unused = Stream.concat(ProgramOps.ARITHMETIC.stream(), ProgramOps.STRUCTURAL.stream())
                .map(ProgramOps.Op::name).collect(Collectors.toCollection(TreeSet::new));
        programs.forEach(p -> p.steps().forEach(s -> unused.remove(s.op().name())));
        assertTrue(unused.isEmpty(), "program ops never drawn: " + unused);
        for (Program p : programs) {
            assertTrue(p.steps().size() >= 1 && p.steps().size() <= 8, p.toJava());
        }
    }
}
