package chat.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The packaged chat server ({@code target/chat-server.jar}, made by the root build) in its own process, as the
 * benchmarks run it: loopback, any free ports, flood control off, one event loop, web off. Its chat and IRC ports
 * are read from the lines it logs once it listens.
 */
final class ChatServerJar implements AutoCloseable {

  static final Path JAR = Path.of(System.getProperty("chat.server.jar", "../target/chat-server.jar"));

  private static final Pattern LISTENING = Pattern.compile("chat server listening on [^ ]+:(\\d+),");
  private static final Pattern IRC_LISTENING = Pattern.compile("IRC listening on [^ ]+:(\\d+) ");

  private final ServerProcess process;
  private final boolean irc;

  private ChatServerJar(ServerProcess process, boolean irc) {
    this.process = process;
    this.irc = irc;
  }

  /** The server with its IRC listener off. */
  static ChatServerJar start() throws Exception {
    return start(Map.of(), false);
  }

  /** The server with its IRC listener on an ephemeral port too. */
  static ChatServerJar startWithIrc() throws Exception {
    return start(Map.of("CHAT_IRC_ENABLED", "true", "CHAT_IRC_SERVER_NAME", "chat.bench"), true);
  }

  private static ChatServerJar start(Map<String, String> env, boolean irc) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build the server first "
          + "(mvn -B -q package -DskipTests at the repository root)");
    }
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", JAR.toString());
    builder.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    builder.environment().putAll(Map.of(
        "CHAT_TCP_HOST", "127.0.0.1",
        "CHAT_TCP_PORT", "0",
        "CHAT_HTTP_PORT", "0",
        "CHAT_WEB_ENABLED", "false",
        "CHAT_IRC_ENABLED", "false",
        "CHAT_IRC_PORT", "0",
        "CHAT_TCP_INSTANCES", "1",
        "CHAT_LIMITS_LINES_PER_SECOND", "0",
        "CHAT_SHUTDOWN_GRACE_SECONDS", "5"));
    builder.environment().putAll(env);
    return new ChatServerJar(ServerProcess.start(builder, irc ? List.of(LISTENING, IRC_LISTENING) : List.of(LISTENING)),
        irc);
  }

  int port() {
    return process.port(0);
  }

  int ircPort() {
    if (!irc) {
      throw new IllegalStateException("started without its IRC listener");
    }
    return process.port(1);
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM, which drains the server; forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
