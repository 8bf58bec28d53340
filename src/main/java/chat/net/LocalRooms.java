package chat.net;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * This instance's connections per room, changed only by room events (see {@code RoomEvent#add}), so it mirrors the
 * RoomVerticle's membership at each event.
 */
final class LocalRooms {

  private final Map<String, Set<Connection>> members = new HashMap<>();

  void add(String room, Connection connection) {
    members.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(connection);
    connection.indexedRoom = room;
  }

  void remove(String room, Connection connection) {
    Set<Connection> set = members.get(room);
    if (set != null && set.remove(connection) && set.isEmpty()) {
      members.remove(room);
    }
    if (room.equals(connection.indexedRoom)) {
      connection.indexedRoom = null;
    }
  }

  /** A connection is indexed under at most one room: a move removes it from the old room before adding it anew. */
  void removeEverywhere(Connection connection) {
    if (connection.indexedRoom != null) {
      remove(connection.indexedRoom, connection);
    }
  }

  Collection<Connection> in(String room) {
    Set<Connection> set = members.get(room);
    return set == null ? Set.of() : set;
  }
}
