package smpemu.coordinator.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import smpemu.coordinator.result.JsonReport;

/**
 * What every plot shares: the size, the style, headless PNG output written atomically, and the
 * CCDF of a sample. The caller puts units in the axis titles and scenario, kernel and seed in the
 * title.
 */
public final class Charts {
    private Charts() {}

    public static final int WIDTH = 1000, HEIGHT = 600;
    /** A CCDF is drawn with at most this many points, evenly spread over the sorted sample. */
    private static final int CCDF_POINTS = 1000;

    static {
        // No display on build machines and servers: AWT must not look for one.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    static CategoryChart bars(String title, String xTitle, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        return c;
    }

    static XYChart lines(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        return c;
    }

    private static void style(Styler s) {
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(14f));
    }

    /** The chart as a PNG at {@code dir/name}, written to a temporary file and renamed. */
    static Path save(Chart<?, ?> chart, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            JsonReport.writeAtomically(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The CCDF of {@code sampleNs} in microseconds: x the value, y the fraction of the sample at
     * least that large (so the largest value has 1/n, never 0, and a log axis can show it).
     */
    static double[][] ccdfMicros(long[] sampleNs) {
        long[] s = sampleNs.clone();
        Arrays.sort(s);
        int n = s.length;
        List<double[]> pts = new ArrayList<>();
        int step = Math.max(1, n / CCDF_POINTS);
        // Zeros count in the fractions but cannot be drawn on a log axis.
        for (int i = 0; i < n; i += step) if (s[i] > 0) pts.add(new double[] {s[i] / 1e3, (double) (n - i) / n});
        if (n > 0 && (n - 1) % step != 0) pts.add(new double[] {s[n - 1] / 1e3, 1.0 / n});
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[0][i] = pts.get(i)[0];
            xy[1][i] = pts.get(i)[1];
        }
        return xy;
    }

    static double micros(long ns) { return ns / 1e3; }
}
