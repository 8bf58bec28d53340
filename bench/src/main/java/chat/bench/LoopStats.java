package chat.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Counters of one client event loop. Written only by that loop's thread; other threads read them through
 * {@link #snapshot()} run as a task on the same loop, so no field needs to be volatile or atomic.
 */
final class LoopStats {
  private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

  final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
  final Histogram registration = new Histogram(HIGHEST_NANOS, 3);
  long sent;
  long sentInWindow;
  long expected;
  long unique;
  long duplicated;
  long reordered;
  long deliveriesInWindow;
  long otherLines;
  long disconnects;
  long registered;

  Snapshot snapshot() {
    return new Snapshot(sent, sentInWindow, expected, unique, duplicated, reordered, deliveriesInWindow,
        otherLines, disconnects, registered);
  }

  record Snapshot(long sent, long sentInWindow, long expected, long unique, long duplicated, long reordered,
          long deliveriesInWindow, long otherLines, long disconnects, long registered) {
    static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    Snapshot plus(Snapshot o) {
      return new Snapshot(sent + o.sent, sentInWindow + o.sentInWindow, expected + o.expected,
          unique + o.unique, duplicated + o.duplicated, reordered + o.reordered,
          deliveriesInWindow + o.deliveriesInWindow, otherLines + o.otherLines,
          disconnects + o.disconnects, registered + o.registered);
    }
  }
}
