package chat.room;

import chat.bus.Addresses;
import chat.bus.Member;
import chat.bus.RoomEvent;
import chat.bus.RoomRequest;
import chat.ops.ChatMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Optional;

/** The single owner of room membership on a node; turns room requests into per-instance room events. */
public final class RoomVerticle extends VerticleBase {

  static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final String nodeId;
  private final ChatMetrics metrics;
  private final RoomRegistry registry = new RoomRegistry();

  public RoomVerticle(String nodeId, ChatMetrics metrics) {
    this.nodeId = nodeId;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.rooms(nodeId), this::handle).completion();
  }

  private void handle(Message<JsonObject> message) {
    RoomRequest request = RoomRequest.fromJson(message.body());
    if (request instanceof RoomRequest.Enter enter) {
      deliver(registry.enter(enter.member(), enter.room()));
      metrics.roomCount(registry.roomCount());
    } else if (request instanceof RoomRequest.Leave leave) {
      deliver(registry.leave(leave.key()));
      metrics.roomCount(registry.roomCount());
    } else if (request instanceof RoomRequest.Move move) {
      deliver(registry.move(move.key(), move.room()));
      metrics.roomCount(registry.roomCount());
    } else if (request instanceof RoomRequest.Say say) {
      deliver(registry.say(say.key(), say.text()), say.sentAt());
    } else if (request instanceof RoomRequest.Act act) {
      deliver(registry.act(act.key(), act.text()), act.sentAt());
    } else if (request instanceof RoomRequest.Rename rename) {
      deliver(registry.rename(rename.oldKey(), rename.newName(), rename.newKey()));
    } else if (request instanceof RoomRequest.Direct direct) {
      deliver(List.of(new RoomRegistry.Delivery(direct.instance(), RoomEvent.direct(direct.connection(), direct.line()))));
    } else if (request instanceof RoomRequest.Whisper whisper) {
      whisper(message, whisper);
    } else if (request instanceof RoomRequest.Who who) {
      message.reply(new JsonObject().put("names", new JsonArray(registry.who(who.room()))));
    } else {
      message.reply(new JsonObject().put("rooms", new JsonObject(new LinkedHashMap<String, Object>(registry.rooms()))));
    }
  }

  // /msg name text: the recipient gets the line here, the sender from the reply (once, even to itself).
  private void whisper(Message<JsonObject> message, RoomRequest.Whisper whisper) {
    Optional<Member> from = registry.member(whisper.fromKey());
    Optional<Member> to = registry.member(whisper.toKey());
    if (from.isEmpty() || to.isEmpty()) {
      message.fail(RoomRequest.NO_SUCH_USER, whisper.toKey());
      return;
    }
    Member target = to.get();
    if (!target.key().equals(whisper.fromKey())) {
      RoomEvent event = RoomEvent.whispered(from.get().name(), target.name(), target.connection(), whisper.text());
      deliver(List.of(new RoomRegistry.Delivery(target.instance(), event)));
    }
    message.reply(new JsonObject().put("to", target.name()));
  }

  private void deliver(List<RoomRegistry.Delivery> deliveries) {
    for (RoomRegistry.Delivery delivery : deliveries) {
      vertx.eventBus().send(Addresses.instance(delivery.instance()), delivery.event().toJson(), LOCAL);
    }
  }

  private void deliver(List<RoomRegistry.Delivery> deliveries, long sentAt) {
    for (RoomRegistry.Delivery delivery : deliveries) {
      vertx.eventBus().send(Addresses.instance(delivery.instance()), delivery.event().withSentAt(sentAt).toJson(),
          LOCAL);
    }
  }
}
