package chat.netns;

import chat.LineClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;

/**
 * Everything one client receives, kept: several conditions can be awaited on one stream of lines without one wait
 * consuming the lines another looks for, and the whole stream can be checked for loss and order at the end.
 */
final class Transcript implements AutoCloseable {

  private final String name;
  private final LineClient client;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  Transcript(String name, LineClient client) {
    this.name = name;
    this.client = client;
    Thread reader = new Thread(this::read, "transcript-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  String name() {
    return name;
  }

  void send(String line) throws IOException {
    client.send(line);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Whether the server has closed the connection. */
  boolean closed() {
    return closed;
  }

  /** When line {@code index} arrived, as a {@link System#nanoTime} instant. */
  long arrival(int index) {
    return arrivals.get(index);
  }

  /** How many lines have arrived so far: a mark for {@link #awaitFrom}. */
  int size() {
    return lines.size();
  }

  /** Waits for a line matching {@code match}, received at any time; returns the index of the first. */
  int await(Predicate<String> match, Duration within) throws InterruptedException {
    return awaitFrom(0, match, within);
  }

  int await(String line, Duration within) throws InterruptedException {
    return awaitFrom(0, line::equals, within);
  }

  /** Waits for a line matching {@code match} at index {@code from} or later; returns the index of the first. */
  synchronized int awaitFrom(int from, Predicate<String> match, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    for (int next = from; ; ) {
      for (; next < lines.size(); next++) {
        if (match.test(lines.get(next))) {
          return next;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(name + ": no matching line within " + within + " after line " + from + " of "
            + lines);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits for the server to close the connection. */
  synchronized void awaitClosed(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(name + ": not closed by the server within " + within + "; got " + lines);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }

  private void read() {
    while (!closed) {
      try {
        String line = client.next();
        synchronized (this) {
          arrivals.add(System.nanoTime());
          lines.add(line);
          notifyAll();
        }
      } catch (AssertionError e) {
        // next() gives up after a quiet while, or reports the close
        synchronized (this) {
          closed = String.valueOf(e.getMessage()).contains("connection closed");
          notifyAll();
        }
      }
    }
  }
}
