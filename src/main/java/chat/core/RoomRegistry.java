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
import java.util.function.BooleanSupplier;

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

  /** A change a user may be refused: the deliveries it causes, or (deliveries empty) the reply refusing it. */
  public record Outcome(List<Delivery> deliveries, Reply refusal) {
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
  private final Map<String, RoomModes> modes = new HashMap<>();
  private int peakMembers;
  private int peakTotal;

  /** A user registered; false if its key is known already. */
  public boolean enter(Member member) {
    if (members.putIfAbsent(member.key(), member) != null) {
      return false;
    }
    roomsOf.put(member.key(), new LinkedHashSet<>());
    peakMembers = Math.max(peakMembers, members.size());
    return true;
  }

  /** A node alone: a user who enters a room without members opens it. */
  public List<Delivery> join(String key, String room, long at) {
    return join(key, room, () -> true, at);
  }

  /**
   * The user enters {@code room}. {@code unknownElsewhere} is asked only when the room has no member on this node:
   * whether no other node has one either, so that the user opens the room and becomes its operator.
   */
  public List<Delivery> join(String key, String room, BooleanSupplier unknownElsewhere, long at) {
    Member member = members.get(key);
    if (member == null || !roomsOf.get(key).add(room)) {
      return List.of();
    }
    boolean opens = !rooms.containsKey(room) && unknownElsewhere.getAsBoolean();
    rooms.computeIfAbsent(room, r -> new Room()).add(member, at);
    RoomEvent event = opens ? new RoomEvent(RoomEvent.Kind.JOINED, room, member.name(), null, "o", at, 0, 0)
        : RoomEvent.of(RoomEvent.Kind.JOINED, room, member.name(), at);
    track(event);
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
      RoomEvent event = RoomEvent.renamed(room, member.name(), newName, at);
      track(event);
      deliveries.addAll(toRoom(room, event));
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
    track(event);
    return toRoom(room, event);
  }

  /** Why the user may not set the room's topic: only its operators may when it has flag {@code t}. */
  public Optional<Reply> topicRefusal(String key, String room) {
    return modesOf(room).has('t') && !modesOf(room).operator(key) ? Optional.of(new Reply.NotOperator(room))
        : Optional.empty();
  }

  /**
   * An operator of {@code room} turns mode {@code mode} on or off: a flag of the room, or the rank of its member
   * {@code member} (as typed), who may be on this node or among {@code others}, the room's members elsewhere. A
   * change to what already is causes nothing.
   */
  public Outcome mode(String key, String room, char mode, boolean on, String member, Collection<Seat> others,
      long at) {
    Member setter = members.get(key);
    if (setter == null || !roomsOf.get(key).contains(room)) {
      return new Outcome(List.of(), new Reply.NotInRoom(room));
    }
    RoomModes before = modesOf(room);
    if (!before.operator(key)) {
      return new Outcome(List.of(), new Reply.NotOperator(room));
    }
    String target = null;
    RoomModes after;
    if (RoomModes.RANKS.indexOf(mode) >= 0) {
      String memberKey = Names.key(member);
      Optional<String> seated = rooms.get(room).members.values().stream().map(p -> p.member().name())
          .filter(name -> Names.key(name).equals(memberKey)).findFirst()
          .or(() -> others.stream().map(Seat::name).filter(name -> Names.key(name).equals(memberKey)).findFirst());
      if (seated.isEmpty()) {
        return new Outcome(List.of(), new Reply.NoSuchUser(member));
      }
      target = seated.get();
      after = before.withRank(memberKey, mode, on);
    } else {
      after = before.withFlag(mode, on);
    }
    if (after.equals(before)) {
      return new Outcome(List.of(), null);
    }
    RoomEvent event = RoomEvent.mode(room, setter.name(), (on ? "+" : "-") + mode, target, at);
    track(event);
    return new Outcome(toRoom(room, event), null);
  }

  /** The room's modes as last changed here or by another node. */
  public RoomModes modesOf(String room) {
    return modes.getOrDefault(room, RoomModes.NONE);
  }

  /** The most users this node has had at once. */
  public int peakMembers() {
    return peakMembers;
  }

  /**
   * The most users the cluster has had at once, as counted by this node whenever it is asked: {@code remote} is how
   * many the other nodes have now.
   */
  public int peakTotal(int remote) {
    peakTotal = Math.max(peakTotal, members.size() + remote);
    return peakTotal;
  }

  /** The room's topic as last set here or by another node; its text is null when there is none. */
  public Reply.Topic topicOf(String room) {
    return topics.getOrDefault(room, new Reply.Topic(room, null, null, 0));
  }

  /**
   * What a room keeps beyond its members, here and on every node: its topic and its modes. Every node tracks every
   * room's changes, those of other nodes' users as they are published ({@code ClusterReplication}).
   */
  public void track(RoomEvent event) {
    String room = event.room();
    switch (event.kind()) {
      case TOPIC -> {
        if (event.text().isEmpty()) {
          topics.remove(room);
        } else {
          topics.put(room, new Reply.Topic(room, event.text(), event.name(), event.at()));
        }
      }
      case JOINED -> {
        // A room opened anew starts afresh; opened on two nodes at once, it has both openers as operators.
        if ("o".equals(event.text())) {
          String key = Names.key(event.name());
          Room here = rooms.get(room);
          boolean othersHere = here != null && here.members.keySet().stream().anyMatch(k -> !k.equals(key));
          modes.put(room, othersHere ? modesOf(room).withRank(key, 'o', true) : RoomModes.openedBy(key));
        }
      }
      case PARTED, QUIT -> modes.computeIfPresent(room, (r, m) -> m.without(Names.key(event.name())));
      case RENAMED -> modes.computeIfPresent(room, (r, m) -> m.renamed(Names.key(event.name()),
          Names.key(event.other())));
      case MODE -> {
        char mode = event.text().charAt(1);
        boolean on = event.text().charAt(0) == '+';
        RoomModes before = modesOf(room);
        modes.put(room, event.other() == null ? before.withFlag(mode, on)
            : before.withRank(Names.key(event.other()), mode, on));
      }
      case SAID, ACTED, NOTICED -> {
      }
    }
  }

  /** A room event from another node, for this node's members of its room (none if it has no members there). */
  public List<Delivery> remote(RoomEvent event) {
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
    track(event);
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
