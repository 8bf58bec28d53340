package chat.it;

import static org.assertj.core.api.Assertions.assertThat;

import chat.ServerProcess;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The page in a real browser: the packaged server on free ports, and the node test suite in {@code src/test/web}
 * driving Debian's chromium through playwright-core (two pages and a line client, a name clash, rooms, a message that
 * looks like HTML, a reconnect after a server restart). Skipped, saying why, only when chromium or node is missing.
 * The first page's screenshot is left in {@code target/web-chat.png}.
 */
@Timeout(300)
class BrowserIT {

  private static final Path SUITE = Path.of("src/test/web");
  private static final String CHROMIUM = "/usr/bin/chromium";

  @Test
  void thePageWorksInHeadlessChromium() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(CHROMIUM)), "no " + CHROMIUM + ": .ci/run installs it");
    Assumptions.assumeTrue(onPath("node") && onPath("npm"), "no node/npm on PATH: .ci/run installs them");
    if (!Files.isDirectory(SUITE.resolve("node_modules/playwright-core"))) {
      assertThat(run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund"), 180)).as("npm ci").isZero();
    }
    Path log = Path.of("target/browser-it.log");
    try (ServerProcess server = ServerProcess.start(Map.of("CHAT_TCP_HOST", "127.0.0.1", "CHAT_TCP_INSTANCES", "2"))) {
      // The web listener is deployed after the line listener that ServerProcess waits for.
      Awaitility.await("web port").atMost(Duration.ofSeconds(30)).until(() -> accepts(server.webPort()));
      Map<String, String> env = new HashMap<>();
      env.put("CHAT_TEST_WEB_PORT", String.valueOf(server.webPort()));
      env.put("CHAT_TEST_LINE_PORT", String.valueOf(server.tcpPort()));
      env.put("CHAT_TEST_SPARE_LINE_PORT", String.valueOf(ServerProcess.freePort()));
      env.put("CHAT_TEST_SPARE_HTTP_PORT", String.valueOf(ServerProcess.freePort()));
      env.put("CHAT_TEST_SPARE_WEB_PORT", String.valueOf(ServerProcess.freePort()));
      env.put("CHAT_TEST_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
      env.put("CHAT_TEST_JAR", Path.of("target/chat-server.jar").toAbsolutePath().toString());
      env.put("CHAT_TEST_SCREENSHOT", Path.of("target/web-chat.png").toAbsolutePath().toString());
      env.put("CHROMIUM", CHROMIUM);
      ProcessBuilder tests = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-timeout=60000",
          "chat.test.mjs").redirectOutput(log.toFile());
      tests.environment().putAll(env);
      int exit = run(tests, 150);
      assertThat(exit).as("node --test exit; output in %s:%n%s", log, Files.readString(log)).isZero();
    }
  }

  private static int run(ProcessBuilder builder, int seconds) throws IOException, InterruptedException {
    builder.directory(SUITE.toFile()).redirectErrorStream(true);
    if (builder.redirectOutput() == ProcessBuilder.Redirect.PIPE) {
      builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    }
    Process process = builder.start();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", builder.command()) + " still running after " + seconds + " s");
    }
    return process.exitValue();
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
