package chat.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The one-way room requests of one NetServerVerticle instance from one batch of its reads, in order. Requests that
 * want an answer travel alone.
 */
public record RoomRequests(List<RoomRequest> requests) {

  public JsonObject toJson() {
    return new JsonObject().put("requests", new JsonArray(requests.stream().map(RoomRequest::toJson).toList()));
  }

  public static RoomRequests fromJson(JsonObject json) {
    return new RoomRequests(json.getJsonArray("requests").stream()
        .map(request -> RoomRequest.fromJson((JsonObject) request))
        .toList());
  }
}
