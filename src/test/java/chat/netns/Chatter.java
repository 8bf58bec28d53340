package chat.netns;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Users who keep talking: each sends {@code prefix + n}, n = 0, 1, 2, ..., every {@value #PERIOD_MILLIS} ms. */
final class Chatter implements AutoCloseable {

  static final long PERIOD_MILLIS = 100;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "chatter");
    thread.setDaemon(true);
    return thread;
  });

  /** One user's lines: when each was sent. */
  static final class Voice {
    private final String prefix;
    private final List<Long> sentAt = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    private Voice(String prefix) {
      this.prefix = prefix;
    }

    /** How many lines were sent before {@code nanos} (a {@link System#nanoTime} instant). */
    int sentBefore(long nanos) {
      return (int) sentAt.stream().filter(at -> at < nanos).count();
    }

    /** Whether a line was sent at or after {@code nanos}. */
    boolean sentSince(long nanos) {
      return !sentAt.isEmpty() && sentAt.get(sentAt.size() - 1) >= nanos;
    }

    /** {@code prefix + 0} to {@code prefix + (count - 1)}, as {@code sender} says them. */
    List<String> expected(String sender, int count) {
      return java.util.stream.IntStream.range(0, count).mapToObj(n -> "[" + sender + "] " + prefix + n).toList();
    }
  }

  Voice talk(Transcript user, String prefix) {
    Voice voice = new Voice(prefix);
    timer.scheduleAtFixedRate(() -> {
      if (voice.stopped) {
        return;
      }
      try {
        long now = System.nanoTime();
        user.send(voice.prefix + voice.sentAt.size());
        voice.sentAt.add(now);
      } catch (IOException closed) {
        voice.stopped = true;
      }
    }, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    return voice;
  }

  /** Stops {@code voice} between two of its lines; returns how many it sent. */
  int stop(Voice voice) throws Exception {
    return timer.submit(() -> {
      voice.stopped = true;
      return voice.sentAt.size();
    }).get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
  }
}
