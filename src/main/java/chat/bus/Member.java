package chat.bus;

import io.vertx.core.json.JsonObject;

/** Where a registered user lives: which NetServerVerticle instance and which of its connections. */
public record Member(String name, String key, String instance, long connection) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("key", key)
        .put("instance", instance)
        .put("connection", connection);
  }

  public static Member fromJson(JsonObject json) {
    return new Member(json.getString("name"), json.getString("key"), json.getString("instance"),
        json.getLong("connection"));
  }
}
