package chat.bus;

import chat.core.Reply;
import chat.core.RoomEvent;
import io.vertx.core.json.JsonObject;

/**
 * What one node tells the others about its own users, as JSON on the wire. {@code origin} is the node that sent it: a
 * node ignores its own (it delivered them locally already) and those of nodes that are no longer members (a node cut
 * off from the cluster that has not noticed yet). Exactly one of the three forms:
 * <ul>
 *   <li>a room event ({@code event}), published to every node on {@link Addresses#cluster()};</li>
 *   <li>a presence change ({@code name}, {@code present}): a user registered or is gone, rooms or not;</li>
 *   <li>a private message ({@code toKey}, {@code whisper}), sent to the recipient's node on
 *   {@link Addresses#node(String)}.</li>
 * </ul>
 */
public record ClusterEvent(String origin, RoomEvent event, String name, boolean present, String toKey,
    Reply.Whispered whisper) {

  public static ClusterEvent room(String origin, RoomEvent event) {
    return new ClusterEvent(origin, event.withMembershipChange(0, 0), null, false, null, null);
  }

  public static ClusterEvent presence(String origin, String name, boolean present) {
    return new ClusterEvent(origin, null, name, present, null, null);
  }

  public static ClusterEvent whisper(String origin, String toKey, Reply.Whispered whisper) {
    return new ClusterEvent(origin, null, null, false, toKey, whisper);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("origin", origin);
    if (event != null) {
      json.put("event", new JsonObject()
          .put("kind", event.kind().name())
          .put("room", event.room())
          .put("name", event.name())
          .put("other", event.other())
          .put("text", event.text())
          .put("at", event.at()));
    } else if (whisper != null) {
      json.put("toKey", toKey).put("whisper", new JsonObject()
          .put("from", whisper.from())
          .put("to", whisper.to())
          .put("text", whisper.text())
          .put("at", whisper.at())
          .put("notice", whisper.notice()));
    } else {
      json.put("name", name).put("present", present);
    }
    return json;
  }

  public static ClusterEvent fromJson(JsonObject json) {
    String origin = json.getString("origin");
    JsonObject event = json.getJsonObject("event");
    if (event != null) {
      return room(origin, new RoomEvent(RoomEvent.Kind.valueOf(event.getString("kind")), event.getString("room"),
          event.getString("name"), event.getString("other"), event.getString("text"), event.getLong("at"), 0, 0));
    }
    JsonObject whisper = json.getJsonObject("whisper");
    if (whisper != null) {
      return whisper(origin, json.getString("toKey"), new Reply.Whispered(whisper.getString("from"),
          whisper.getString("to"), whisper.getString("text"), whisper.getLong("at"),
          whisper.getBoolean("notice", false)));
    }
    return presence(origin, json.getString("name"), json.getBoolean("present"));
  }
}
