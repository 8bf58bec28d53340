package chat.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Shapes results as JSON and as a one-line summary. */
final class Report {

  private Report() {
  }

  static JsonObject latency(Histogram h) {
    return new JsonObject()
        .put("count", h.getTotalCount())
        .put("p50", micros(h.getValueAtPercentile(50)))
        .put("p90", micros(h.getValueAtPercentile(90)))
        .put("p99", micros(h.getValueAtPercentile(99)))
        .put("p999", micros(h.getValueAtPercentile(99.9)))
        .put("max", micros(h.getMaxValue()))
        .put("mean", round1(h.getMean() / 1000));
  }

  static JsonObject envelope(String scenario, Target target, JsonObject params, JsonObject results) {
    return new JsonObject()
        .put("scenario", scenario)
        .put("label", target.label())
        .put("time", Instant.now().toString())
        .put("target", target.describe())
        .put("machine", machine())
        .put("params", params)
        .put("results", results);
  }

  static JsonObject machine() {
    return new JsonObject()
        .put("cpus", Runtime.getRuntime().availableProcessors())
        .put("cpuModel", cpuModel())
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("loadAverage", loadAverage());
  }

  /** Load average when the run ended: other work on the machine makes a run noisy, and this shows it. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void write(JsonObject result, String out) throws IOException {
    if (out == null) {
      return;
    }
    Path path = Path.of(out);
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    Files.writeString(path, result.encodePrettily() + "\n");
  }

  static String summary(JsonObject result) {
    JsonObject p = result.getJsonObject("params");
    JsonObject r = result.getJsonObject("results");
    StringBuilder sb = new StringBuilder()
        .append(result.getString("scenario")).append(' ').append(result.getString("label"));
    String transport = transport(result);
    if (transport != null) {
      sb.append(" (").append(transport).append(')');
    }
    p.forEach(e -> {
      if (e.getValue() != null) {
        sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
      }
    });
    sb.append("\n  ");
    r.forEach(e -> {
      if (e.getValue() != null) {
        sb.append(e.getKey()).append('=').append(format(e.getValue())).append(' ');
      }
    });
    return sb.toString().stripTrailing();
  }

  /** The server's Netty transport as the probe saw it, or null when the server was not observed. */
  static String transport(JsonObject result) {
    JsonObject target = result.getJsonObject("target");
    return target == null ? null : target.getString("serverTransport");
  }

  private static String format(Object v) {
    if (v instanceof Double d) {
      return String.format("%.1f", d);
    }
    return String.valueOf(v);
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static double micros(long nanos) {
    return round1(nanos / 1000.0);
  }
}
