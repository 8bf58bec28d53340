package chat.core;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last lines of rooms, in each room's order: at most {@code lines} per room, none older than {@code maxAgeMicros},
 * at most {@code maxRooms} rooms (the least recently used room is dropped first). Lines are what users said in the
 * room (said, acted, noticed) and topic changes, each with its position in the room's sequence. Joins, leaves and
 * renames have their places in the sequence too but are not kept: after a rolling deploy every user leaves and comes
 * back, and a replay of that would push out what was said. Private messages never come here.
 *
 * <p>Pure and single-threaded: the RoomVerticle owns the only instance. On a node alone it is the rooms' history; in a
 * cluster it is this node's copy of the rooms it follows, the history itself being kept in the cluster.
 */
public final class RoomHistory {

  /** A room event and its position in its room's sequence. */
  public record Line(long seq, RoomEvent event) {
  }

  /**
   * Which lines: the {@code count} latest ({@link Kind#LATEST}, after a point if one is given), or the {@code count}
   * before, after or around a point. The point is a line's position in the room's order ({@code seq}), or else a line
   * of {@code name} at {@code atMicros} (a message id made of the two), or else the first line after that time; -1 and
   * null for none.
   */
  public record Query(Kind kind, long seq, long atMicros, String name, int count) {

    public enum Kind { LATEST, BEFORE, AFTER, AROUND }

    public static Query latest(int count) {
      return new Query(Kind.LATEST, -1, -1, null, count);
    }

    boolean hasPoint() {
      return seq >= 0 || atMicros >= 0;
    }

    /** Whether {@code line} is the point itself. */
    boolean isPoint(Line line) {
      return seq >= 0 ? line.seq() == seq
          : name != null && line.event().at() == atMicros && Names.key(line.event().name()).equals(Names.key(name));
    }

    /** Whether {@code line} is past the point (lines are in the room's order, their times nearly so). */
    boolean isAfter(Line line) {
      return seq >= 0 ? line.seq() > seq : line.event().at() > atMicros;
    }
  }

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

  /** A replayed line's stamp: {@code HH:mm} of {@code atMicros} (microseconds since the epoch) in {@code zone}. */
  public static String clock(long atMicros, ZoneId zone) {
    return CLOCK.format(Instant.EPOCH.plus(atMicros, ChronoUnit.MICROS).atZone(zone));
  }

  private final int lines;
  private final long maxAgeMicros;
  private final int maxRooms;
  private final LinkedHashMap<String, ArrayDeque<Line>> rooms = new LinkedHashMap<>(16, 0.75f, true);
  private int total;

  public RoomHistory(int lines, long maxAgeMicros, int maxRooms) {
    this.lines = lines;
    this.maxAgeMicros = maxAgeMicros;
    this.maxRooms = maxRooms;
  }

  public boolean enabled() {
    return lines > 0 && maxRooms > 0;
  }

  /** Keeps {@code event}, at {@code seq} in its room, if it is a line to keep; drops what no longer fits. */
  public void add(long seq, RoomEvent event) {
    if (!enabled() || !(event.isMessage() || event.kind() == RoomEvent.Kind.TOPIC)) {
      return;
    }
    ArrayDeque<Line> kept = rooms.computeIfAbsent(event.room(), r -> new ArrayDeque<>());
    kept.addLast(new Line(seq, event.add() == 0 && event.remove() == 0 ? event : event.withMembershipChange(0, 0)));
    total++;
    expire(kept, event.at());
    while (kept.size() > lines) {
      kept.removeFirst();
      total--;
    }
    if (rooms.size() > maxRooms) {
      Iterator<Map.Entry<String, ArrayDeque<Line>>> eldest = rooms.entrySet().iterator();
      total -= eldest.next().getValue().size();
      eldest.remove();
    }
  }

  /** The room's last {@code count} lines not older than the age limit at {@code nowMicros}, oldest first. */
  public List<Line> last(String room, int count, long nowMicros) {
    ArrayDeque<Line> kept = rooms.get(room);
    if (kept == null || count <= 0) {
      return List.of();
    }
    expire(kept, nowMicros);
    if (kept.isEmpty()) {
      rooms.remove(room);
      return List.of();
    }
    return tail(new ArrayList<>(kept), count);
  }

  /** The room's lines that {@code query} selects, oldest first. */
  public List<Line> select(String room, Query query, long nowMicros) {
    List<Line> all = last(room, lines, nowMicros);
    int count = Math.max(0, query.count());
    if (!query.hasPoint()) {
      return query.kind() == Query.Kind.LATEST || query.kind() == Query.Kind.BEFORE ? tail(all, count) : List.of();
    }
    // The lines before the point end at {@code pivot}; the point itself, if kept, is at {@code pivot}.
    int pivot = all.size();
    boolean found = false;
    for (int i = 0; i < all.size(); i++) {
      if (query.isPoint(all.get(i))) {
        pivot = i;
        found = true;
        break;
      }
    }
    if (!found) {
      for (int i = 0; i < all.size(); i++) {
        if (query.isAfter(all.get(i))) {
          pivot = i;
          break;
        }
      }
    }
    int afterFrom = found ? pivot + 1 : pivot;
    List<Line> before = all.subList(0, pivot);
    List<Line> after = all.subList(afterFrom, all.size());
    return switch (query.kind()) {
      case LATEST -> tail(after, count);
      case BEFORE -> tail(before, count);
      case AFTER -> List.copyOf(after.subList(0, Math.min(count, after.size())));
      case AROUND -> {
        int start = Math.max(0, Math.min(pivot - count / 2, all.size() - count));
        yield List.copyOf(all.subList(start, Math.min(all.size(), start + count)));
      }
    };
  }

  private static List<Line> tail(List<Line> lines, int count) {
    return List.copyOf(lines.subList(Math.max(0, lines.size() - Math.max(0, count)), lines.size()));
  }

  /** Forgets a room's lines: this node no longer follows it, so they would go stale. */
  public void forget(String room) {
    ArrayDeque<Line> kept = rooms.remove(room);
    if (kept != null) {
      total -= kept.size();
    }
  }

  /** Forgets every room. */
  public void clear() {
    rooms.clear();
    total = 0;
  }

  public int roomCount() {
    return rooms.size();
  }

  public int lineCount() {
    return total;
  }

  /** The most lines a room keeps. */
  public int capacity() {
    return lines;
  }

  private void expire(ArrayDeque<Line> kept, long nowMicros) {
    while (!kept.isEmpty() && kept.peekFirst().event().at() < nowMicros - maxAgeMicros) {
      kept.removeFirst();
      total--;
    }
  }
}
