package chat.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Every registered user of the cluster: an {@link AsyncMap} from name key to where the user is, written by the node
 * that owns the user. A node reads it whole when it starts or merges back, to learn the other nodes' users, and a
 * survivor reads it to clean up after a node that is gone.
 *
 * <p>Confined to the RoomVerticle's context. Writes to one key are chained so they reach the map in the order they
 * were made, and a read waits for the writes made before it.
 */
public final class Directory {

  public static final String MAP = "chat.members";

  /** A user: its name, its node, and its rooms with when it entered each (microseconds since the epoch). */
  public record Entry(String name, String node, Map<String, Long> rooms) {

    public Entry {
      rooms = Map.copyOf(rooms);
    }

    /** A string, so that {@code removeIfPresent} compares it exactly (rooms in a fixed order). */
    public String encode() {
      JsonObject json = new JsonObject();
      new TreeMap<>(rooms).forEach(json::put);
      return new JsonObject().put("name", name).put("node", node).put("rooms", json).encode();
    }

    public static Entry decode(String encoded) {
      JsonObject json = new JsonObject(encoded);
      Map<String, Long> rooms = new LinkedHashMap<>();
      json.getJsonObject("rooms").forEach(e -> rooms.put(e.getKey(), ((Number) e.getValue()).longValue()));
      return new Entry(json.getString("name"), json.getString("node"), rooms);
    }

    public Entry withRooms(Map<String, Long> rooms) {
      return new Entry(name, node, rooms);
    }
  }

  private final AsyncMap<String, String> map;
  private final Map<String, Future<?>> pending = new HashMap<>();

  public Directory(AsyncMap<String, String> map) {
    this.map = map;
  }

  public Future<Void> put(String key, Entry entry) {
    return chained(key, () -> map.put(key, entry.encode()));
  }

  public Future<Boolean> replace(String key, Entry old, Entry entry) {
    return chained(key, () -> map.replaceIfPresent(key, old.encode(), entry.encode()));
  }

  /** True only for the one caller, on any node, that removed this exact entry. */
  public Future<Boolean> remove(String key, Entry entry) {
    return chained(key, () -> map.removeIfPresent(key, entry.encode()));
  }

  public Future<Map<String, Entry>> all() {
    return settled().compose(v -> map.entries()).map(entries -> {
      Map<String, Entry> decoded = new LinkedHashMap<>();
      entries.forEach((key, value) -> decoded.put(key, Entry.decode(value)));
      return decoded;
    });
  }

  private Future<Void> settled() {
    return Future.join(new ArrayList<>(pending.values())).transform(ar -> Future.succeededFuture());
  }

  private <T> Future<T> chained(String key, Supplier<Future<T>> write) {
    Future<?> previous = pending.getOrDefault(key, Future.succeededFuture());
    Future<T> next = previous.transform(ar -> write.get());
    pending.put(key, next);
    next.onComplete(ar -> pending.remove(key, next));
    return next;
  }
}
