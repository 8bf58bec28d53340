package chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A plain-socket chat client for tests: a reader thread splits what arrives into lines, and {@link #await} waits for
 * one with a bounded timeout, so tests synchronise on what the server sent rather than on time.
 */
public final class LineClient implements AutoCloseable {

  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String CLOSED = "\u0000closed";

  private final Socket socket;
  private final OutputStream out;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private volatile boolean closedByServer;

  private LineClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    Thread reader = new Thread(this::readLoop, "line-client-" + socket.getLocalPort());
    reader.setDaemon(true);
    reader.start();
  }

  public static LineClient connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
    socket.setTcpNoDelay(true);
    return new LineClient(socket);
  }

  /** Connects from {@code localAddress}, any address of 127.0.0.0/8, so one test can play several client hosts. */
  public static LineClient connectFrom(String localAddress, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
    socket.setTcpNoDelay(true);
    return new LineClient(socket);
  }

  /** A client over a socket the caller connected: TLS, or one that sent a PROXY header first. */
  public static LineClient over(Socket socket) throws IOException {
    return new LineClient(socket);
  }

  /** Connects, answers the prompt with {@code name} and waits for its own join line. */
  public static LineClient register(int port, String name) throws IOException {
    return connect(port).registerAs(name);
  }

  /** Answers the prompt with {@code name} and waits for its own join line. */
  public LineClient registerAs(String name) throws IOException {
    expect("ID");
    send(name);
    awaitLine(line -> line.equals("[" + name + "] 접속") || line.equals("[" + name + "] joined"));
    return this;
  }

  /**
   * Registers with IRC's NICK and USER (user {@code nick}, real name {@code nick real}) and waits for the end of the
   * welcome burst: the MOTD or its absence.
   */
  public LineClient ircRegisterAs(String nick) throws IOException {
    send("NICK " + nick);
    send("USER " + nick + " 0 * :" + nick + " real");
    awaitLine(line -> line.strip().contains(" 001 " + nick + " "));
    awaitLine(line -> line.strip().contains(" 422 " + nick + " ") || line.contains(" 376 " + nick + " "));
    return this;
  }

  /** Answers the prompt with {@code name}: true if it was accepted (its own join line came next), false if not. */
  public boolean tryRegisterAs(String name) throws IOException {
    expect("ID");
    send(name);
    String line = next();
    return line.equals("[" + name + "] 접속") || line.equals("[" + name + "] joined");
  }

  public void send(String line) throws IOException {
    sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next line, which must equal {@code expected}. */
  public void expect(String expected) {
    String line = next();
    if (!line.equals(expected)) {
      throw new AssertionError("expected <" + expected + "> but got <" + line + ">");
    }
  }

  /** The next line the server sends, waiting at most {@link #TIMEOUT}. */
  public String next() {
    try {
      String line = lines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new AssertionError("no line within " + TIMEOUT);
      }
      if (line.equals(CLOSED)) {
        lines.add(CLOSED);
        throw new AssertionError("connection closed by the server");
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Skips lines until one matches within {@code within} in all; returns the lines skipped plus the match. */
  public List<String> awaitLine(Predicate<String> match, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    List<String> seen = new ArrayList<>();
    try {
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("no matching line within " + within + "; got " + seen);
        }
        if (line.equals(CLOSED)) {
          lines.add(CLOSED);
          throw new AssertionError("connection closed by the server; got " + seen);
        }
        seen.add(line);
        if (match.test(line)) {
          return seen;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Skips lines until one matches; returns the lines skipped plus the match. */
  public List<String> awaitLine(Predicate<String> match) {
    List<String> seen = new ArrayList<>();
    while (true) {
      String line = next();
      seen.add(line);
      if (match.test(line)) {
        return seen;
      }
    }
  }

  /** Waits until the server closes the connection; returns the lines that came before. */
  public List<String> awaitClose() {
    List<String> seen = new ArrayList<>();
    try {
      while (true) {
        String line = lines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
          throw new AssertionError("not closed within " + TIMEOUT + "; got " + seen);
        }
        if (line.equals(CLOSED)) {
          lines.add(CLOSED);
          return seen;
        }
        seen.add(line);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public boolean closedByServer() {
    return closedByServer;
  }

  /** Lines received so far and not yet consumed, without waiting. */
  public List<String> drain() {
    List<String> drained = new ArrayList<>();
    lines.drainTo(drained);
    drained.remove(CLOSED);
    return drained;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void readLoop() {
    try (InputStream in = socket.getInputStream()) {
      java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines.add(current.toString(StandardCharsets.UTF_8));
            current.reset();
          } else {
            current.write(buffer[i]);
          }
        }
      }
      closedByServer = true;
    } catch (IOException e) {
      closedByServer = !socket.isClosed();
    } finally {
      lines.add(CLOSED);
    }
  }
}
