package chat.vertx;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Writes to a socket's Netty channel directly, below Vert.x's handler: unflushed writes that the caller flushes once
 * per event-loop iteration, and a close that drops queued output instead of waiting for a reader that never reads.
 * Vert.x's public {@code NetSocket} flushes every write, which is what this avoids; the channel is reached through the
 * internal {@code NetSocketInternal} here and nowhere else ({@code ChannelOutputTest} fails if an upgrade moves it).
 *
 * <p>Netty counts every byte not yet taken by the kernel against the channel's high-water mark, which
 * {@link NetSocket#setWriteQueueMaxSize} sets: past it the channel is no longer {@link #writable()}.
 */
public final class ChannelOutput {

  private final ChannelHandlerContext channel;

  public ChannelOutput(NetSocket socket) {
    this.channel = ((NetSocketInternal) socket).channelHandlerContext();
  }

  /** Takes ownership of {@code bytes}; nothing reaches the kernel before {@link #flush()}. */
  public void write(ByteBuf bytes) {
    channel.write(bytes, channel.voidPromise());
  }

  public void flush() {
    channel.flush();
  }

  /** False once the unwritten output passes the high-water mark; a closed channel is not writable either. */
  public boolean writable() {
    return channel.channel().isWritable();
  }

  public boolean open() {
    return channel.channel().isActive();
  }

  /** Closes once everything written so far is flushed to the kernel. */
  public void closeAfterFlush() {
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /** Closes now: the pending writes are failed and released. */
  public void closeNow() {
    channel.close();
  }
}
