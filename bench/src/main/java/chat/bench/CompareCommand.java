package chat.bench;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Markdown tables from a directory of results named {@code <label>-<run>.json}: every server's figures next to
 * the baseline's for the same run, with the ratio. Ratios read "ours / reference" (higher is better for rates,
 * lower for latency, server CPU per delivery and memory).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Markdown tables comparing every server with the baseline, from <label>-<run>.json files.")
final class CompareCommand implements Callable<Integer> {

  /** A run of a scenario that is run several times: {@code fanout-n100-run2}. */
  private static final Pattern REPEATED_RUN = Pattern.compile("(.+)-run\\d+");

  @Spec
  CommandSpec spec;

  @Parameters(description = "directory of JSON results")
  Path dir;

  @Option(names = "--baseline", defaultValue = "reference", description = "label to compare with")
  String baseline;

  @Override
  public Integer call() throws Exception {
    Map<String, Map<String, JsonObject>> byRun = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonObject r = new JsonObject(Files.readString(f));
        String label = r.getString("label");
        String file = f.getFileName().toString();
        String run = file.startsWith(label + "-") ? file.substring(label.length() + 1, file.length() - 5) : file;
        byRun.computeIfAbsent(run, k -> new TreeMap<>()).put(label, r);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    transports(out, byRun);
    List<String> traffic = new ArrayList<>();
    List<String> idle = new ArrayList<>();
    List<String> storm = new ArrayList<>();
    byRun.forEach((run, labels) -> {
      JsonObject base = labels.get(baseline);
      labels.forEach((label, r) -> {
        switch (r.getString("scenario")) {
          case "idle" -> idle.add(idleRow(run, label, r, base));
          case "storm" -> storm.add(stormRow(run, label, r, base));
          default -> traffic.add(trafficRow(run, label, r, base));
        }
      });
    });
    table(out, "| run | server | msgs/s | deliveries/s | ×ref | server CPU ns/delivery | ×ref | p50 ms | p99 ms | ×ref "
        + "| p99.9 ms | max ms | lost | dup | server CPU % | client CPU % | server RSS MiB |", traffic);
    table(out, "| scenario | server | runs | deliveries/s ×ref, median | each run "
        + "| server CPU/delivery ×ref, median | each run | p99 ×ref, median | each run |", medians(byRun));
    table(out, "| run | server | clients | live heap B/conn | ×ref | RSS B/conn | ×ref |", idle);
    table(out, "| run | server | clients | registrations/s | ×ref | p99 ms | server CPU % |", storm);
    out.flush();
    return 0;
  }

  /** One line naming each server's Netty transport, as the probe saw it in the results. */
  private static void transports(PrintWriter out, Map<String, Map<String, JsonObject>> byRun) {
    Map<String, String> byLabel = new TreeMap<>();
    byRun.values().forEach(labels -> labels.forEach((label, r) -> {
      String transport = Report.transport(r);
      if (transport != null) {
        byLabel.putIfAbsent(label, transport);
      }
    }));
    if (!byLabel.isEmpty()) {
      out.println("Server transports: " + String.join(", ",
          byLabel.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
      out.println();
    }
  }

  /**
   * Repeated runs ({@code <scenario>-run<k>}): the median over the runs of each run's ratio, since the ratio of two
   * servers measured back to back varies less than either server's own figure.
   */
  private List<String> medians(Map<String, Map<String, JsonObject>> byRun) {
    Map<String, Map<String, List<double[]>>> ratios = new TreeMap<>();
    byRun.forEach((run, labels) -> {
      Matcher repeated = REPEATED_RUN.matcher(run);
      JsonObject base = labels.get(baseline);
      if (!repeated.matches() || base == null) {
        return;
      }
      labels.forEach((label, r) -> {
        if (!label.equals(baseline) && !"idle".equals(r.getString("scenario"))
            && !"storm".equals(r.getString("scenario"))) {
          double deliveries = r.getJsonObject("results").getDouble("deliveriesPerSec")
              / base.getJsonObject("results").getDouble("deliveriesPerSec");
          double cpu = ratioOrNaN(r.getJsonObject("results"), base.getJsonObject("results"),
              "serverCpuNanosPerDelivery");
          double p99 = latency(r).getDouble("p99") / latency(base).getDouble("p99");
          ratios.computeIfAbsent(repeated.group(1), k -> new TreeMap<>())
              .computeIfAbsent(label, k -> new ArrayList<>()).add(new double[] {deliveries, cpu, p99});
        }
      });
    });
    List<String> rows = new ArrayList<>();
    ratios.forEach((scenario, labels) -> labels.forEach((label, runs) -> rows.add(row(scenario, label, runs.size(),
        median(runs, 0), each(runs, 0), median(runs, 1), each(runs, 1), median(runs, 2), each(runs, 2)))));
    return rows;
  }

  /** The median of a column over the runs that have it (server CPU is missing when the server was not found). */
  private static String median(List<double[]> runs, int column) {
    double[] sorted = runs.stream().mapToDouble(r -> r[column]).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (sorted.length == 0) {
      return "–";
    }
    int mid = sorted.length / 2;
    return String.format("**%.2f**", sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
  }

  private static String each(List<double[]> runs, int column) {
    return String.join(" ", runs.stream()
        .map(r -> Double.isNaN(r[column]) ? "–" : String.format("%.2f", r[column])).toList());
  }

  private static double ratioOrNaN(JsonObject mine, JsonObject theirs, String key) {
    Number a = (Number) mine.getValue(key);
    Number b = (Number) theirs.getValue(key);
    return a == null || b == null || b.doubleValue() == 0 ? Double.NaN : a.doubleValue() / b.doubleValue();
  }

  private static void table(PrintWriter out, String header, List<String> rows) {
    if (rows.isEmpty()) {
      return;
    }
    out.println(header);
    out.println(header.replaceAll("[^|]+", "---"));
    rows.forEach(out::println);
    out.println();
  }

  private static String trafficRow(String run, String label, JsonObject r, JsonObject base) {
    JsonObject res = r.getJsonObject("results");
    JsonObject lat = res.getJsonObject("latencyMicros");
    return row(run, label, num(res.getDouble("messagesPerSec")), num(res.getDouble("deliveriesPerSec")),
        ratio(res, base, "deliveriesPerSec"), count(res.getValue("serverCpuNanosPerDelivery")),
        ratio(res, base, "serverCpuNanosPerDelivery"), ms(lat.getDouble("p50")), ms(lat.getDouble("p99")),
        ratio(lat, base == null ? null : latency(base), "p99"), ms(lat.getDouble("p999")),
        ms(lat.getDouble("max")), res.getValue("lost"), res.getValue("duplicated"),
        opt(res.getValue("serverCpuPercent")), opt(res.getValue("clientCpuPercent")),
        mib(res.getLong("serverRssBytes")));
  }

  private static JsonObject latency(JsonObject result) {
    return result.getJsonObject("results").getJsonObject("latencyMicros");
  }

  private static String idleRow(String run, String label, JsonObject r, JsonObject base) {
    JsonObject res = r.getJsonObject("results");
    return row(run, label, r.getJsonObject("params").getValue("clients"),
        opt(res.getValue("liveHeapBytesPerConnection")), ratio(res, base, "liveHeapBytesPerConnection"),
        opt(res.getValue("rssBytesPerConnection")), ratio(res, base, "rssBytesPerConnection"));
  }

  private static String stormRow(String run, String label, JsonObject r, JsonObject base) {
    JsonObject res = r.getJsonObject("results");
    return row(run, label, r.getJsonObject("params").getValue("clients"), num(res.getDouble("registrationsPerSec")),
        ratio(res, base, "registrationsPerSec"),
        ms(res.getJsonObject("registrationLatencyMicros").getDouble("p99")),
        opt(res.getValue("serverCpuPercent")));
  }

  private static String ratio(JsonObject mine, JsonObject base, String key) {
    JsonObject theirs = base == null ? null : base.containsKey("results") ? base.getJsonObject("results") : base;
    if (theirs == null || mine.getValue(key) == null || theirs.getValue(key) == null
        || ((Number) theirs.getValue(key)).doubleValue() == 0) {
      return "–";
    }
    return String.format("%.2f", ((Number) mine.getValue(key)).doubleValue()
        / ((Number) theirs.getValue(key)).doubleValue());
  }

  private static String row(Object... cells) {
    StringBuilder sb = new StringBuilder("|");
    for (Object c : cells) {
      sb.append(' ').append(c).append(" |");
    }
    return sb.toString();
  }

  private static String num(Double v) {
    return v == null ? "–" : String.format("%,.0f", v);
  }

  private static String count(Object v) {
    return v == null ? "–" : String.format("%,d", ((Number) v).longValue());
  }

  private static String ms(Double micros) {
    return micros == null ? "–" : String.format("%.2f", micros / 1000);
  }

  private static String mib(Long bytes) {
    return bytes == null ? "–" : String.format("%.0f", bytes / 1048576.0);
  }

  private static Object opt(Object v) {
    return v == null ? "–" : v;
  }
}
