package chat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged chat server ({@code target/chat-server.jar}, made by the root build) in its own process, as the
 * benchmarks run it: loopback, any free ports, flood control off, one event loop. Its chat port is read from the
 * line it logs once it listens.
 */
final class ChatServerJar implements AutoCloseable {

  static final Path JAR = Path.of(System.getProperty("chat.server.jar", "../target/chat-server.jar"));

  private static final Pattern LISTENING = Pattern.compile("chat server listening on [^ ]+:(\\d+),");

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private ChatServerJar(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readOutput, "chat-server-output");
    reader.setDaemon(true);
    reader.start();
  }

  static ChatServerJar start(Map<String, String> env) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build the server first "
          + "(mvn -B -q package -DskipTests at the repository root)");
    }
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", JAR.toString())
        .redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    builder.environment().putAll(Map.of(
        "CHAT_TCP_HOST", "127.0.0.1",
        "CHAT_TCP_PORT", "0",
        "CHAT_HTTP_PORT", "0",
        "CHAT_WEB_ENABLED", "false",
        "CHAT_TCP_INSTANCES", "1",
        "CHAT_LIMITS_LINES_PER_SECOND", "0",
        "CHAT_SHUTDOWN_GRACE_SECONDS", "5"));
    builder.environment().putAll(env);
    ChatServerJar server = new ChatServerJar(builder.start());
    try {
      server.port.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException("the server did not start listening: " + server.output, e);
    }
    return server;
  }

  int port() {
    return port.join();
  }

  long pid() {
    return process.pid();
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.append(line).append('\n');
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process is gone; the port future below says so
    }
    port.completeExceptionally(new IllegalStateException("server output ended"));
  }

  /** SIGTERM, which drains the server; forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
