package chat.it;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.ServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Prometheus (Debian's {@code prometheus}, installed by {@code .ci/validate-deploy}) on a free loopback port
 * scrapes the packaged server, as README "Prometheus on loopback" describes.
 */
@Timeout(120)
class PrometheusIT {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void prometheusScrapesTheNodeAndSeesTheChatMeters() throws Exception {
    Path prometheus = onPath("prometheus")
        .orElseThrow(() -> new AssertionError("prometheus not on PATH: .ci/validate-deploy installs it"));
    Path dir = Files.createTempDirectory("chat-prometheus-");
    int webPort = ServerProcess.freePort();
    Process process = null;
    try (ServerProcess server = ServerProcess.start(Map.of());
        LineClient alice = LineClient.register(server.tcpPort(), "alice")) {
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, String.join("\n",
          "global: {scrape_interval: 1s, scrape_timeout: 1s}",
          "scrape_configs:",
          "  - job_name: chat-server",
          "    static_configs: [{targets: [\"127.0.0.1:" + server.httpPort() + "\"]}]",
          ""));
      process = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + webPort)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("prometheus.log").toFile())
          .start();
      String api = "http://127.0.0.1:" + webPort + "/api/v1/";

      Awaitility.await("target up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .ignoreExceptionsInstanceOf(IOException.class)
          .untilAsserted(() -> {
            JsonArray targets = get(api + "targets").getJsonObject("data").getJsonArray("activeTargets");
            assertThat(targets).hasSize(1);
            assertThat(targets.getJsonObject(0).getString("health")).isEqualTo("up");
          });
      Awaitility.await("chat_connections_active").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            JsonArray result = get(api + "query?query="
                + URLEncoder.encode("chat_connections_active{job=\"chat-server\",protocol=\"line\"}",
                    StandardCharsets.UTF_8))
                .getJsonObject("data").getJsonArray("result");
            assertThat(result).hasSize(1);
            assertThat(result.getJsonObject(0).getJsonArray("value").getString(1)).isEqualTo("1");
          });
    } finally {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private JsonObject get(String url) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    return new JsonObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  private static Optional<Path> onPath(String name) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
