package chat.cluster;

import chat.bus.Addresses;
import chat.bus.ClusterEvent;
import chat.core.RoomEvent;
import chat.ops.ChatMetrics;
import chat.room.Replication;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each room's order, cluster-wide: the sequence of a Hazelcast ringbuffer per room ({@value #PREFIX} + room), which is
 * also the room's history. Confined to the RoomVerticle's context.
 *
 * <p><b>Writing.</b> A node appends its users' room events to the room's ring in batches, one batch in flight per room,
 * so its events keep their order in the ring. The member that owns the ring's partition gives each its position; the
 * append completes once the ring's synchronous backup has it too. Every event carries its origin node and a number
 * that grows with each event the node appends: should Hazelcast retry an append whose first try reached the ring (its
 * owner died before answering), every reader recognises the copy and skips it.
 *
 * <p><b>Reading only what is safe.</b> The owner lets readers see an event before its backup has it; were the owner to
 * die then, the event would be gone and its position given to another, and the nodes that had read it would disagree
 * with those that had not. So a node reads a room only up to its <i>safe mark</i>: the end of the last append known to
 * be complete (backups apply in order, so everything before it is backed up as well). The appending node publishes
 * that mark to every node ({@link Addresses#ordered()}) as soon as its append completes. When a node leaves, every node
 * appends a mark of its own to each room it follows, so that nothing waits for a mark the gone node can no longer
 * send.
 *
 * <p><b>Following.</b> A node follows the rooms it has users in: it reads each ring from the position of its first own
 * event there (and, as history, up to {@code history.lines} before), and hands every event to its rooms in ring order;
 * its own events come back with their local deliveries, made when their requests were handled. It stops following a
 * room once its last user there has left and everything it sent there has come back.
 */
final class RoomRings {

  static final String PREFIX = "chat.room.";

  private static final Logger log = LoggerFactory.getLogger(RoomRings.class);
  /** The most events Hazelcast takes in one append or gives in one read. */
  private static final int MAX_APPEND = 1000;
  private static final int READ_BATCH = 1000;
  private static final long RETRY_MILLIS = 500;

  /**
   * An event to append ({@code event} null for a mark): {@code own} when this node's users are to see it through their
   * local deliveries; {@code appended} completes once it has its place (or failed to).
   */
  private record Entry(long number, RoomEvent event, Replication.Own own, Promise<Void> appended) {
  }

  private final class Room {
    final String name;
    final Ringbuffer<String> ring;
    List<Entry> waiting = new ArrayList<>();
    boolean appending;
    /** This node's events appended with local deliveries, in the order they will come back. */
    final ArrayDeque<Entry> returning = new ArrayDeque<>();
    /** The highest event number read from each origin node: a smaller or equal one is a retried append's copy. */
    final Map<String, Long> lastNumber = new HashMap<>();
    boolean following;
    boolean reading;
    /** Changes whenever following stops, so that a read begun before is dropped. */
    int generation;
    /** The next position to read. */
    long next;
    /** The last position known to be backed up: reads stop there. */
    long safe = -1;
    /** Events before this position came before this node followed the room: history only. */
    long live;

    Room(String name) {
      this.name = name;
      this.ring = hazelcast.getRingbuffer(PREFIX + name);
    }
  }

  private final HazelcastInstance hazelcast;
  private final Vertx vertx;
  private final Context context;
  private final String nodeId;
  private final int preload;
  private final ChatMetrics metrics;
  private final Replication.NodeRooms rooms;
  private final Map<String, Room> byName = new HashMap<>();
  private long numbers;

  RoomRings(HazelcastInstance hazelcast, Vertx vertx, Context context, String nodeId, int preload,
      ChatMetrics metrics, Replication.NodeRooms rooms) {
    this.hazelcast = hazelcast;
    this.vertx = vertx;
    this.context = context;
    this.nodeId = nodeId;
    this.preload = preload;
    this.metrics = metrics;
    this.rooms = rooms;
  }

  /** Takes the other nodes' safe marks; completes once this node receives them. */
  Future<Void> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.ordered(), this::onSafeMark).completion();
  }

  /** One of this node's users' events, delivered here through {@code own} when the ring gives it its place. */
  void append(Replication.Own own) {
    add(own.event(), own);
  }

  /**
   * An event this node puts in a room's order for users that are not its own (a gone node's users' leaves), delivered
   * here like another node's; completes once it has its place.
   */
  Future<Void> appendForOthers(RoomEvent event) {
    return add(event, null);
  }

  /** A node left: marks every followed room's sequence as far as it goes, in case the gone node's mark never came. */
  void nodeLeft() {
    for (Room room : List.copyOf(byName.values())) {
      if (room.following) {
        add(room.name, null, null);
      }
    }
  }

  /** Forgets every room: this node is rejoining the cluster, and its users are gone. */
  void reset() {
    byName.values().forEach(room -> room.generation++);
    byName.clear();
  }

  private Future<Void> add(RoomEvent event, Replication.Own own) {
    return add(event.room(), event, own);
  }

  private Future<Void> add(String name, RoomEvent event, Replication.Own own) {
    Room room = byName.computeIfAbsent(name, Room::new);
    Promise<Void> appended = Promise.promise();
    room.waiting.add(new Entry(++numbers, event, own, appended));
    pump(room);
    return appended.future();
  }

  private void pump(Room room) {
    if (room.appending || room.waiting.isEmpty()) {
      return;
    }
    List<Entry> batch;
    if (room.waiting.size() <= MAX_APPEND) {
      batch = room.waiting;
      room.waiting = new ArrayList<>();
    } else {
      batch = new ArrayList<>(room.waiting.subList(0, MAX_APPEND));
      room.waiting.subList(0, MAX_APPEND).clear();
    }
    room.appending = true;
    List<String> items = new ArrayList<>(batch.size());
    for (Entry entry : batch) {
      JsonObject item = entry.event() == null
          ? new JsonObject().put("origin", nodeId).put("mark", true)
          : ClusterEvent.room(nodeId, entry.event()).toJson();
      items.add(item.put("number", entry.number()).encode());
      if (entry.own() != null) {
        room.returning.add(entry);
      }
    }
    int generation = room.generation;
    onContext(room.ring.addAllAsync(items, OverflowPolicy.OVERWRITE), (last, failure) -> {
      room.appending = false;
      batch.forEach(entry -> entry.appended().tryComplete());
      if (failure != null) {
        refused(room, batch, failure);
      } else if (room.generation == generation) {
        vertx.eventBus().publish(Addresses.ordered(), new JsonObject().put("room", room.name).put("safe", last));
        long first = last - batch.size() + 1;
        if (room.following && first <= room.safe) {
          beganAnew(room);
        }
        if (!room.following && !room.returning.isEmpty()) {
          follow(room, first);
        }
        if (room.following) {
          safeUpTo(room, last);
        } else {
          unfollowIfDone(room);
        }
      }
      pump(room);
    });
  }

  // Its events never got a place (or their answer was lost with the ring's owner; then readers may still see them,
  // and deliver them as another node's).
  private void refused(Room room, List<Entry> batch, Throwable failure) {
    log.warn("appending {} events to room {} failed: {}", batch.size(), room.name, failure.toString());
    for (Entry entry : batch) {
      if (entry.own() != null && room.returning.remove(entry)) {
        rooms.refused(entry.own());
      }
    }
    unfollowIfDone(room);
  }

  // An append landed at or before a position already known backed up: the ring was lost with both its copies (the
  // two members holding them went together, or a split left them on the other side) and began anew. What this side
  // appends from now on is read from the new ring's start.
  private void beganAnew(Room room) {
    log.warn("room {} begins a new order: its ring was lost with both its copies", room.name);
    room.next = 0;
    room.live = 0;
    room.safe = -1;
  }

  // From the first own event's position, with up to history.lines before it as history.
  private void follow(Room room, long first) {
    room.following = true;
    room.live = first;
    room.next = Math.max(0, first - preload);
    Object owner = hazelcast.getPartitionService().getPartition(room.ring.getName()).getOwner();
    log.info("following room {}, ordered by the member that owns its ring's partition: {}", room.name, owner);
  }

  private void onSafeMark(Message<JsonObject> message) {
    Room room = byName.get(message.body().getString("room"));
    if (room != null && room.following) {
      safeUpTo(room, message.body().getLong("safe"));
    }
  }

  private void safeUpTo(Room room, long safe) {
    if (safe > room.safe) {
      room.safe = safe;
      read(room);
    } else if (!room.reading) {
      unfollowIfDone(room);
    }
  }

  private void read(Room room) {
    if (!room.following || room.reading || room.next > room.safe) {
      return;
    }
    room.reading = true;
    int generation = room.generation;
    int count = (int) Math.min(READ_BATCH, room.safe - room.next + 1);
    onContext(room.ring.readManyAsync(room.next, 1, count, null), (result, failure) -> {
      if (room.generation != generation || byName.get(room.name) != room) {
        return;
      }
      room.reading = false;
      if (failure != null) {
        readFailed(room, failure);
        return;
      }
      take(room, result);
      if (!unfollowIfDone(room)) {
        read(room);
      }
    });
  }

  private void take(Room room, ReadResultSet<String> result) {
    for (int i = 0; i < result.size(); i++) {
      long seq = result.getSequence(i);
      if (seq > room.next && seq > room.live) {
        gap(room, seq - Math.max(room.next, room.live));
      }
      room.next = seq + 1;
      JsonObject item = new JsonObject(result.get(i));
      String origin = item.getString("origin");
      long number = item.getLong("number");
      Long last = room.lastNumber.get(origin);
      if (item.containsKey("mark") || (last != null && number <= last)) {
        continue;
      }
      room.lastNumber.put(origin, number);
      RoomEvent event = ClusterEvent.fromJson(item).event();
      if (seq < room.live) {
        rooms.earlier(seq, event);
        continue;
      }
      Replication.Own own = null;
      if (origin.equals(nodeId) && !room.returning.isEmpty() && room.returning.peekFirst().number() == number) {
        own = room.returning.pollFirst().own();
      }
      rooms.sequenced(seq, event, own);
    }
    room.next = Math.max(room.next, result.getNextSequenceToReadFrom());
  }

  private void readFailed(Room room, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof HazelcastInstanceNotActiveException) {
      return;
    }
    if (cause instanceof StaleSequenceException stale) {
      gap(room, stale.getHeadSeq() - room.next);
      room.next = stale.getHeadSeq();
    } else if (cause instanceof IllegalArgumentException) {
      // Past the ring's end: the ring was dropped (history.maxRooms) or lost, and began anew since; it is read from
      // its start once a mark says how far.
      beganAnew(room);
      return;
    } else {
      log.warn("reading room {} failed, retrying: {}", room.name, cause.toString());
    }
    int generation = room.generation;
    vertx.setTimer(RETRY_MILLIS, t -> {
      if (room.generation == generation && byName.get(room.name) == room) {
        read(room);
      }
    });
  }

  private void gap(Room room, long missed) {
    if (missed > 0) {
      metrics.orderGap(missed);
      log.error("this node fell {} lines behind room {} and missed them", missed, room.name);
    }
  }

  /** Stops following a room this node has no users in and is owed nothing by; true if it stopped. */
  private boolean unfollowIfDone(Room room) {
    if (rooms.hasMembers(room.name) || !room.returning.isEmpty() || room.appending || !room.waiting.isEmpty()) {
      return false;
    }
    room.generation++;
    byName.remove(room.name);
    if (room.following) {
      rooms.unfollowed(room.name);
    }
    return true;
  }

  /**
   * Keeps at most {@code maxRooms} rooms' rings in the cluster: drops the least recently used (by the time of their
   * last line), rooms with no users anywhere first. A dropped room that is in use begins a new sequence, which the
   * nodes following it read from its start. Run by one node for the cluster.
   */
  void sweep(int maxRooms, Predicate<String> occupied) {
    vertx.executeBlocking(() -> {
      List<Use> uses = new ArrayList<>();
      for (DistributedObject object : hazelcast.getDistributedObjects()) {
        if (object instanceof Ringbuffer<?> ring && ring.getName().startsWith(PREFIX)) {
          uses.add(new Use(ring.getName().substring(PREFIX.length()), lastLineAt(ring)));
        }
      }
      return uses;
    }, false).onSuccess(uses -> {
      if (uses.size() <= maxRooms) {
        return;
      }
      List<String> victims = uses.stream()
          .sorted(Comparator.comparing((Use use) -> occupied.test(use.room())).thenComparingLong(Use::lastAt))
          .limit(uses.size() - maxRooms)
          .map(Use::room)
          .toList();
      log.info("dropping the history of {} least recently used rooms (history.maxRooms {})", victims.size(), maxRooms);
      vertx.executeBlocking(() -> {
        victims.forEach(room -> hazelcast.getRingbuffer(PREFIX + room).destroy());
        return null;
      }, false);
    }).onFailure(e -> log.warn("sweeping room histories failed: {}", e.toString()));
  }

  private record Use(String room, long lastAt) {
  }

  private static long lastLineAt(Ringbuffer<?> ring) {
    try {
      long tail = ring.tailSequence();
      if (tail < ring.headSequence()) {
        return 0;
      }
      JsonObject item = new JsonObject((String) ring.readOne(tail));
      return item.containsKey("event") ? item.getJsonObject("event").getLong("at") : 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private <T> void onContext(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
    stage.whenComplete((result, failure) -> context.runOnContext(v -> then.accept(result, failure)));
  }
}
