package chat.bus;

import io.vertx.core.json.JsonObject;

/**
 * A room event between nodes: published on {@link Addresses#cluster()} for room events, or sent to one node's
 * {@link Addresses#node(String)} for a private message to its user {@code toKey} (null otherwise). {@code origin} is
 * the node that published it: a node ignores its own events (it delivered them locally already) and those of nodes
 * that are no longer members (a node cut off from the cluster that has not noticed yet).
 */
public record ClusterEvent(String origin, String toKey, RoomEvent event) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("origin", origin).put("event", event.toJson());
    if (toKey != null) {
      json.put("toKey", toKey);
    }
    return json;
  }

  public static ClusterEvent fromJson(JsonObject json) {
    return new ClusterEvent(json.getString("origin"), json.getString("toKey"),
        RoomEvent.fromJson(json.getJsonObject("event")));
  }
}
