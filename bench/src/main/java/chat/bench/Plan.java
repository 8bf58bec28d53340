package chat.bench;

/**
 * What every client of a traffic run needs to know, fixed before the first message is sent. Times are
 * {@code System.nanoTime() - base}, so they are positive and fit the message text compactly.
 *
 * @param senders         number of senders; sender ids are 0..senders-1
 * @param window          closed loop: most messages a sender may have sent but not yet seen echoed
 * @param intervalNanos   open loop: time between two messages of one sender; 0 means closed loop
 * @param sendStart       when senders begin (start of warmup)
 * @param measureStart    first intended send time whose latency and deliveries count (end of warmup)
 * @param measureEnd      senders send nothing intended at or after this time
 * @param payloadBytes    padding added to every message, to vary the line size
 */
record Plan(long base, int senders, int window, long intervalNanos, long sendStart, long measureStart, long measureEnd,
      int payloadBytes) {

  boolean openLoop() {
    return intervalNanos > 0;
  }

  long now() {
    return System.nanoTime() - base;
  }

  boolean inWindow(long t) {
    return t >= measureStart && t < measureEnd;
  }
}
