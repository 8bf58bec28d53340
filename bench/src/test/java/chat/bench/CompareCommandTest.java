package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompareCommandTest {

  @TempDir
  Path dir;

  @Test
  void repeatedRunsGetTheMedianOfTheirRatios() throws Exception {
    double[] ours = {3.0e6, 4.5e6, 4.0e6};
    double[] reference = {4.0e6, 5.0e6, 4.0e6};
    long[] oursCpu = {600, 500, 440};
    long[] referenceCpu = {500, 500, 400};
    for (int run = 0; run < 3; run++) {
      write("chat", "fanout-n100-run" + (run + 1), ours[run], oursCpu[run], 10_000);
      write("reference", "fanout-n100-run" + (run + 1), reference[run], referenceCpu[run], 5_000);
    }
    write("chat", "fanout-n1000", 1.0e6, null, 1_000);
    write("reference", "fanout-n1000", 2.0e6, 250L, 1_000);

    String out = compare();

    // Deliveries 0.75, 0.90 and 1.00 × the reference's: the median is 0.90; CPU per delivery 1.20, 1.00 and 1.10;
    // p99 is twice the reference's in every run.
    assertThat(out)
        .contains("| fanout-n100 | chat | 3 | **0.90** | 0.75 0.90 1.00 | **1.10** | 1.20 1.00 1.10 | **2.00** "
            + "| 2.00 2.00 2.00 |")
        .contains("| fanout-n100-run1 | chat | 3,000 | 3,000,000 | 0.75 | 600 | 1.20 |")
        .doesNotContain("| fanout-n1000 | chat | 1 |");
  }

  @Test
  void aServerWhoseCpuWasNotMeasuredHasNoCpuRatio() throws Exception {
    write("chat", "fanout-n1000", 1.0e6, null, 1_000);
    write("reference", "fanout-n1000", 2.0e6, 250L, 1_000);

    assertThat(compare()).contains("| fanout-n1000 | chat | 1,000 | 1,000,000 | 0.50 | – | – |");
  }

  @Test
  void eachServersTransportIsNamedAboveTheTables() throws Exception {
    write("chat", "fanout-n100", 1.0e6, 500L, 1_000, "nio");
    write("reference", "fanout-n100", 1.0e6, 400L, 1_000, "epoll");

    assertThat(compare()).startsWith("Server transports: chat nio, reference epoll\n");
  }

  private String compare() {
    StringWriter out = new StringWriter();
    int status = new CommandLine(new CompareCommand()).setOut(new PrintWriter(out)).execute(dir.toString());
    assertThat(status).isZero();
    return out.toString();
  }

  private void write(String label, String run, double deliveriesPerSec, Long cpuNanosPerDelivery, double p99Micros)
      throws Exception {
    write(label, run, deliveriesPerSec, cpuNanosPerDelivery, p99Micros, null);
  }

  private void write(String label, String run, double deliveriesPerSec, Long cpuNanosPerDelivery, double p99Micros,
             String transport) throws Exception {
    JsonObject result = new JsonObject()
        .put("scenario", "fanout")
        .put("label", label)
        .put("target", new JsonObject().put("serverTransport", transport))
        .put("results", new JsonObject()
            .put("messagesPerSec", deliveriesPerSec / 1000)
            .put("deliveriesPerSec", deliveriesPerSec)
            .put("serverCpuNanosPerDelivery", cpuNanosPerDelivery)
            .put("lost", 0)
            .put("duplicated", 0)
            .put("latencyMicros", new JsonObject().put("p50", p99Micros / 2).put("p99", p99Micros)));
    Files.writeString(dir.resolve(label + "-" + run + ".json"), result.encode());
  }
}
