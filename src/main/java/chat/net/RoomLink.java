package chat.net;

import chat.bus.Addresses;
import chat.bus.Events;
import chat.bus.LocalCodec;
import chat.bus.Requests;
import chat.core.Event;
import chat.core.Request;
import chat.vertx.EventLoopHooks;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A front-end instance's link to its node's rooms, the lane of every connection it serves: its requests go to the
 * RoomVerticle in one ordered stream, and what the rooms answer comes back in one ordered stream, to its
 * {@link Event.Handler}. Confined to the instance's context.
 *
 * <p>Requests are queued and leave as one bus message once the tasks already queued on the event loop have run: the
 * lines of every socket read in this iteration travel together, and reach a RoomVerticle on the same loop within the
 * iteration.
 */
public final class RoomLink {

  private final Vertx vertx;
  private final Context context;
  private final String rooms;
  private final String instanceId = UUID.randomUUID().toString();
  private final EventLoopHooks loop;
  private final Runnable send = this::sendNow;
  private List<Request> pending = new ArrayList<>();
  private boolean scheduled;

  private RoomLink(Vertx vertx, Context context, String nodeId) {
    this.vertx = vertx;
    this.context = context;
    this.rooms = Addresses.rooms(nodeId);
    this.loop = EventLoopHooks.of(context);
  }

  /** Opens the link on the calling verticle's context; ready once the rooms can answer it. */
  public static Future<RoomLink> open(Vertx vertx, Context context, String nodeId, Event.Handler<Void> events) {
    RoomLink link = new RoomLink(vertx, context, nodeId);
    return vertx.eventBus()
        .<Events>localConsumer(Addresses.instance(link.instanceId), batch -> {
          for (Event event : batch.body().events()) {
            event.accept(events);
          }
        })
        .completion()
        .map(v -> link);
  }

  /** The instance's id, which the rooms address its events to (see {@code Member#instance}). */
  public String instanceId() {
    return instanceId;
  }

  public void send(Request request) {
    pending.add(request);
    if (!scheduled) {
      scheduled = true;
      loop.queue(send);
    }
  }

  /** Completes once the rooms have handled every request sent before it; callable from any thread. */
  public Future<Void> barrier() {
    Promise<Void> handled = Promise.promise();
    context.runOnContext(v -> {
      sendNow();
      vertx.eventBus().request(rooms, new Requests(List.of()), LocalCodec.LOCAL)
          .<Void>mapEmpty()
          .onComplete(handled);
    });
    return handled.future();
  }

  private void sendNow() {
    scheduled = false;
    if (!pending.isEmpty()) {
      vertx.eventBus().send(rooms, new Requests(pending), LocalCodec.LOCAL);
      pending = new ArrayList<>();
    }
  }
}
