package chat.cluster;

import chat.bus.Addresses;
import chat.bus.ClusterEvent;
import chat.config.ChatConfig;
import chat.core.Member;
import chat.core.Names;
import chat.core.Reply;
import chat.core.RoomEvent;
import chat.core.RoomRegistry;
import chat.bus.Reservations;
import chat.ops.ChatMetrics;
import chat.room.Replication;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clustered form of {@link Replication}: each room's events put in one order cluster-wide ({@link RoomRings}),
 * this node's users' changes of membership published to every node, the other nodes' users mirrored here from theirs,
 * the {@link Directory} kept, and the clean-up after nodes that are gone, stop or merge back. Confined to the
 * RoomVerticle's context; {@link ClusterNode.Listener} calls hop onto it.
 *
 * <p>The mirror ({@code remote}) is fed by every other node's membership, rename, topic and presence events, which
 * every node receives, and seeded from the directory at start and after a merge: /who, /rooms and /msg are answered
 * from it at once, in the asker's lane, with no cluster call on their path. Room lines travel only through the rooms'
 * rings, read by the nodes that have users in the room.
 */
public final class ClusterReplication implements Replication, ClusterNode.Listener {

  private static final Logger log = LoggerFactory.getLogger(ClusterReplication.class);
  private static final long MERGE_SETTLE_MILLIS = 5_000;
  private static final long[] RELEARN_MILLIS = {2_000, 6_000, 15_000};
  private static final long SWEEP_MILLIS = 30_000;
  private static final long ANNOUNCED_MILLIS = 60_000;
  /** How long a name held here and by a merging node's stale entry is tried again: until that node releases it. */
  private static final long RECLAIM_RETRY_MILLIS = 500;
  private static final int RECLAIM_RETRIES = 30;
  /** How long names stay refused after a member left, at most, while this node's own are put back. */
  private static final long RECLAIM_TIMEOUT_MILLIS = 10_000;

  private final ClusterNode cluster;
  private final ChatConfig.History history;
  private final ChatMetrics metrics;
  private final String nodeId;
  /** This node's users as last written to the directory. */
  private final Map<String, Directory.Entry> listed = new HashMap<>();
  /** The other nodes' users, by name key. */
  private final Map<String, Directory.Entry> remote = new HashMap<>();
  /** Members gone whose removal may have cost this node its users' names, not yet put back: none is given out. */
  private final AtomicInteger reclaiming = new AtomicInteger();
  private NodeRooms rooms;
  private Vertx vertx;
  private Context context;
  private Directory directory;
  private AsyncMap<String, String> names;
  private RoomRings rings;
  /** Gone nodes whose users' leaves another member was the one to announce: see {@link #announceDepartures()}. */
  private final List<Departure> unannounced = new ArrayList<>();

  /** A gone node's users, and the member that was the oldest when it went. */
  private record Departure(String node, List<Directory.Entry> users, String announcer) {
  }

  public ClusterReplication(ClusterNode cluster, ChatConfig.History history, ChatMetrics metrics) {
    this.cluster = cluster;
    this.history = history;
    this.metrics = metrics;
    this.nodeId = cluster.nodeId();
  }

  // Deployed means the other nodes can reach this one: the clustered registrations are complete.
  @Override
  public Future<Void> start(NodeRooms rooms) {
    this.rooms = rooms;
    this.vertx = cluster.vertx();
    this.context = Vertx.currentContext();
    this.rings = new RoomRings(cluster.hazelcast(), vertx, context, nodeId, history.lines(), metrics, rooms);
    vertx.setPeriodic(SWEEP_MILLIS, t -> {
      if (cluster.isOldest() && !cluster.isLeaving()) {
        rings.sweep(history.maxRooms(), room -> rooms.hasMembers(room) || members(room).size() > 0);
      }
    });
    Future<Void> roomEvents = vertx.eventBus().<JsonObject>consumer(Addresses.cluster(), this::onClusterEvent)
        .completion();
    Future<Void> node = vertx.eventBus().<JsonObject>consumer(Addresses.node(nodeId), this::onClusterEvent)
        .completion();
    Future<Void> merged = vertx.eventBus().<JsonObject>consumer(Addresses.merged(), m -> {
      dropStaleEntries();
      relearnWhileSettling();
    }).completion();
    Future<Void> maps = vertx.sharedData().<String, String>getAsyncMap(Directory.MAP)
        .map(Directory::new)
        .onSuccess(d -> directory = d)
        .compose(d -> vertx.sharedData().<String, String>getAsyncMap(Reservations.MAP))
        .onSuccess(map -> names = map)
        .compose(map -> learnOthers());
    return Future.all(List.of(roomEvents, node, merged, maps, rings.start())).onSuccess(v -> cluster.listen(this))
        .mapEmpty();
  }

  // This node's users.

  @Override
  public void entered(Member member) {
    publish(ClusterEvent.presence(nodeId, member.name(), true));
    list(member.key(), new Directory.Entry(member.name(), nodeId, Map.of()));
  }

  // Into the room's order; a change of membership, name or topic also to every node's mirror and the directory.
  @Override
  public void order(Own own) {
    RoomEvent event = own.event();
    if (!event.isMessage()) {
      publish(ClusterEvent.room(nodeId, event));
      relist(event);
    }
    rings.append(own);
  }

  @Override
  public void renamed(String oldKey, String newName, String newKey) {
    Directory.Entry old = listed.remove(oldKey);
    if (old == null) {
      return;
    }
    unlisted(oldKey, old);
    list(newKey, new Directory.Entry(newName, nodeId, old.rooms()));
    // Mirrors follow a rename through its room events; a user in no room has none, so it goes and comes back.
    if (old.rooms().isEmpty()) {
      publish(ClusterEvent.presence(nodeId, old.name(), false));
      publish(ClusterEvent.presence(nodeId, newName, true));
    }
  }

  // The name is released here as well as by the connection: a reclaimed name (see reclaim) may have landed after
  // the connection's release.
  @Override
  public void gone(Member member) {
    publish(ClusterEvent.presence(nodeId, member.name(), false));
    names.removeIfPresent(member.key(), Reservations.owner(nodeId, member));
    Directory.Entry old = listed.remove(member.key());
    if (old != null) {
      unlisted(member.key(), old);
    }
  }

  // What this node knows of the others.

  @Override
  public List<RoomRegistry.Seat> members(String room) {
    List<RoomRegistry.Seat> seats = new ArrayList<>();
    remote.values().forEach(entry -> {
      Long since = entry.rooms().get(room);
      if (since != null) {
        seats.add(new RoomRegistry.Seat(entry.name(), since));
      }
    });
    return seats;
  }

  @Override
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    remote.values().forEach(entry -> entry.rooms().keySet().forEach(room -> counts.merge(room, 1, Integer::sum)));
    return counts;
  }

  @Override
  public List<Reply.User> users() {
    return remote.values().stream().map(e -> new Reply.User(e.name(), List.copyOf(e.rooms().keySet()))).toList();
  }

  @Override
  public int remoteUserCount() {
    return remote.size();
  }

  @Override
  public Optional<String> nameOf(String key) {
    return Optional.ofNullable(remote.get(key)).map(Directory.Entry::name);
  }

  // Sent, never requested: a request to a node that just died would hold its caller for the whole send timeout.
  @Override
  public void whisper(String toKey, Reply.Whispered whisper) {
    Directory.Entry entry = remote.get(toKey);
    if (entry != null) {
      vertx.eventBus().send(Addresses.node(entry.node()), ClusterEvent.whisper(nodeId, toKey, whisper).toJson());
    }
  }

  // Events of other nodes.

  /**
   * The oldest member puts a gone node's users' leaves in their rooms' order. When nodes go one after another (a
   * three-way split, say), the member that was the oldest when one went may go too before it could: so every node
   * keeps each departure with who was to announce it, and the node that is the oldest once that one is gone as well
   * announces it. A departure whose announcer stays is dropped after {@value #ANNOUNCED_MILLIS} ms.
   */
  private void announceDepartures() {
    String oldest = cluster.oldest();
    for (var it = unannounced.iterator(); it.hasNext(); ) {
      Departure departure = it.next();
      if (departure.announcer() != null && cluster.isMember(departure.announcer())
          && !departure.announcer().equals(nodeId)) {
        continue;
      }
      it.remove();
      if (nodeId.equals(oldest)) {
        long now = RoomEvent.nowMicros();
        for (Directory.Entry entry : departure.users()) {
          entry.rooms().keySet().forEach(room ->
              rings.appendForOthers(RoomEvent.of(RoomEvent.Kind.QUIT, room, entry.name(), now)));
        }
        log.info("the leaves of node {}'s {} users put in their rooms' order", departure.node(),
            departure.users().size());
      }
    }
    if (!unannounced.isEmpty()) {
      List<Departure> pending = List.copyOf(unannounced);
      vertx.setTimer(ANNOUNCED_MILLIS, t -> unannounced.removeAll(pending));
    }
  }

  private void onClusterEvent(Message<JsonObject> message) {
    ClusterEvent received = ClusterEvent.fromJson(message.body());
    if (received.origin().equals(nodeId) || !cluster.isMember(received.origin())) {
      return;
    }
    if (received.event() != null) {
      track(received.origin(), received.event());
      rooms.track(received.event());
    } else if (received.whisper() != null) {
      rooms.deliverWhisper(received.toKey(), received.whisper());
    } else if (received.present()) {
      remote.putIfAbsent(Names.key(received.name()), new Directory.Entry(received.name(), received.origin(), Map.of()));
    } else {
      remote.remove(Names.key(received.name()));
    }
  }

  // A line or a topic changes nothing in the mirror; a join or leave changes the user's rooms, a rename its name.
  private void track(String origin, RoomEvent event) {
    if (event.isMessage() || event.kind() == RoomEvent.Kind.TOPIC || event.kind() == RoomEvent.Kind.MODE) {
      return;
    }
    String key = Names.key(event.name());
    Directory.Entry entry = remote.getOrDefault(key, new Directory.Entry(event.name(), origin, Map.of()));
    if (event.kind() != RoomEvent.Kind.RENAMED) {
      remote.put(key, entry.withRooms(roomsAfter(entry.rooms(), event)));
      return;
    }
    // One rename event per room the user is in: the first one moves the record, the others find it moved.
    remote.remove(key);
    remote.putIfAbsent(Names.key(event.other()), new Directory.Entry(event.other(), origin, entry.rooms()));
  }

  /** A user's rooms after one of its room events; the same map for an event that changes none. */
  static Map<String, Long> roomsAfter(Map<String, Long> rooms, RoomEvent event) {
    return switch (event.kind()) {
      case JOINED -> {
        Map<String, Long> after = new HashMap<>(rooms);
        after.put(event.room(), event.at());
        yield after;
      }
      case PARTED, QUIT -> {
        Map<String, Long> after = new HashMap<>(rooms);
        after.remove(event.room());
        yield after;
      }
      case SAID, ACTED, NOTICED, RENAMED, TOPIC, MODE -> rooms;
    };
  }

  // The directory: this node's users, so that every node can learn them and clean up after this one.

  private void list(String key, Directory.Entry entry) {
    if (cluster.isLeaving()) {
      return;
    }
    Directory.Entry old = listed.put(key, entry);
    (old == null ? directory.put(key, entry) : directory.replace(key, old, entry).mapEmpty())
        .onFailure(e -> log.warn("directory write failed for a member: {}", e.toString()));
  }

  private void unlisted(String key, Directory.Entry entry) {
    directory.remove(key, entry).onFailure(e -> log.warn("directory removal failed for a member: {}", e.toString()));
  }

  // Renames are listed by renamed(); lines change nothing.
  private void relist(RoomEvent event) {
    if (event.isMessage() || event.kind() == RoomEvent.Kind.RENAMED || event.kind() == RoomEvent.Kind.TOPIC
        || event.kind() == RoomEvent.Kind.MODE) {
      return;
    }
    String key = Names.key(event.name());
    Directory.Entry old = listed.get(key);
    if (old != null) {
      list(key, old.withRooms(roomsAfter(old.rooms(), event)));
    }
  }

  // A read that spans a change of membership may have missed the entries of partitions lost with a member that left
  // meanwhile (a split): it adds whom it finds, and drops nobody, or users still on the cluster would vanish from the
  // mirror without their leave ever being announced.
  private void reconcile() {
    ClusterNode.View view = cluster.view();
    directory.all().onSuccess(all -> {
      if (cluster.view().equals(view)) {
        List<String> dropped = new ArrayList<>();
        remote.keySet().removeIf(key -> !all.containsKey(key) && dropped.add(key));
        if (!dropped.isEmpty()) {
          log.info("users no longer in the directory dropped from the mirror: {}", dropped);
        }
      }
      all.forEach((key, entry) -> {
        if (!entry.node().equals(nodeId) && cluster.isMember(entry.node())) {
          remote.putIfAbsent(key, entry);
        }
      });
    }).onFailure(e -> log.warn("reading the directory failed: {}", e.toString()));
  }

  private Future<Void> learnOthers() {
    return directory.all().onSuccess(all -> all.forEach((key, entry) -> {
      if (!entry.node().equals(nodeId)) {
        remote.putIfAbsent(key, entry);
      }
    })).mapEmpty();
  }

  private void publish(ClusterEvent event) {
    // A stopping node has announced its users' leaves already: nothing of theirs goes out after.
    if (!cluster.isLeaving()) {
      vertx.eventBus().publish(Addresses.cluster(), event.toJson());
    }
  }

  // Cluster membership (ClusterNode.Listener: called on Hazelcast threads, so each hops onto this context).

  // A node that joins, or a split that heals, can leave this node's mirror short of users whose room and presence
  // events it never received (a merged node's view of the cluster's subscriptions settles only after the merge), or
  // holding users the merge brought back and their owners then released. The directory is read again a few times
  // while the membership settles: the mirror gains whom it lacks and drops whom the directory no longer lists.
  @Override
  public void nodeJoined() {
    context.runOnContext(v -> relearnWhileSettling());
  }

  private void relearnWhileSettling() {
    for (long delay : RELEARN_MILLIS) {
      vertx.setTimer(delay, t -> reconcile());
    }
  }

  // Counted at once, on Hazelcast's thread, so that no name is given out from here until this node's are back. The
  // directory loses entries with the same partitions: this node lists its users again.
  @Override
  public void nodeLeft(String gone) {
    reclaiming.incrementAndGet();
    context.runOnContext(v -> {
      cleanUpAfter(gone);
      listed.forEach(directory::put);
      reclaim(false).timeout(RECLAIM_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
          .onComplete(done -> reclaiming.decrementAndGet());
    });
  }

  /**
   * Whether this node may give names out now: not while it merges back into its cluster, nor after a member left
   * until its own users' names are back in the map.
   */
  public boolean grantsNames() {
    return !cluster.isMerging() && reclaiming.get() == 0;
  }

  @Override
  public void rejoining() {
    context.runOnContext(v -> {
      listed.clear();
      unannounced.clear();
      rings.reset();
      rooms.evictEveryone();
    });
  }

  // Back in the cluster: relearn the other nodes' users (this node dropped them all when it found itself alone), and
  // have every node release what the merge brought back.
  @Override
  public void rejoined() {
    context.runOnContext(v -> {
      remote.clear();
      learnOthers();
      relearnWhileSettling();
      JsonObject merged = new JsonObject().put("origin", nodeId);
      vertx.eventBus().publish(Addresses.merged(), merged);
      reclaim(true);
      // Merge operations can still be landing when Hazelcast reports MERGED: sweep once more a little later.
      vertx.setTimer(MERGE_SETTLE_MILLIS, t -> {
        vertx.eventBus().publish(Addresses.merged(), merged);
        reclaim(true);
      });
    });
  }

  @Override
  public Future<Void> departing() {
    Promise<Void> departed = Promise.promise();
    context.runOnContext(v -> departNow().onComplete(departed));
    return departed.future();
  }

  // Every node drops a gone node's users from its mirror; the oldest member puts their leaves in their rooms' order,
  // where every node with users in those rooms reads them, at the same place. Removing the gone node's directory
  // entries and names is idempotent; a node that has merged back since, or sees the gone node back, leaves them alone.
  private void cleanUpAfter(String gone) {
    int merges = cluster.merges();
    if (cluster.isMember(gone)) {
      return;
    }
    rings.nodeLeft();
    List<Directory.Entry> theirs = new ArrayList<>();
    remote.values().removeIf(entry -> entry.node().equals(gone) && theirs.add(entry));
    long now = RoomEvent.nowMicros();
    for (Directory.Entry entry : theirs) {
      for (String room : entry.rooms().keySet()) {
        rooms.track(RoomEvent.of(RoomEvent.Kind.QUIT, room, entry.name(), now));
      }
    }
    unannounced.add(new Departure(gone, theirs, cluster.oldest()));
    announceDepartures();
    log.info("node {} is gone: {} of its users dropped here", gone, theirs.size());
    BooleanSupplier stillGone = () -> cluster.merges() == merges && !cluster.isMember(gone);
    directory.all().onSuccess(all -> all.forEach((key, entry) -> {
      if (entry.node().equals(gone) && stillGone.getAsBoolean()) {
        directory.remove(key, entry);
      }
    })).onFailure(e -> log.warn("cleanup after node {} failed: {}", gone, e.toString()));
    releaseNames(owner -> owner.startsWith(gone + "/") && stillGone.getAsBoolean());
  }

  // A stopping node announces its own users' leaves before it leaves the cluster, so that the other nodes have
  // dropped them from their mirrors by the time they see it go. Each name is released first: once a leave is seen,
  // the name is free.
  private Future<Void> departNow() {
    Map<String, Member> members = new HashMap<>();
    rooms.members().forEach(m -> members.put(m.key(), m));
    List<Future<Void>> departures = new ArrayList<>();
    long now = RoomEvent.nowMicros();
    listed.forEach((key, entry) -> {
      Member member = members.get(key);
      Future<Boolean> name = member == null
          ? Future.succeededFuture(false)
          : names.removeIfPresent(key, Reservations.owner(nodeId, member));
      departures.add(Future.join(name, directory.remove(key, entry)).transform(ignored -> {
        List<Future<Void>> leaves = new ArrayList<>();
        entry.rooms().keySet().forEach(room -> {
          RoomEvent quit = RoomEvent.of(RoomEvent.Kind.QUIT, room, entry.name(), now);
          vertx.eventBus().publish(Addresses.cluster(), ClusterEvent.room(nodeId, quit).toJson());
          leaves.add(rings.appendForOthers(quit));
        });
        vertx.eventBus().publish(Addresses.cluster(), ClusterEvent.presence(nodeId, entry.name(), false).toJson());
        return Future.join(leaves).<Void>mapEmpty();
      }));
    });
    listed.clear();
    return Future.join(departures).mapEmpty();
  }

  // A merge puts back whatever the merging node held that the cluster had since removed (Hazelcast's PutIfAbsent
  // merge): entries and names of users it disconnected on rejoining, and of users of other nodes who left during the
  // split. On every node, release its own entries that belong to none of its current users, and list its users anew.
  // A name reserved a moment ago whose Enter has not reached the RoomVerticle yet would look stale too; the window is
  // one local event-bus hop.
  private void dropStaleEntries() {
    log.info("a node merged back: releasing this node's entries that no current user holds");
    directory.all().onSuccess(all -> all.forEach((key, entry) -> {
      if (entry.node().equals(nodeId) && !entry.equals(listed.get(key))) {
        directory.remove(key, entry);
      }
    }));
    listed.forEach(directory::put);
    Set<String> owners = new HashSet<>();
    rooms.members().forEach(m -> owners.add(Reservations.owner(nodeId, m)));
    releaseNames(owner -> owner.startsWith(nodeId + "/") && !owners.contains(owner));
    reclaim(false);
  }

  // Hazelcast keeps each partition of a map on two members (its owner and one backup). When members leave, the
  // partitions that had both copies on members now gone are lost on this side: in a 1 | 1 | 1 split each node keeps
  // about a third of the names, and its own users' names among the rest are free for anyone here to take, and are
  // not there to win against the other sides' entries when the split heals (a merged-in entry of a name whose holder
  // is still here then wins, and is released by its node as stale: the name granted twice). So whenever a member
  // leaves, and after every merge, this node puts its users' names back. A name now held by another connection was
  // given out meanwhile: if this node has just merged back, its user is the later one and is disconnected with a
  // notice; otherwise the other holder is a merging node's stale entry, released by that node in a moment, and the name
  // is tried again until it is.
  private Future<Void> reclaim(boolean merged) {
    List<Future<Void>> puts = new ArrayList<>();
    List.copyOf(rooms.members()).forEach(member -> puts.add(reclaim(member, merged, RECLAIM_RETRIES)));
    return Future.join(puts).mapEmpty();
  }

  /** Completes when the first attempt is answered; a name held by a merging node's stale entry is tried again. */
  private Future<Void> reclaim(Member member, boolean merged, int retries) {
    String owner = Reservations.owner(nodeId, member);
    return names.putIfAbsent(member.key(), owner).onComplete(put -> {
      if (put.failed()) {
        log.warn("reclaiming the name of {} failed: {}", member.name(), put.cause().toString());
      } else if (put.result() == null) {
        log.info("name {} reclaimed: the cluster had lost it", member.key());
        // Gone meanwhile (its release may have landed first): not this connection's name any more.
        if (!rooms.holds(member)) {
          names.removeIfPresent(member.key(), owner);
        }
      } else if (!put.result().equals(owner) && rooms.holds(member)) {
        if (merged) {
          log.warn("name {} is held by {} as well: disconnecting this node's holder", member.key(), put.result());
          rooms.evict(member);
        } else if (retries > 0) {
          vertx.setTimer(RECLAIM_RETRY_MILLIS, t -> reclaim(member, false, retries - 1));
        } else {
          log.warn("name {} is still held by {} as well", member.key(), put.result());
        }
      }
    }).mapEmpty();
  }

  private void releaseNames(Predicate<String> stale) {
    names.entries().compose(all -> {
      Map<String, Future<Boolean>> removals = new TreeMap<>();
      all.forEach((key, owner) -> {
        if (stale.test(owner)) {
          removals.put(key + " (" + owner + ")", names.removeIfPresent(key, owner));
        }
      });
      return Future.join(List.copyOf(removals.values())).map(v -> {
        removals.values().removeIf(removed -> !removed.result());
        return removals.keySet();
      });
    }).onSuccess(released -> {
      if (!released.isEmpty()) {
        log.info("released {} names held for users who are gone: {}", released.size(), released);
      }
    }).onFailure(e -> log.warn("releasing names failed: {}", e.toString()));
  }
}
