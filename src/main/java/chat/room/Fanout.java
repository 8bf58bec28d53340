package chat.room;

import chat.bus.Addresses;
import chat.bus.Events;
import chat.bus.LocalCodec;
import chat.core.Event;
import chat.vertx.EventLoopHooks;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The RoomVerticle's outgoing events, one ordered stream per front-end instance.
 *
 * <p>Events wait until the requests already queued on the event loop are handled, then leave as one bus message per
 * instance: under load that is many requests, and each instance then writes each member socket once for all of them.
 * The send is queued behind those requests rather than put off to the end of the iteration, so that the instance
 * sharing this loop takes the batch, writes it and flushes in the same iteration that read the lines.
 */
final class Fanout {

  private final EventBus bus;
  private final EventLoopHooks loop;
  private final Map<String, List<Event>> outgoing = new HashMap<>();
  private final Runnable send = this::send;
  private boolean scheduled;

  Fanout(EventBus bus, EventLoopHooks loop) {
    this.bus = bus;
    this.loop = loop;
  }

  void add(String instance, Event event) {
    outgoing.computeIfAbsent(instance, i -> new ArrayList<>()).add(event);
    if (!scheduled) {
      scheduled = true;
      loop.queue(send);
    }
  }

  private void send() {
    scheduled = false;
    outgoing.forEach((instance, events) -> bus.send(Addresses.instance(instance), new Events(events), LocalCodec.LOCAL));
    outgoing.clear();
  }
}
