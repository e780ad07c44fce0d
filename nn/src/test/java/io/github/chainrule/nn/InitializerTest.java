package io.github.chainrule.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.chainrule.autodiff.NumpyRandom;
import io.github.chainrule.autodiff.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Initial weights equal numpy's bit for bit (expected values printed by numpy 2.4, repr of each float). */
class InitializerTest {

    private static double[] w(Sequential model, String layer) {
        return model.parameters().get(layer + ".W").toRowMajorArray();
    }

    @Test
    void deepInitializationMatchesInitializeParametersDeep() {
        // np.random.seed(1); dims=[5,4,3,1]; W = np.random.randn(dims[l], dims[l-1]) / np.sqrt(dims[l-1])
        Sequential model = Sequential.builder(5, 4, 3, 1).initializer(Initializer.DEEP).seed(1).build();
        assertArrayEquals(new double[] {0.726429330417525, -0.2735857853186097, -0.23620558837125305,
            -0.4798461553730968, 0.3870220574833843, -1.029279395814119, 0.7803035425458769, -0.34042207506867905,
            0.1426786212527515, -0.1115218222284271, 0.653874547534909, -0.9213229339302802, -0.14418935705792416,
            -0.17175432881867822, 0.5070371087748131, -0.49188632831451307, -0.07711223866424337,
            -0.39259021941852135, 0.01887856144820481, 0.2606428872379293}, w(model, "hidden1"), 0.0);
        assertArrayEquals(new double[] {-0.5503095886064606, 0.5723618549198071, 0.4507953602963978,
            0.2512471694509341, 0.4504279746322059, -0.34186392958716655, -0.061445112759324086,
            -0.4678847171295344, -0.13394403981300795, 0.265177733369093, -0.3458303758626545,
            -0.19837676342798868}, w(model, "hidden2"), 0.0);
        assertArrayEquals(new double[] {-0.3967393433938127, -0.4879797046398761, -0.3875441343311323},
                w(model, "output"), 0.0);
        for (String layer : List.of("hidden1", "hidden2", "output")) {
            for (double b : model.parameters().get(layer + ".b").toRowMajorArray()) {
                assertEquals(0.0, b);
            }
        }
    }

    @Test
    void smallRandomMatchesTheEarlierDeepNotebook() {
        // np.random.seed(3); dims=[5,4,3]; W = np.random.randn(dims[l], dims[l-1]) * 0.01
        Sequential model = Sequential.builder(5, 4, 3).initializer(Initializer.SMALL_RANDOM).seed(3).build();
        assertArrayEquals(new double[] {0.017886284734303187, 0.004365098505119894, 0.0009649746807200863,
            -0.01863492703364491, -0.0027738820251439907, -0.0035475897926898676, -0.0008274148148245977,
            -0.0062700067682384735, -0.0004381816897592824, -0.004772180303595027, -0.013138647533626821,
            0.008846223804995846, 0.008813180422075299, 0.017095730636529485, 0.0005003364217686021,
            -0.0040467741460089085, -0.0054535994761953045, -0.015464773155829684, 0.009823674342581601,
            -0.011010676301114757}, w(model, "hidden1"), 0.0);
        assertArrayEquals(new double[] {-0.011850465270201728, -0.0020564989942254107, 0.014861483550745902,
            0.0023671626722691235, -0.010237851399264681, -0.007129932001120494, 0.006252449661628293,
            -0.0016051336318692391, -0.0076883635031923005, -0.0023003072227793906, 0.007450562664053709,
            0.019761107831263027}, w(model, "output"), 0.0);
    }

    @Test
    void heMatchesTheInitializationNotebook() {
        // np.random.seed(3); dims=[2,10,5,1]; W = np.random.randn(dims[l], dims[l-1]) * np.sqrt(2./dims[l-1])
        Sequential model = Sequential.builder(2, 10, 5, 1).initializer(Initializer.HE).seed(3).build();
        double[] w1 = w(model, "hidden1");
        assertEquals(1.7886284734303186, w1[0], 0.0);
        assertEquals(0.43650985051198943, w1[1], 0.0);
        double[] w2 = w(model, "hidden2");
        assertArrayEquals(new double[] {-0.5299689181834295, -0.09196943093495932, 0.6646257493192557,
            0.10586273297987632, -0.45785063344594334, -0.3188602525891306, 0.27961804938592844,
            -0.07178375827661483, -0.34383406857732807, -0.1028728663853694}, java.util.Arrays.copyOf(w2, 10), 0.0);
        assertArrayEquals(new double[] {-0.6482232015979981, 0.5687915752425914, -0.09771871322081223,
            1.1192105776059633, 0.30597461677338633}, w(model, "output"), 0.0);
    }

    @Test
    void planarNetworkMatchesInitializeParameters() {
        // np.random.seed(2); W1 = np.random.randn(4,2) * 0.01; W2 = np.random.randn(1,4) * 0.01
        Sequential model = Sequential.builder(2, 4, 1).hidden(Activation.TANH).initializer(Initializer.SMALL_RANDOM)
                .seed(2).build();
        assertArrayEquals(new double[] {-0.004167578474054706, -0.0005626682722632948, -0.02136196095668454,
            0.016402708084049887, -0.017934355851948632, -0.00841747365656204, 0.005028814171580428,
            -0.012452880866072316}, w(model, "hidden1"), 0.0);
        assertArrayEquals(new double[] {-0.010579522188623389, -0.009090076149268494, 0.005514540445464244,
            0.022922080128149575}, w(model, "output"), 0.0);
    }

    @Test
    void scalingsFollowTheirFormulas() {
        Tensor raw = Tensor.randn(3, 8, new NumpyRandom(5));
        double[] r = raw.toRowMajorArray();
        double[] xavier = Initializer.XAVIER.weights(3, 8, new NumpyRandom(5)).toRowMajorArray();
        double[] glorot = Initializer.GLOROT.weights(3, 8, new NumpyRandom(5)).toRowMajorArray();
        double[] ten = Initializer.scaled(10).weights(3, 8, new NumpyRandom(5)).toRowMajorArray();
        for (int i = 0; i < r.length; i++) {
            assertEquals(r[i] * Math.sqrt(1.0 / 8), xavier[i], 0.0);
            assertEquals(r[i] * Math.sqrt(2.0 / 11), glorot[i], 0.0);
            assertEquals(r[i] * 10, ten[i], 0.0);
        }
    }

    @Test
    void zerosWarnsThatUnitsStaySymmetricAndDrawsNothing() {
        Logger logger = Logger.getLogger(Initializer.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(h);
        try {
            NumpyRandom rng = new NumpyRandom(1);
            Tensor w = Initializer.ZEROS.weights(10, 2, rng);
            assertEquals(0.0, w.sum().item());
            assertEquals(1.6243453636632417, rng.randn(), 0.0);   // untouched: seed 1's first draw
        } finally {
            logger.removeHandler(h);
        }
        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertTrue(records.get(0).getMessage().contains("symmetric"), records.get(0).getMessage());
    }
}
