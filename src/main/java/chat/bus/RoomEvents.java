package chat.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The room events for one NetServerVerticle instance from one event-loop iteration of the RoomVerticle, in order. */
public record RoomEvents(List<RoomEvent> events) {

  public JsonObject toJson() {
    return new JsonObject().put("events", new JsonArray(events.stream().map(RoomEvent::toJson).toList()));
  }

  public static RoomEvents fromJson(JsonObject json) {
    return new RoomEvents(json.getJsonArray("events").stream()
        .map(event -> RoomEvent.fromJson((JsonObject) event))
        .toList());
  }
}
