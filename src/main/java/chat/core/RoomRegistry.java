package chat.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The users of one node, the rooms each is in (any number), and which front-end instances must hear each event.
 *
 * <p>Pure and single-threaded: the RoomVerticle owns the only instance. Every change answers with the deliveries it
 * causes, one per instance that has members in the room (never one per recipient).
 */
public final class RoomRegistry {

  /** One event for one front-end instance. */
  public record Delivery(String instance, RoomEvent event) {
  }

  /** A member of a room as /who lists it: its name, and when it entered the room (microseconds since the epoch). */
  public record Seat(String name, long since) {
  }

  private record Place(Member member, long since) {
  }

  private static final class Room {
    final Map<String, Place> members = new LinkedHashMap<>();
    final Map<String, Integer> membersPerInstance = new HashMap<>();

    void add(Member member, long since) {
      members.put(member.key(), new Place(member, since));
      membersPerInstance.merge(member.instance(), 1, Integer::sum);
    }

    void remove(Member member) {
      members.remove(member.key());
      membersPerInstance.computeIfPresent(member.instance(), (instance, count) -> count == 1 ? null : count - 1);
    }

    /** Swaps a member for its renamed self in the same place, so /who keeps the order of entry. */
    void replace(String oldKey, Member renamed) {
      Map<String, Place> reordered = new LinkedHashMap<>();
      members.forEach((key, place) -> reordered.put(key.equals(oldKey) ? renamed.key() : key,
          key.equals(oldKey) ? new Place(renamed, place.since()) : place));
      members.clear();
      members.putAll(reordered);
    }
  }

  private final Map<String, Member> members = new HashMap<>();
  private final Map<String, Set<String>> roomsOf = new HashMap<>();
  private final Map<String, Room> rooms = new HashMap<>();
  private final Map<String, Reply.Topic> topics = new HashMap<>();

  /** A user registered; false if its key is known already. */
  public boolean enter(Member member) {
    if (members.putIfAbsent(member.key(), member) != null) {
      return false;
    }
    roomsOf.put(member.key(), new LinkedHashSet<>());
    return true;
  }

  public List<Delivery> join(String key, String room, long at) {
    Member member = members.get(key);
    if (member == null || !roomsOf.get(key).add(room)) {
      return List.of();
    }
    rooms.computeIfAbsent(room, r -> new Room()).add(member, at);
    RoomEvent event = RoomEvent.of(RoomEvent.Kind.JOINED, room, member.name(), at);
    return withChange(toRoom(room, event), member.instance(), event.withMembershipChange(member.connection(), 0));
  }

  public List<Delivery> part(String key, String room, long at) {
    return part(key, room, "", at);
  }

  /** The user leaves {@code room}, saying why ({@code reason} "" for nothing). */
  public List<Delivery> part(String key, String room, String reason, long at) {
    Member member = members.get(key);
    if (member == null || !roomsOf.get(key).remove(room)) {
      return List.of();
    }
    return exit(member, room, RoomEvent.Kind.PARTED, reason, at);
  }

  /** The user is gone: it quits each of its rooms, in the order it entered them. */
  public List<Delivery> leave(String key, long at) {
    return leave(key, "", at);
  }

  public List<Delivery> leave(String key, String reason, long at) {
    Member member = members.remove(key);
    if (member == null) {
      return List.of();
    }
    List<Delivery> deliveries = new ArrayList<>();
    for (String room : roomsOf.remove(key)) {
      deliveries.addAll(exit(member, room, RoomEvent.Kind.QUIT, reason, at));
    }
    return deliveries;
  }

  /** Said ({@link RoomEvent.Kind#SAID}) or acted ({@link RoomEvent.Kind#ACTED}); nothing if not in the room. */
  public List<Delivery> message(RoomEvent.Kind kind, String key, String room, String text, long at) {
    Member member = members.get(key);
    if (member == null || !roomsOf.get(key).contains(room)) {
      return List.of();
    }
    return toRoom(room, RoomEvent.message(kind, room, member.name(), text, at));
  }

  /** A new name, announced in each of the user's rooms. */
  public List<Delivery> rename(String oldKey, String newName, String newKey, long at) {
    Member member = members.get(oldKey);
    if (member == null || (!oldKey.equals(newKey) && members.containsKey(newKey))) {
      return List.of();
    }
    Member renamed = member.renamed(newName, newKey);
    Set<String> in = roomsOf.remove(oldKey);
    List<Delivery> deliveries = new ArrayList<>();
    for (String room : in) {
      deliveries.addAll(toRoom(room, RoomEvent.renamed(room, member.name(), newName, at)));
      rooms.get(room).replace(oldKey, renamed);
    }
    members.remove(oldKey);
    members.put(newKey, renamed);
    roomsOf.put(newKey, in);
    return deliveries;
  }

  /** The user sets the topic of a room it is in; an empty text clears it. Nothing if not in the room. */
  public List<Delivery> topic(String key, String room, String text, long at) {
    Member member = members.get(key);
    if (member == null || !roomsOf.get(key).contains(room)) {
      return List.of();
    }
    RoomEvent event = new RoomEvent(RoomEvent.Kind.TOPIC, room, member.name(), null, text, at, 0, 0);
    remember(event);
    return toRoom(room, event);
  }

  /** The room's topic as last set here or by another node; its text is null when there is none. */
  public Reply.Topic topicOf(String room) {
    return topics.getOrDefault(room, new Reply.Topic(room, null, null, 0));
  }

  /** Keeps a topic set in the room (a {@link RoomEvent.Kind#TOPIC} event), here or on another node. */
  public void remember(RoomEvent topic) {
    if (topic.text().isEmpty()) {
      topics.remove(topic.room());
    } else {
      topics.put(topic.room(), new Reply.Topic(topic.room(), topic.text(), topic.name(), topic.at()));
    }
  }

  /** A room event from another node, for this node's members of its room (none if it has no members there). */
  public List<Delivery> remote(RoomEvent event) {
    if (event.kind() == RoomEvent.Kind.TOPIC) {
      remember(event);
    }
    return rooms.containsKey(event.room()) ? toRoom(event.room(), event) : List.of();
  }

  public Optional<Member> member(String key) {
    return Optional.ofNullable(members.get(key));
  }

  public Collection<Member> members() {
    return members.values();
  }

  /** The rooms of a user, in the order it entered them; empty for an unknown user. */
  public Set<String> roomsOf(String key) {
    return roomsOf.getOrDefault(key, Set.of());
  }

  /** The room's members, in the order they entered it. */
  public List<Seat> who(String room) {
    Room r = rooms.get(room);
    return r == null ? List.of() : r.members.values().stream().map(p -> new Seat(p.member().name(), p.since())).toList();
  }

  /** Every non-empty room with its member count, sorted by name. */
  public Map<String, Integer> rooms() {
    Map<String, Integer> counts = new TreeMap<>();
    rooms.forEach((name, room) -> counts.put(name, room.members.size()));
    return counts;
  }

  /** Whether this node has members in {@code room}. */
  public boolean hasRoom(String room) {
    return rooms.containsKey(room);
  }

  public int memberCount() {
    return members.size();
  }

  public int roomCount() {
    return rooms.size();
  }

  private List<Delivery> exit(Member member, String room, RoomEvent.Kind kind, String reason, long at) {
    RoomEvent event = reason.isEmpty() ? RoomEvent.of(kind, room, member.name(), at)
        : RoomEvent.message(kind, room, member.name(), reason, at);
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
