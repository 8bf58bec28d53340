package chat.core;

import java.time.Instant;

/**
 * Something that happened in a room, as data: who ({@code name}), what ({@code kind}, {@code text}, {@code other}),
 * which room, and when ({@code at}, server time in microseconds since the epoch, comparable across nodes).
 *
 * <p>{@code add} and {@code remove} carry the receiving instance's own connection that entered or left the room with
 * this event (0 when none), so the instance's index of its members changes exactly where the room's membership did:
 * a newcomer sees its own join and every event after it, never one before, and a leaver nothing after its leave.
 */
public record RoomEvent(Kind kind, String room, String name, String other, String text, long at, long add,
    long remove) implements Event {

  public enum Kind {
    /** {@code name} entered the room; {@code text} "o" when it opened the room and is its operator, else null. */
    JOINED,
    /** {@code name} left the room and stays connected. */
    PARTED,
    /** {@code name} left the room by disconnecting. */
    QUIT,
    /** {@code name} said {@code text}. */
    SAID,
    /** {@code name} did {@code text} (/me). */
    ACTED,
    /** {@code name} is now called {@code other}. */
    RENAMED,
    /** {@code name} sent {@code text} as a notice: for reading, never to be answered automatically (IRC NOTICE). */
    NOTICED,
    /** {@code name} set the room's topic to {@code text} (empty: cleared). */
    TOPIC,
    /**
     * {@code name} changed a mode of the room ({@link RoomModes}): {@code text} is the change ("+t", "-o"), and
     * {@code other} the member whose rank it changes, null for a flag of the room.
     */
    MODE
  }

  /** Wall-clock microseconds: event times are compared across nodes, so not {@code System.nanoTime()}. */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  public static RoomEvent of(Kind kind, String room, String name, long at) {
    return new RoomEvent(kind, room, name, null, null, at, 0, 0);
  }

  public static RoomEvent message(Kind kind, String room, String name, String text, long at) {
    return new RoomEvent(kind, room, name, null, text, at, 0, 0);
  }

  public static RoomEvent mode(String room, String name, String change, String member, long at) {
    return new RoomEvent(Kind.MODE, room, name, member, change, at, 0, 0);
  }

  public static RoomEvent renamed(String room, String oldName, String newName, long at) {
    return new RoomEvent(Kind.RENAMED, room, oldName, newName, null, at, 0, 0);
  }

  /** A user's line, as opposed to a change of membership or name. */
  public boolean isMessage() {
    return kind == Kind.SAID || kind == Kind.ACTED || kind == Kind.NOTICED;
  }

  /** The same event for an instance that gains or loses one of its connections with it. */
  public RoomEvent withMembershipChange(long added, long removed) {
    return new RoomEvent(kind, room, name, other, text, at, added, removed);
  }

  @Override
  public <R> R accept(Handler<R> handler) {
    return handler.room(this);
  }
}
