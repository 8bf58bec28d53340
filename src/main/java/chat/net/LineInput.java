package chat.net;

import chat.config.ChatConfig;
import chat.line.LineFramer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A connection's input gate: frames bytes into lines and lets each through to the session in order, when the session
 * can take it and its flood-control token is due.
 *
 * <ul>
 *   <li>Legacy framing: a partial line left unfinished for {@code legacy.flushMillis} is taken as a line.</li>
 *   <li>Held lines: while the session awaits a name reservation ({@link Target#blocked()}), lines wait here in order
 *   and reading pauses; {@link #release()} lets them through once it is answered.</li>
 *   <li>Flood control meters every line, commands and name attempts included, through a {@link TokenBucket}: a line
 *   over the rate waits for its token; past {@code limits.floodQueueLines} waiting lines the target is told
 *   ({@link Target#flooded(int)}) and the waiting lines are dropped. Reading goes on while lines wait for tokens, since
 *   a paused socket would leave the backlog in the kernel where the queue bound never sees it; what waits stays
 *   bounded by that bound times {@code limits.maxLineBytes}.</li>
 * </ul>
 */
public final class LineInput implements LineFramer.Sink {

  /** Where the lines go. */
  public interface Target {
    /** True while a line must wait (a name reservation is pending). */
    boolean blocked();

    void line(byte[] line);

    void tooLong();

    void flooded(int waiting);

    /** The client closed and every line it sent has been let through. */
    void drained();
  }

  private final Vertx vertx;
  private final NetSocket socket;
  private final Target target;
  private final LineFramer framer;
  private final int flushMillis;
  private final int floodQueueLines;
  private final TokenBucket flood;
  private ArrayDeque<byte[]> held;
  private long flushTimer = -1;
  private long floodTimer = -1;
  private boolean paused;
  private boolean closed;
  private boolean stopped;

  LineInput(Vertx vertx, NetSocket socket, ChatConfig config, Target target) {
    this(vertx, socket, config.limits(), config.limits().maxLineBytes(), config.legacy().flushMillis(), target);
  }

  /** For another front-end's framing: its own longest line, and legacy flushing ({@code flushMillis} 0: off). */
  public LineInput(Vertx vertx, NetSocket socket, ChatConfig.Limits limits, int maxLineBytes, int flushMillis,
      Target target) {
    this.vertx = vertx;
    this.socket = socket;
    this.target = target;
    this.framer = new LineFramer(maxLineBytes);
    this.flushMillis = flushMillis;
    this.floodQueueLines = limits.floodQueueLines();
    this.flood = limits.floodControl()
        ? new TokenBucket(limits.linesPerSecond(), limits.lineBurst(), System.nanoTime())
        : null;
  }

  public void feed(Buffer data) {
    framer.feed(data.getBytes(), this);
    armLegacyFlush();
  }

  @Override
  public void line(byte[] line) {
    if (stopped) {
      return;
    }
    if (held == null && !target.blocked() && (flood == null || flood.take(System.nanoTime()) == 0)) {
      target.line(line);
      return;
    }
    hold(line);
    if (flood != null && held.size() > floodQueueLines + flood.available(System.nanoTime())) {
      int waiting = held.size();
      stop();
      target.flooded(waiting);
    } else {
      release();
    }
  }

  @Override
  public void tooLong() {
    if (!stopped) {
      stop();
      target.tooLong();
    }
  }

  /** No more lines go through: the connection is closing on the server's side. */
  public void stop() {
    stopped = true;
    held = null;
    cancelTimers();
  }

  /** The client closed its side: an unfinished line still counts, then the target hears it is drained. */
  public void closed() {
    closed = true;
    cancelFlushTimer();
    if (framer.hasPartial()) {
      line(framer.takePartial());
    }
    release();
  }

  /** Lets held lines through in order, each when its token is due; call when the target is no longer blocked. */
  public void release() {
    while (held != null && !target.blocked() && floodTimer == -1) {
      if (held.isEmpty()) {
        held = null;
        break;
      }
      long wait = flood == null ? 0 : flood.take(System.nanoTime());
      if (wait > 0) {
        floodTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)), t -> {
          floodTimer = -1;
          release();
        });
        break;
      }
      target.line(held.poll());
    }
    if (paused && !target.blocked()) {
      paused = false;
      if (!closed && !stopped) {
        socket.resume();
      }
    }
    if (closed && held == null && !target.blocked()) {
      target.drained();
    }
  }

  private void hold(byte[] line) {
    if (held == null) {
      held = new ArrayDeque<>(4);
    }
    held.add(line);
    if (!paused && target.blocked()) {
      paused = true;
      socket.pause();
    }
  }

  private void armLegacyFlush() {
    if (flushMillis == 0) {
      return;
    }
    cancelFlushTimer();
    if (framer.hasPartial() && !closed) {
      flushTimer = vertx.setTimer(flushMillis, t -> {
        flushTimer = -1;
        if (framer.hasPartial()) {
          line(framer.takePartial());
        }
      });
    }
  }

  private void cancelTimers() {
    cancelFlushTimer();
    if (floodTimer != -1) {
      vertx.cancelTimer(floodTimer);
      floodTimer = -1;
    }
  }

  private void cancelFlushTimer() {
    if (flushTimer != -1) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
  }
}
