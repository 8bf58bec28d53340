package chat.bus;

import io.vertx.core.json.JsonObject;

/** What a NetServerVerticle asks of the RoomVerticle; {@code op} in the JSON body says which one. */
public sealed interface RoomRequest {

  JsonObject toJson();

  record Enter(Member member, String room) implements RoomRequest {
    public JsonObject toJson() {
      return op("enter").put("member", member.toJson()).put("room", room);
    }
  }

  record Leave(String key) implements RoomRequest {
    public JsonObject toJson() {
      return op("leave").put("key", key);
    }
  }

  record Move(String key, String room) implements RoomRequest {
    public JsonObject toJson() {
      return op("move").put("key", key).put("room", room);
    }
  }

  /** {@code sentAt}: when the sender's node published it, in microseconds since the epoch. */
  record Say(String key, String text, long sentAt) implements RoomRequest {
    public JsonObject toJson() {
      return op("say").put("key", key).put("text", text).put("sentAt", sentAt);
    }
  }

  record Act(String key, String text, long sentAt) implements RoomRequest {
    public JsonObject toJson() {
      return op("act").put("key", key).put("text", text).put("sentAt", sentAt);
    }
  }

  record Rename(String oldKey, String newName, String newKey) implements RoomRequest {
    public JsonObject toJson() {
      return op("rename").put("key", oldKey).put("newName", newName).put("newKey", newKey);
    }
  }

  /**
   * A line for one connection, passed through the RoomVerticle so that it reaches the client after every room event
   * the client's earlier lines caused (a notice never overtakes the echo of a message sent before it).
   */
  record Direct(String instance, long connection, String line) implements RoomRequest {
    public JsonObject toJson() {
      return op("direct").put("instance", instance).put("connection", connection).put("line", line);
    }
  }

  /** Replied to with {@code {"to": displayName}}, or failed with {@link #NO_SUCH_USER}. */
  record Whisper(String fromKey, String toKey, String text) implements RoomRequest {
    public JsonObject toJson() {
      return op("whisper").put("key", fromKey).put("toKey", toKey).put("text", text);
    }
  }

  /** Replied to with {@code {"names": [...]}}. */
  record Who(String room) implements RoomRequest {
    public JsonObject toJson() {
      return op("who").put("room", room);
    }
  }

  /** Replied to with {@code {"rooms": {room: count}}}. */
  record Rooms() implements RoomRequest {
    public JsonObject toJson() {
      return op("rooms");
    }
  }

  int NO_SUCH_USER = 404;

  static RoomRequest fromJson(JsonObject json) {
    String op = json.getString("op");
    return switch (op) {
      case "enter" -> new Enter(Member.fromJson(json.getJsonObject("member")), json.getString("room"));
      case "leave" -> new Leave(json.getString("key"));
      case "move" -> new Move(json.getString("key"), json.getString("room"));
      case "say" -> new Say(json.getString("key"), json.getString("text"), json.getLong("sentAt"));
      case "act" -> new Act(json.getString("key"), json.getString("text"), json.getLong("sentAt"));
      case "rename" -> new Rename(json.getString("key"), json.getString("newName"), json.getString("newKey"));
      case "whisper" -> new Whisper(json.getString("key"), json.getString("toKey"), json.getString("text"));
      case "direct" -> new Direct(json.getString("instance"), json.getLong("connection"), json.getString("line"));
      case "who" -> new Who(json.getString("room"));
      case "rooms" -> new Rooms();
      default -> throw new IllegalArgumentException("unknown room request " + op);
    };
  }

  private static JsonObject op(String op) {
    return new JsonObject().put("op", op);
  }
}
