package chat.net;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This instance's connections per room, changed only by room events (see {@code RoomEvent#add}), so it mirrors the
 * RoomVerticle's membership at each event. A connection may be in several rooms.
 */
final class LocalRooms {

  private final Map<String, Set<Connection>> members = new HashMap<>();

  void add(String room, Connection connection) {
    if (members.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(connection)) {
      connection.indexedRooms.add(room);
    }
  }

  void remove(String room, Connection connection) {
    Set<Connection> set = members.get(room);
    if (set != null && set.remove(connection) && set.isEmpty()) {
      members.remove(room);
    }
    connection.indexedRooms.remove(room);
  }

  void removeEverywhere(Connection connection) {
    for (String room : List.copyOf(connection.indexedRooms)) {
      remove(room, connection);
    }
  }

  Collection<Connection> in(String room) {
    Set<Connection> set = members.get(room);
    return set == null ? Set.of() : set;
  }
}
