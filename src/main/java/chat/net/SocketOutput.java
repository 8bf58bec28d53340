package chat.net;

import chat.vertx.ChannelOutput;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

/**
 * A connection's output: unflushed writes straight to the channel, flushed once per event-loop iteration by the
 * instance's {@link Outbox} (or at once past {@link #FLUSH_THRESHOLD_BYTES}), and the two ways of closing.
 *
 * <p>The channel's high-water mark is {@code limits.sendQueueBytes}: a client past it is a slow consumer, closed at
 * once with its queue dropped ({@link #closeNow()}), since a graceful close would wait for a reader that never reads.
 */
final class SocketOutput {

  private static final long CLOSE_GRACE_MILLIS = 5_000;
  /**
   * Unflushed bytes after which a connection is flushed at once instead of at the end of the iteration: an iteration
   * can hold thousands of room events, and output that never reaches the kernel would count against the send queue.
   */
  private static final int FLUSH_THRESHOLD_BYTES = 16 * 1024;

  /** Told once when the client stops reading past the limit. */
  interface SlowConsumer {
    void overLimit();
  }

  private final Vertx vertx;
  private final ChannelOutput channel;
  private final Outbox outbox;
  private final SlowConsumer slow;
  private int unflushedBytes;
  private boolean closing;
  private boolean closed;

  SocketOutput(Vertx vertx, NetSocket socket, int sendQueueBytes, Outbox outbox, SlowConsumer slow) {
    this.vertx = vertx;
    this.channel = new ChannelOutput(socket);
    this.outbox = outbox;
    this.slow = slow;
    socket.setWriteQueueMaxSize(sendQueueBytes);
  }

  /** No more output will be taken: a close has begun, or the channel is closed. */
  boolean closing() {
    return closing || closed;
  }

  /** Takes ownership of {@code encoded}. */
  void write(ByteBuf encoded) {
    if (closing()) {
      encoded.release();
      return;
    }
    if (unflushedBytes == 0) {
      outbox.markDirty(this);
    }
    unflushedBytes += encoded.readableBytes();
    channel.write(encoded);
    if (unflushedBytes >= FLUSH_THRESHOLD_BYTES) {
      flush();
    }
    // A closed channel is not writable either, and is no slow consumer.
    if (!channel.writable() && channel.open()) {
      closing = true;
      slow.overLimit();
      closeNow();
    }
  }

  void flush() {
    if (unflushedBytes > 0 && !closed) {
      unflushedBytes = 0;
      channel.flush();
    }
  }

  /** Closes once what is written has gone out; a client that stops reading is closed regardless past a grace. */
  void closeAfterOutput() {
    if (!closing()) {
      closing = true;
      channel.closeAfterFlush();
      vertx.setTimer(CLOSE_GRACE_MILLIS, t -> closeNow());
    }
  }

  /**
   * Closing from this handler's context starts below Vert.x's own handler, whose close would first wait for the queued
   * output to be written; the channel's pending writes are failed and released instead.
   */
  void closeNow() {
    channel.closeNow();
  }

  /** The channel is closed, whoever closed it. */
  void closed() {
    closed = true;
  }
}
