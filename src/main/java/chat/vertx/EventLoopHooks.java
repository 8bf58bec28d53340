package chat.vertx;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

/**
 * The two places in an event-loop iteration this server schedules work, on the Netty loop behind a Vert.x context.
 * Vert.x has no public API for either, so they are reached through its internal {@code ContextInternal} here and
 * nowhere else; {@code EventLoopHooksTest} fails if an upgrade moves them.
 *
 * <ul>
 *   <li>{@link #queue}: a task queued behind the loop's pending tasks, so it runs after every socket read and bus
 *   delivery already queued in this iteration (batches of requests and events leave there).</li>
 *   <li>{@link #afterIteration}: a tail task, once the iteration's whole batch of tasks is done (the outbox writes
 *   and flushes there).</li>
 * </ul>
 */
public final class EventLoopHooks {

  private final SingleThreadEventLoop loop;

  private EventLoopHooks(SingleThreadEventLoop loop) {
    this.loop = loop;
  }

  /** The hooks of {@code context}'s event loop; call on that context. */
  public static EventLoopHooks of(Context context) {
    EventLoop loop = ((ContextInternal) context).nettyEventLoop();
    return new EventLoopHooks((SingleThreadEventLoop) loop);
  }

  public void queue(Runnable task) {
    loop.execute(task);
  }

  public void afterIteration(Runnable task) {
    loop.executeAfterEventLoopIteration(task);
  }
}
