package chat.bench;

import io.vertx.core.json.JsonObject;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Latency (p50, p99) against load, one pair of series per server label, from fanout/rooms result files. */
@Command(name = "plot", mixinStandardHelpOptions = true,
    description = "PNG of latency p50/p99 against load from several JSON results.")
final class PlotCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", description = "JSON result files of fanout or rooms runs")
  List<Path> files;

  @Option(names = "--out", defaultValue = "bench-results/latency.png", description = "PNG file")
  Path out;

  @Option(names = "--x", defaultValue = "auto",
      description = "offered (open-loop rate), deliveries (deliveries/s), or auto: offered when every run has it")
  String x;

  @Option(names = "--title", defaultValue = "Latency against load", description = "chart title")
  String title;

  private record Point(double load, double p50Millis, double p99Millis) {
  }

  @Override
  public Integer call() throws Exception {
    System.setProperty("java.awt.headless", "true");
    List<JsonObject> results = new ArrayList<>();
    for (Path f : files) {
      JsonObject r = new JsonObject(Files.readString(f));
      if (r.getJsonObject("results").getJsonObject("latencyMicros") != null) {
        results.add(r);
      } else {
        spec.commandLine().getErr().println("skipping " + f + ": no latency in it");
      }
    }
    boolean offered = x.equals("offered")
        || (x.equals("auto") && results.stream().allMatch(r -> r.getJsonObject("params").getValue("offeredRate") != null));
    Map<String, List<Point>> byLabel = new TreeMap<>();
    for (JsonObject r : results) {
      JsonObject res = r.getJsonObject("results");
      JsonObject lat = res.getJsonObject("latencyMicros");
      double load = offered ? r.getJsonObject("params").getDouble("offeredRate", 0.0)
          : res.getDouble("deliveriesPerSec");
      byLabel.computeIfAbsent(r.getString("label"), k -> new ArrayList<>())
          .add(new Point(load, lat.getDouble("p50") / 1000, lat.getDouble("p99") / 1000));
    }
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
        .xAxisTitle(offered ? "offered load (messages/s)" : "deliveries/s")
        .yAxisTitle("latency (ms)").build();
    // A log axis labels only powers of ten, so a range inside one or two decades would show no numbers at all.
    double lo = byLabel.values().stream().flatMap(List::stream).mapToDouble(Point::p50Millis).min().orElse(1);
    double hi = byLabel.values().stream().flatMap(List::stream).mapToDouble(Point::p99Millis).max().orElse(1);
    chart.getStyler().setYAxisLogarithmic(hi / Math.max(lo, 0.001) > 100);
    byLabel.forEach((label, points) -> {
      points.sort(Comparator.comparingDouble(Point::load));
      double[] xs = points.stream().mapToDouble(Point::load).toArray();
      addSeries(chart, label + " p50", xs, points.stream().mapToDouble(Point::p50Millis).toArray());
      addSeries(chart, label + " p99", xs, points.stream().mapToDouble(Point::p99Millis).toArray());
    });
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
    spec.commandLine().getOut().println("wrote " + out);
    return 0;
  }

  private static void addSeries(XYChart chart, String name, double[] xs, double[] ys) {
    double[] floored = new double[ys.length];
    for (int i = 0; i < ys.length; i++) {
      floored[i] = Math.max(ys[i], 0.001);
    }
    XYSeries s = chart.addSeries(name, xs, floored);
    s.setMarker(SeriesMarkers.CIRCLE);
  }
}
