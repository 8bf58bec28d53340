package chat.it;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.OpsClient;
import chat.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@code .ci/validate-deploy} on a real scrape of the packaged server: promtool check metrics on it, the chat
 * meters and their labels, plus every offline check of the Dockerfile, k8s/ and the alert rules. The first run on a
 * fresh machine installs promtool (apt) and the pinned npm packages; later runs take seconds.
 */
@Timeout(660)
class DeployValidationIT {

  @Test
  void deployArtifactsAndARealScrapePassValidateDeploy() throws Exception {
    Path scrape = Files.createTempFile("chat-metrics-", ".txt");
    Path output = Files.createTempFile("validate-deploy-", ".log");
    try (ServerProcess server = ServerProcess.start(Map.of());
        LineClient alice = LineClient.register(server.tcpPort(), "alice")) {
      alice.send("hello");
      alice.expect("[alice] hello");
      Files.writeString(scrape, new OpsClient(server.httpPort()).metricsText());

      Process validate = new ProcessBuilder(".ci/validate-deploy", scrape.toString())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      boolean ended = validate.waitFor(600, TimeUnit.SECONDS);
      if (!ended) {
        validate.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String log = Files.readString(output);
      assertThat(ended).as("validate-deploy within 600 s:%n%s", log).isTrue();
      assertThat(validate.exitValue()).as("validate-deploy exit status:%n%s", log).isZero();
    } finally {
      Files.deleteIfExists(scrape);
      Files.deleteIfExists(output);
    }
  }
}
