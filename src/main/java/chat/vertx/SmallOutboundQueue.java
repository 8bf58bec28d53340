package chat.vertx;

import io.vertx.core.net.NetSocket;
import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shrinks the outbound message queue Vert.x gives every socket.
 *
 * <p>Vert.x 5 backs each connection's outbound queue with an unbounded MPSC array queue whose first chunk holds 1,024
 * slots: about 4.7 KB of heap per connection before anything is queued, measured as over half the live heap of an
 * idle registered connection. This server never writes through that queue on its hot path (output goes straight to
 * the Netty channel, see {@link ChannelOutput}); only closes pass through it. A linked queue costs a few dozen bytes
 * until used. The field is private to Vert.x, so the swap is done once per socket, right after accept and before any
 * write; if a Vert.x upgrade moves the field, the server logs that once and keeps the default queue.
 */
public final class SmallOutboundQueue {

  private static final Logger log = LoggerFactory.getLogger(SmallOutboundQueue.class);
  private static final Field[] PATH = resolve();

  private SmallOutboundQueue() {
  }

  public static void install(NetSocket socket) {
    if (PATH.length == 0) {
      return;
    }
    try {
      Object queueOwner = PATH[1].get(PATH[0].get(socket));
      PATH[2].set(queueOwner, new ConcurrentLinkedQueue<>());
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("outbound queue left as is: {}", e.toString());
    }
  }

  /** Whether this Vert.x still has the fields the swap relies on; a test pins it, so an upgrade that moves them fails. */
  static boolean resolved() {
    return PATH.length == 3;
  }

  // NetSocketImpl -> VertxConnection.outboundMessageQueue -> OutboundMessageQueue.mqp -> MessagePassingQueue.queue
  private static Field[] resolve() {
    try {
      Field outbound = field("io.vertx.core.net.impl.VertxConnection", "outboundMessageQueue");
      Field mqp = field("io.vertx.core.internal.concurrent.OutboundMessageQueue", "mqp");
      Field queue = field("io.vertx.core.streams.impl.MessagePassingQueue", "queue");
      return new Field[] {outbound, mqp, queue};
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.info("Vert.x outbound queues keep their default size ({}): about 4.7 KB more heap per connection",
          e.toString());
      return new Field[0];
    }
  }

  private static Field field(String className, String name) throws ReflectiveOperationException {
    Field field = Class.forName(className).getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }
}
