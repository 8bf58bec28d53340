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
    for (int run = 0; run < 3; run++) {
      write("chat", "fanout-n100-run" + (run + 1), ours[run], 10_000);
      write("reference", "fanout-n100-run" + (run + 1), reference[run], 5_000);
    }
    write("chat", "fanout-n1000", 1.0e6, 1_000);
    write("reference", "fanout-n1000", 2.0e6, 1_000);

    StringWriter out = new StringWriter();
    int status = new CommandLine(new CompareCommand()).setOut(new PrintWriter(out)).execute(dir.toString());

    assertThat(status).isZero();
    // Ratios 0.75, 0.90 and 1.00: the median is 0.90; p99 is twice the reference's in every run.
    assertThat(out.toString())
        .contains("| fanout-n100 | chat | 3 | **0.90** | 0.75 0.90 1.00 | **2.00** | 2.00 2.00 2.00 |")
        .contains("| fanout-n1000 | chat | 1,000 | 1,000,000 | 0.50 |")
        .doesNotContain("| fanout-n1000 | chat | 1 |");
  }

  private void write(String label, String run, double deliveriesPerSec, double p99Micros) throws Exception {
    JsonObject result = new JsonObject()
        .put("scenario", "fanout")
        .put("label", label)
        .put("results", new JsonObject()
            .put("messagesPerSec", deliveriesPerSec / 1000)
            .put("deliveriesPerSec", deliveriesPerSec)
            .put("lost", 0)
            .put("duplicated", 0)
            .put("latencyMicros", new JsonObject().put("p50", p99Micros / 2).put("p99", p99Micros)));
    Files.writeString(dir.resolve(label + "-" + run + ".json"), result.encode());
  }
}
