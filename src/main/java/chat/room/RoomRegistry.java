package chat.room;

import chat.bus.Member;
import chat.bus.RoomEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who is in which room, and which NetServerVerticle instances must hear each room event.
 *
 * <p>Pure and single-threaded: the RoomVerticle owns the only instance. Every change answers with the deliveries it
 * causes, one per instance that has members in the room (never one per recipient).
 */
public final class RoomRegistry {

  /** One event for one instance. */
  public record Delivery(String instance, RoomEvent event) {
  }

  private static final class Room {
    final Map<String, Member> members = new LinkedHashMap<>();
    final Map<String, Integer> membersPerInstance = new HashMap<>();

    void add(Member member) {
      members.put(member.key(), member);
      membersPerInstance.merge(member.instance(), 1, Integer::sum);
    }

    void remove(Member member) {
      members.remove(member.key());
      membersPerInstance.computeIfPresent(member.instance(), (instance, count) -> count == 1 ? null : count - 1);
    }

    /** Swaps a member for its renamed self in the same place, so /who keeps the order of entry. */
    void replace(String oldKey, Member renamed) {
      Map<String, Member> reordered = new LinkedHashMap<>();
      members.forEach((key, member) -> {
        if (key.equals(oldKey)) {
          reordered.put(renamed.key(), renamed);
        } else {
          reordered.put(key, member);
        }
      });
      members.clear();
      members.putAll(reordered);
    }
  }

  private final Map<String, Member> members = new HashMap<>();
  private final Map<String, String> roomOf = new HashMap<>();
  private final Map<String, Room> rooms = new HashMap<>();

  public List<Delivery> enter(Member member, String room) {
    if (members.containsKey(member.key())) {
      return List.of();
    }
    members.put(member.key(), member);
    return join(member, room);
  }

  public List<Delivery> leave(String key) {
    Member member = members.remove(key);
    return member == null ? List.of() : part(member);
  }

  public List<Delivery> move(String key, String room) {
    Member member = members.get(key);
    if (member == null || room.equals(roomOf.get(key))) {
      return List.of();
    }
    List<Delivery> deliveries = new ArrayList<>(part(member));
    deliveries.addAll(join(member, room));
    return deliveries;
  }

  public List<Delivery> say(String key, String text) {
    Member member = members.get(key);
    return member == null ? List.of() : toRoom(roomOf.get(key), RoomEvent.said(roomOf.get(key), member.name(), text));
  }

  public List<Delivery> act(String key, String text) {
    Member member = members.get(key);
    return member == null ? List.of() : toRoom(roomOf.get(key), RoomEvent.acted(roomOf.get(key), member.name(), text));
  }

  public List<Delivery> rename(String oldKey, String newName, String newKey) {
    Member member = members.get(oldKey);
    if (member == null || (!oldKey.equals(newKey) && members.containsKey(newKey))) {
      return List.of();
    }
    String room = roomOf.get(oldKey);
    Member renamed = new Member(newName, newKey, member.instance(), member.connection());
    List<Delivery> deliveries = toRoom(room, RoomEvent.renamed(room, member.name(), newName));
    rooms.get(room).replace(oldKey, renamed);
    members.remove(oldKey);
    members.put(newKey, renamed);
    roomOf.remove(oldKey);
    roomOf.put(newKey, room);
    return deliveries;
  }

  /** A room event from another node, for this node's members of its room (none if it has no members there). */
  public List<Delivery> remote(RoomEvent event) {
    return rooms.containsKey(event.room()) ? toRoom(event.room(), event) : List.of();
  }

  public Optional<String> roomOf(String key) {
    return Optional.ofNullable(roomOf.get(key));
  }

  public Collection<Member> members() {
    return members.values();
  }

  public Optional<Member> member(String key) {
    return Optional.ofNullable(members.get(key));
  }

  /** Display names in the room, in the order they entered it. */
  public List<String> who(String room) {
    Room r = rooms.get(room);
    return r == null ? List.of() : r.members.values().stream().map(Member::name).toList();
  }

  /** Every non-empty room with its member count, sorted by name. */
  public Map<String, Integer> rooms() {
    Map<String, Integer> counts = new TreeMap<>();
    rooms.forEach((name, room) -> counts.put(name, room.members.size()));
    return counts;
  }

  public int memberCount() {
    return members.size();
  }

  public int roomCount() {
    return rooms.size();
  }

  private List<Delivery> join(Member member, String room) {
    rooms.computeIfAbsent(room, r -> new Room()).add(member);
    roomOf.put(member.key(), room);
    RoomEvent event = RoomEvent.joined(room, member.name());
    List<Delivery> deliveries = toRoom(room, event);
    return withChange(deliveries, member.instance(), event.withMembershipChange(member.connection(), 0));
  }

  private List<Delivery> part(Member member) {
    String room = roomOf.remove(member.key());
    RoomEvent event = RoomEvent.left(room, member.name());
    List<Delivery> deliveries = toRoom(room, event);
    Room r = rooms.get(room);
    r.remove(member);
    if (r.members.isEmpty()) {
      rooms.remove(room);
    }
    return withChange(deliveries, member.instance(), event.withMembershipChange(0, member.connection()));
  }

  private List<Delivery> toRoom(String room, RoomEvent event) {
    Room r = rooms.get(room);
    List<Delivery> deliveries = new ArrayList<>(r.membersPerInstance.size());
    for (String instance : r.membersPerInstance.keySet()) {
      deliveries.add(new Delivery(instance, event));
    }
    return deliveries;
  }

  private static List<Delivery> withChange(List<Delivery> deliveries, String instance, RoomEvent changed) {
    deliveries.replaceAll(d -> d.instance().equals(instance) ? new Delivery(instance, changed) : d);
    return deliveries;
  }
}
