package chat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own process, its output collected; each port it listens on is read from the line
 * it logs once it listens (group 1 of a pattern).
 */
final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final List<Pattern> listening;
  private final List<CompletableFuture<Integer>> ports = new ArrayList<>();

  private ServerProcess(Process process, List<Pattern> listening) {
    this.process = process;
    this.listening = listening;
    listening.forEach(p -> ports.add(new CompletableFuture<>()));
    Thread reader = new Thread(this::readOutput, "server-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the process and waits until it has logged every port, or fails with its output. */
  static ServerProcess start(ProcessBuilder builder, List<Pattern> listening) throws Exception {
    ServerProcess server = new ServerProcess(builder.redirectErrorStream(true).start(), listening);
    try {
      CompletableFuture.allOf(server.ports.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException("the server did not start listening: " + server.output, e);
    }
    return server;
  }

  /** The port announced by the line of {@code listening.get(k)}. */
  int port(int k) {
    return ports.get(k).join();
  }

  long pid() {
    return process.pid();
  }

  String output() {
    return output.toString();
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        output.append(line).append('\n');
        for (int k = 0; k < listening.size(); k++) {
          Matcher m = listening.get(k).matcher(line);
          if (m.find()) {
            ports.get(k).complete(Integer.parseInt(m.group(1)));
          }
        }
      }
    } catch (IOException e) {
      // the process is gone; the port futures below say so
    }
    ports.forEach(p -> p.completeExceptionally(new IllegalStateException("server output ended")));
  }

  /** SIGTERM; forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
