package chat.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.LineClient;
import chat.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real IRC client against the packaged server: irssi runs in a detached tmux session (fresh home directory), typed
 * into with send-keys and read with capture-pane, while a line client in the same room checks what it receives.
 */
@Timeout(180)
class IrssiIT {

  private static final Duration WITHIN = Duration.ofSeconds(30);

  @Test
  void irssiChatsWithALineUserInTheLobby() throws Exception {
    assumeTrue(onPath("irssi") && onPath("tmux"), "irssi and tmux are not installed (.ci/run installs both)");
    int ircPort = ServerProcess.freePort();
    Path home = Files.createTempDirectory("irssi-home");
    String session = "chat-irssi-" + ProcessHandle.current().pid();
    try (ServerProcess server = ServerProcess.start(Map.of("CHAT_IRC_PORT", String.valueOf(ircPort),
        "CHAT_IRC_SERVER_NAME", "irc.test", "CHAT_LOCALE", "en"));
        LineClient line = LineClient.register(server.tcpPort(), "lina")) {
      tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", "irssi", "--home=" + home, "-n", "ircy",
          "-c", "127.0.0.1", "-p", String.valueOf(ircPort));
      awaitPane(session, "Welcome to the");

      type(session, "/join #lobby");
      line.awaitLine(l -> l.equals("[ircy] joined"), WITHIN);
      awaitPane(session, "lina");

      type(session, "hello from irssi");
      line.awaitLine(l -> l.equals("[ircy] hello from irssi"), WITHIN);
      line.send("hello from the line");
      awaitPane(session, "hello from the line");

      type(session, "/me waves");
      line.awaitLine(l -> l.equals("* ircy waves"), WITHIN);
      line.send("/me nods");
      awaitPane(session, "lina nods");

      type(session, "/nick ircz");
      line.awaitLine(l -> l.equals("*** ircy is now ircz"), WITHIN);
      awaitPane(session, "You're now known as ircz");

      type(session, "/quit see you");
      line.awaitLine(l -> l.equals("[ircz] left"), WITHIN);
    } finally {
      tmux("kill-session", "-t", session);
    }
  }

  private static void type(String session, String text) throws Exception {
    tmux("send-keys", "-t", session, "-l", text);
    tmux("send-keys", "-t", session, "Enter");
  }

  private static void awaitPane(String session, String text) {
    Awaitility.await("irssi shows '" + text + "'").atMost(WITHIN).pollInterval(Duration.ofMillis(200))
        .until(() -> tmux("capture-pane", "-p", "-t", session).contains(text));
  }

  private static String tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
