package chat.it;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fat jar started as a user starts it, configured only through the documented environment variables. */
@Timeout(120)
class PackagedServerIT {

  @Test
  void originalStyleClientRegistersChatsAndQuitsWithoutEverSendingANewline() throws Exception {
    try (ServerProcess server = ServerProcess.start(Map.of());
        LineClient watcher = LineClient.register(server.tcpPort(), "watcher");
        LineClient original = LineClient.connect(server.tcpPort())) {
      // Exactly what the Python client does: sock.send(input().encode()), one send per line, no newline.
      original.expect("ID");
      original.sendRaw("철수".getBytes(StandardCharsets.UTF_8));
      original.expect("[철수] 접속");
      watcher.expect("[철수] 접속");
      original.sendRaw("안녕".getBytes(StandardCharsets.UTF_8));
      original.expect("[철수] 안녕");
      watcher.expect("[철수] 안녕");
      original.sendRaw("/quit".getBytes(StandardCharsets.UTF_8));
      assertThat(original.awaitClose()).isEmpty();
      watcher.expect("[철수] 접속 해제");
    }
  }

  // The load generator and the reference server are a build of their own (bench/): none of their classes, and none
  // of the libraries only they use, ship in the server.
  @Test
  void theServerJarCarriesNoLoadGenerator() throws Exception {
    try (ZipFile jar = new ZipFile(Path.of("target", "chat-server.jar").toFile())) {
      List<String> strays = jar.stream().map(ZipEntry::getName)
          .filter(name -> name.startsWith("chat/bench/") || name.startsWith("picocli/")
              || name.startsWith("org/HdrHistogram/") || name.startsWith("org/knowm/") || name.startsWith("org/apache/pdfbox/"))
          .toList();
      assertThat(strays).isEmpty();
      assertThat(jar.getEntry("chat/ChatServer.class")).isNotNull();
    }
  }

  @Test
  void badConfigurationStopsTheServerWithTheKeyNamed() throws Exception {
    try (ServerProcess server = ServerProcess.launch(Map.of(
        "CHAT_TCP_PORT", String.valueOf(ServerProcess.freePort()),
        "CHAT_LIMITS_MAX_LINE_BYTES", "lots"))) {
      assertThat(server.awaitExit(Duration.ofSeconds(60))).isNotZero();
      assertThat(server.output()).contains("limits.maxLineBytes");
    }
  }

  @Test
  void localeEnvironmentVariableSwitchesTheFixedLines() throws Exception {
    try (ServerProcess server = ServerProcess.start(Map.of("CHAT_LOCALE", "en"));
        LineClient alice = LineClient.connect(server.tcpPort())) {
      alice.expect("ID");
      alice.send("alice");
      alice.expect("[alice] joined");
    }
  }
}
