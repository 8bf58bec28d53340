package chat.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One room event as delivered to one NetServerVerticle instance.
 *
 * <p>{@code add} and {@code remove} carry the instance's own connection that entered or left with this event (0 when
 * none), so the instance's local room index changes exactly where the RoomVerticle's membership did: a newcomer sees
 * its own join and every event after it, never one before. {@code sentAt} is when the sender's node published a
 * message, in microseconds since the epoch (0 for other events), for the delivery-latency histogram.
 */
public record RoomEvent(Kind kind, String room, String name, String other, String text, long add, long remove,
    long target, long sentAt) {

  public enum Kind {
    /** {@code name} entered {@code room}. */
    JOINED,
    /** {@code name} left {@code room}. */
    LEFT,
    /** {@code name} said {@code text}. */
    SAID,
    /** {@code name} did {@code text} (/me). */
    ACTED,
    /** {@code name} is now called {@code other}. */
    RENAMED,
    /** {@code name} told {@code other} (connection {@code target}) {@code text}, privately. */
    WHISPERED,
    /** {@code text} is a whole server line for connection {@code target}. */
    DIRECT,
    /** {@code text} is a notice for connection {@code target}, which is then closed: its node is rejoining a cluster. */
    EVICTED
  }

  /** Wall-clock microseconds: message timestamps are compared across nodes, so not {@code System.nanoTime()}. */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  public static RoomEvent joined(String room, String name) {
    return new RoomEvent(Kind.JOINED, room, name, null, null, 0, 0, 0, 0);
  }

  public static RoomEvent left(String room, String name) {
    return new RoomEvent(Kind.LEFT, room, name, null, null, 0, 0, 0, 0);
  }

  public static RoomEvent said(String room, String name, String text) {
    return new RoomEvent(Kind.SAID, room, name, null, text, 0, 0, 0, 0);
  }

  public static RoomEvent acted(String room, String name, String text) {
    return new RoomEvent(Kind.ACTED, room, name, null, text, 0, 0, 0, 0);
  }

  public static RoomEvent renamed(String room, String oldName, String newName) {
    return new RoomEvent(Kind.RENAMED, room, oldName, newName, null, 0, 0, 0, 0);
  }

  public static RoomEvent whispered(String from, String to, long target, String text) {
    return new RoomEvent(Kind.WHISPERED, null, from, to, text, 0, 0, target, 0);
  }

  public static RoomEvent direct(long target, String line) {
    return new RoomEvent(Kind.DIRECT, null, null, null, line, 0, 0, target, 0);
  }

  public static RoomEvent evicted(long target, String notice) {
    return new RoomEvent(Kind.EVICTED, null, null, null, notice, 0, 0, target, 0);
  }

  /** The same event for an instance that gains or loses one of its connections with it. */
  public RoomEvent withMembershipChange(long added, long removed) {
    return new RoomEvent(kind, room, name, other, text, added, removed, target, sentAt);
  }

  public RoomEvent withSentAt(long micros) {
    return new RoomEvent(kind, room, name, other, text, add, remove, target, micros);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", kind.name());
    putIfPresent(json, "name", name);
    putIfPresent(json, "room", room);
    putIfPresent(json, "other", other);
    putIfPresent(json, "text", text);
    putIfNonZero(json, "add", add);
    putIfNonZero(json, "remove", remove);
    putIfNonZero(json, "target", target);
    putIfNonZero(json, "sentAt", sentAt);
    return json;
  }

  public static RoomEvent fromJson(JsonObject json) {
    return new RoomEvent(Kind.valueOf(json.getString("kind")), json.getString("room"), json.getString("name"),
        json.getString("other"), json.getString("text"), json.getLong("add", 0L), json.getLong("remove", 0L),
        json.getLong("target", 0L), json.getLong("sentAt", 0L));
  }

  private static void putIfPresent(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  private static void putIfNonZero(JsonObject json, String field, long value) {
    if (value != 0) {
      json.put(field, value);
    }
  }
}
