package chat.room;

import chat.bus.Addresses;
import chat.bus.ClusterEvent;
import chat.bus.Member;
import chat.bus.RoomEvent;
import chat.bus.RoomEvents;
import chat.bus.RoomRequest;
import chat.bus.RoomRequests;
import chat.cluster.ClusterNode;
import chat.cluster.Directory;
import chat.net.NetServerVerticle;
import chat.ops.ChatMetrics;
import chat.protocol.Names;
import chat.protocol.Texts;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of room membership on a node; turns room requests into per-instance room events.
 *
 * <p>Clustered, it also publishes each room event of its own members once on {@link Addresses#cluster()}, fans the
 * other nodes' events out to its own members, keeps its members listed in the {@link Directory} (which answers /who,
 * /rooms and /msg for the whole cluster), and cleans up after nodes that are gone. Without a cluster none of that
 * happens and the path is the single-node one.
 */
public final class RoomVerticle extends VerticleBase implements ClusterNode.Listener {

  private static final Logger log = LoggerFactory.getLogger(RoomVerticle.class);

  static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final long MERGE_SETTLE_MILLIS = 5_000;

  private final String nodeId;
  private final ChatMetrics metrics;
  private final ClusterNode cluster;
  private final Texts texts;
  private RoomRegistry registry = new RoomRegistry();
  /** Clustered: this node's members as last written to the directory. */
  private final Map<String, Directory.Entry> listed = new HashMap<>();
  /** Clustered: the other nodes' members, as their room events (and the directory at start) describe them. */
  private final Map<String, Directory.Entry> remote = new HashMap<>();
  private Directory directory;
  private AsyncMap<String, String> names;
  /** Events for each NetServerVerticle instance, sent once the requests queued before them are handled. */
  private final Map<String, List<RoomEvent>> outgoing = new HashMap<>();
  private final Runnable sendOutgoing = this::sendOutgoing;
  private EventLoop loop;
  private boolean sendScheduled;

  public RoomVerticle(String nodeId, ChatMetrics metrics) {
    this(nodeId, metrics, null, Texts.KO);
  }

  /** {@code cluster} null: a single node. */
  public RoomVerticle(String nodeId, ChatMetrics metrics, ClusterNode cluster, Texts texts) {
    this.nodeId = nodeId;
    this.metrics = metrics;
    this.cluster = cluster;
    this.texts = texts;
  }

  @Override
  public Future<?> start() {
    loop = ((ContextInternal) context).nettyEventLoop();
    Future<Void> local = vertx.eventBus().localConsumer(Addresses.rooms(nodeId), this::handle).completion();
    if (cluster == null) {
      return local;
    }
    // Deployed means the other nodes can reach this one: both clustered registrations are complete.
    Future<Void> rooms = vertx.eventBus().<JsonObject>consumer(Addresses.cluster(), this::onClusterEvent).completion();
    Future<Void> node = vertx.eventBus().<JsonObject>consumer(Addresses.node(nodeId), this::onClusterEvent).completion();
    Future<Void> merged = vertx.eventBus().<JsonObject>consumer(Addresses.merged(), m -> dropStaleEntries())
        .completion();
    Future<Void> maps = vertx.sharedData().<String, String>getAsyncMap(Directory.MAP)
        .map(Directory::new)
        .onSuccess(d -> directory = d)
        .compose(d -> vertx.sharedData().<String, String>getAsyncMap(NetServerVerticle.NAMES_MAP))
        .onSuccess(map -> names = map)
        .compose(map -> directory.all())
        .onSuccess(all -> all.forEach((key, entry) -> {
          if (!entry.node().equals(nodeId)) {
            remote.putIfAbsent(key, entry);
          }
        }))
        .mapEmpty();
    return Future.all(List.of(local, rooms, node, merged, maps)).onSuccess(v -> cluster.listen(this));
  }

  // A batch of one-way requests from an instance, or one request that wants an answer (Whisper, Who or Rooms).
  private void handle(Message<Object> message) {
    Object body = message.body();
    if (body instanceof RoomRequests batch) {
      batch.requests().forEach(this::perform);
    } else if (body instanceof RoomRequest.Whisper whisper) {
      whisper(message, whisper);
    } else if (body instanceof RoomRequest.Who who) {
      who(message, who.room());
    } else {
      rooms(message);
    }
  }

  private void perform(RoomRequest request) {
    if (request instanceof RoomRequest.Enter enter) {
      changed(registry.enter(enter.member(), enter.room()), 0);
      list(enter.member().key(), enter.member().name(), enter.room());
    } else if (request instanceof RoomRequest.Leave leave) {
      changed(registry.leave(leave.key()), 0);
      unlist(leave.key());
    } else if (request instanceof RoomRequest.Move move) {
      changed(registry.move(move.key(), move.room()), 0);
      registry.member(move.key()).ifPresent(m -> list(m.key(), m.name(), move.room()));
    } else if (request instanceof RoomRequest.Say say) {
      changed(registry.say(say.key(), say.text()), say.sentAt());
    } else if (request instanceof RoomRequest.Act act) {
      changed(registry.act(act.key(), act.text()), act.sentAt());
    } else if (request instanceof RoomRequest.Rename rename) {
      Optional<String> room = registry.roomOf(rename.oldKey());
      changed(registry.rename(rename.oldKey(), rename.newName(), rename.newKey()), 0);
      room.ifPresent(r -> relist(rename.oldKey(), rename.newKey(), rename.newName(), r));
    } else if (request instanceof RoomRequest.Direct direct) {
      deliver(List.of(new RoomRegistry.Delivery(direct.instance(), RoomEvent.direct(direct.connection(), direct.line()))));
    } else {
      // Whisper, Who and Rooms want an answer, so they never travel in a batch.
      throw new IllegalArgumentException("a room request that wants an answer has no one to answer: " + request);
    }
  }

  /** A change among this node's members: deliver it here, and to the other nodes when clustered. */
  private void changed(List<RoomRegistry.Delivery> deliveries, long sentAt) {
    deliver(deliveries, sentAt);
    metrics.roomCount(registry.roomCount());
    if (cluster != null && !deliveries.isEmpty()) {
      // One delivery per instance, each carrying its own membership change: publish each distinct event once.
      Set<RoomEvent> events = new LinkedHashSet<>();
      for (RoomRegistry.Delivery delivery : deliveries) {
        events.add(delivery.event().withMembershipChange(0, 0).withSentAt(sentAt));
      }
      for (RoomEvent event : events) {
        // A stopping node has announced its users' leaves already (departing): nothing of theirs goes out after.
        if (!cluster.isLeaving()) {
          vertx.eventBus().publish(Addresses.cluster(), new ClusterEvent(nodeId, null, event).toJson());
        }
      }
    }
  }

  // /msg name text: the recipient gets the line here, the sender from the reply (once, even to itself).
  private void whisper(Message<Object> message, RoomRequest.Whisper whisper) {
    Optional<Member> from = registry.member(whisper.fromKey());
    Optional<Member> to = registry.member(whisper.toKey());
    if (from.isEmpty() || (to.isEmpty() && cluster == null)) {
      refuse(message, RoomRequest.NO_SUCH_USER, whisper.toKey());
      return;
    }
    if (to.isEmpty()) {
      whisperAcross(message, whisper, from.get());
      return;
    }
    Member target = to.get();
    if (!target.key().equals(whisper.fromKey())) {
      RoomEvent event = RoomEvent.whispered(from.get().name(), target.name(), target.connection(), whisper.text());
      deliver(List.of(new RoomRegistry.Delivery(target.instance(), event)));
    }
    answer(message, new JsonObject().put("to", target.name()));
  }

  // A user of another node: its node's address, found in the directory. Never a request to that node, which may be
  // dead and would hold the reply for the whole send timeout.
  private void whisperAcross(Message<Object> message, RoomRequest.Whisper whisper, Member from) {
    directory.get(whisper.toKey()).onComplete(found -> {
      Directory.Entry entry = found.succeeded() ? found.result().orElse(null) : null;
      if (entry == null || entry.node().equals(nodeId) || !cluster.isMember(entry.node())) {
        refuse(message, RoomRequest.NO_SUCH_USER, whisper.toKey());
        return;
      }
      RoomEvent event = RoomEvent.whispered(from.name(), entry.name(), 0, whisper.text());
      vertx.eventBus().send(Addresses.node(entry.node()), new ClusterEvent(nodeId, whisper.toKey(), event).toJson());
      answer(message, new JsonObject().put("to", entry.name()));
    });
  }

  private void who(Message<Object> message, String room) {
    if (cluster == null) {
      answer(message, new JsonObject().put("names", new JsonArray(registry.who(room))));
      return;
    }
    directory.all()
        .map(all -> all.values().stream()
            .filter(entry -> entry.room().equals(room) && cluster.isMember(entry.node()))
            .sorted(Comparator.comparingLong(Directory.Entry::since))
            .map(Directory.Entry::name)
            .toList())
        .onSuccess(list -> answer(message, new JsonObject().put("names", new JsonArray(list))))
        .onFailure(e -> refuse(message, 500, e.toString()));
  }

  private void rooms(Message<Object> message) {
    if (cluster == null) {
      answer(message, new JsonObject().put("rooms", new JsonObject(new LinkedHashMap<String, Object>(registry.rooms()))));
      return;
    }
    directory.all()
        .map(all -> {
          Map<String, Object> counts = new TreeMap<>();
          all.values().stream().filter(entry -> cluster.isMember(entry.node()))
              .forEach(entry -> counts.merge(entry.room(), 1, (a, b) -> (Integer) a + (Integer) b));
          return counts;
        })
        .onSuccess(counts -> answer(message, new JsonObject().put("rooms", new JsonObject(counts))))
        .onFailure(e -> refuse(message, 500, e.toString()));
  }

  // Events of other nodes.

  private void onClusterEvent(Message<JsonObject> message) {
    ClusterEvent received = ClusterEvent.fromJson(message.body());
    if (received.origin().equals(nodeId) || !cluster.isMember(received.origin())) {
      return;
    }
    RoomEvent event = received.event();
    if (received.toKey() == null) {
      track(received.origin(), event);
      deliver(registry.remote(event));
      return;
    }
    registry.member(received.toKey()).ifPresent(target -> deliver(List.of(new RoomRegistry.Delivery(
        target.instance(), RoomEvent.whispered(event.name(), target.name(), target.connection(), event.text())))));
  }

  private void track(String origin, RoomEvent event) {
    if (event.kind() == RoomEvent.Kind.JOINED) {
      remote.put(Names.key(event.name()), new Directory.Entry(event.name(), event.room(), origin, 0));
    } else if (event.kind() == RoomEvent.Kind.LEFT) {
      remote.remove(Names.key(event.name()));
    } else if (event.kind() == RoomEvent.Kind.RENAMED) {
      remote.remove(Names.key(event.name()));
      remote.put(Names.key(event.other()), new Directory.Entry(event.other(), event.room(), origin, 0));
    }
  }

  // The directory: this node's members, so that every node can list and find them.

  private void list(String key, String name, String room) {
    if (cluster == null || cluster.isLeaving() || registry.member(key).isEmpty()) {
      return;
    }
    Directory.Entry entry = new Directory.Entry(name, room, nodeId, RoomEvent.nowMicros());
    Directory.Entry old = listed.put(key, entry);
    (old == null ? directory.put(key, entry) : directory.replace(key, old, entry))
        .onFailure(e -> log.warn("directory write failed for a member: {}", e.toString()));
  }

  private void unlist(String key) {
    Directory.Entry old = cluster == null ? null : listed.remove(key);
    if (old != null) {
      directory.remove(key, old).onFailure(e -> log.warn("directory removal failed for a member: {}", e.toString()));
    }
  }

  private void relist(String oldKey, String newKey, String newName, String room) {
    Directory.Entry old = cluster == null ? null : listed.get(oldKey);
    if (old == null) {
      return;
    }
    Directory.Entry entry = new Directory.Entry(newName, room, nodeId, old.since());
    if (oldKey.equals(newKey)) {
      listed.put(newKey, entry);
      directory.replace(newKey, old, entry);
    } else {
      listed.remove(oldKey);
      listed.put(newKey, entry);
      directory.remove(oldKey, old);
      directory.put(newKey, entry);
    }
  }

  // Cluster membership (ClusterNode.Listener: called on Hazelcast threads, so each hops onto this context).

  @Override
  public void nodeLeft(String gone) {
    context.runOnContext(v -> cleanUpAfter(gone));
  }

  @Override
  public void rejoining() {
    context.runOnContext(v -> evictEveryone());
  }

  // Back in the cluster: relearn the other nodes' members (this node dropped them all when it found itself alone),
  // and have every node release what the merge brought back.
  @Override
  public void rejoined() {
    context.runOnContext(v -> {
      remote.clear();
      directory.all().onSuccess(all -> all.forEach((key, entry) -> {
        if (!entry.node().equals(nodeId)) {
          remote.putIfAbsent(key, entry);
        }
      }));
      JsonObject merged = new JsonObject().put("origin", nodeId);
      vertx.eventBus().publish(Addresses.merged(), merged);
      // Merge operations can still be landing when Hazelcast reports MERGED: sweep once more a little later.
      vertx.setTimer(MERGE_SETTLE_MILLIS, t -> vertx.eventBus().publish(Addresses.merged(), merged));
    });
  }

  @Override
  public Future<Void> departing() {
    Promise<Void> departed = Promise.promise();
    context.runOnContext(v -> departNow().onComplete(departed));
    return departed.future();
  }

  // Every node tells its own members of a gone node's users' leaves, from its own record of the other nodes' members:
  // each recipient hears each leave once, from its own node, whichever node saw the gone node first, and no event
  // has to cross the wire while the cluster's membership is changing. Removing the gone node's directory entries and
  // names is idempotent; a node that has merged back since, or sees the gone node back, leaves them alone.
  private void cleanUpAfter(String gone) {
    int merges = cluster.merges();
    if (cluster.isMember(gone)) {
      return;
    }
    List<Directory.Entry> theirs = new ArrayList<>();
    remote.values().removeIf(entry -> entry.node().equals(gone) && theirs.add(entry));
    for (Directory.Entry entry : theirs) {
      deliver(registry.remote(RoomEvent.left(entry.room(), entry.name())));
    }
    log.info("node {} is gone: {} of its users' leaves announced here", gone, theirs.size());
    java.util.function.BooleanSupplier stillGone = () -> cluster.merges() == merges && !cluster.isMember(gone);
    directory.all().onSuccess(all -> all.forEach((key, entry) -> {
      if (entry.node().equals(gone) && stillGone.getAsBoolean()) {
        directory.remove(key, entry);
      }
    })).onFailure(e -> log.warn("cleanup after node {} failed: {}", gone, e.toString()));
    releaseNames(owner -> owner.startsWith(gone + "/") && stillGone.getAsBoolean());
  }

  // A stopping node announces its own users' leaves before it leaves the cluster, so that the other nodes have
  // dropped them from their records by the time they see it go. Each name is released first: once a leave is seen,
  // the name is free.
  private Future<Void> departNow() {
    List<Future<Void>> departures = new ArrayList<>();
    listed.forEach((key, entry) -> {
      Future<Boolean> name = registry.member(key)
          .map(m -> names.removeIfPresent(key, nodeId + "/" + m.instance() + "/" + m.connection()))
          .orElse(Future.succeededFuture(false));
      departures.add(Future.join(name, directory.remove(key, entry)).transform(ignored -> {
        RoomEvent left = RoomEvent.left(entry.room(), entry.name());
        vertx.eventBus().publish(Addresses.cluster(), new ClusterEvent(nodeId, null, left).toJson());
        return Future.<Void>succeededFuture();
      }));
    });
    listed.clear();
    return Future.join(departures).mapEmpty();
  }

  // This node was cut off, and the cluster it merges into has announced its users' leaves and freed their names:
  // its users are told and disconnected, so that they reconnect, instead of living on unseen.
  private void evictEveryone() {
    List<Member> members = new ArrayList<>(registry.members());
    log.warn("disconnecting {} users: this node is rejoining its cluster", members.size());
    registry = new RoomRegistry();
    listed.clear();
    metrics.roomCount(0);
    for (Member member : members) {
      deliver(List.of(new RoomRegistry.Delivery(member.instance(),
          RoomEvent.evicted(member.connection(), texts.rejoiningCluster()))));
    }
  }

  // A merge puts back whatever the merging node held that the cluster had since removed (Hazelcast's PutIfAbsent
  // merge): entries and names of users it disconnected on rejoining, and of users of other nodes who left during the
  // split. On every node, release its own entries that belong to none of its current users, and list its users anew.
  // A name reserved a moment ago whose Enter has not reached this verticle yet would look stale too; the window is
  // one local event-bus hop.
  private void dropStaleEntries() {
    log.info("a node merged back: releasing this node's entries that no current user holds");
    directory.all().onSuccess(all -> all.forEach((key, entry) -> {
      if (entry.node().equals(nodeId) && !entry.equals(listed.get(key))) {
        directory.remove(key, entry);
      }
    }));
    listed.forEach(directory::put);
    Set<String> owners = new java.util.HashSet<>();
    registry.members().forEach(m -> owners.add(nodeId + "/" + m.instance() + "/" + m.connection()));
    releaseNames(owner -> owner.startsWith(nodeId + "/") && !owners.contains(owner));
  }

  private void releaseNames(java.util.function.Predicate<String> stale) {
    names.entries().compose(all -> {
      List<Future<Boolean>> removals = new ArrayList<>();
      all.forEach((key, owner) -> {
        if (stale.test(owner)) {
          removals.add(names.removeIfPresent(key, owner));
        }
      });
      return Future.join(removals).map(v -> removals.stream().filter(Future::result).count());
    }).onSuccess(released -> {
      if (released > 0) {
        log.info("released {} names held for users who are gone", released);
      }
    }).onFailure(e -> log.warn("releasing names failed: {}", e.toString()));
  }

  private void deliver(List<RoomRegistry.Delivery> deliveries) {
    deliver(deliveries, 0);
  }

  // Events wait until the requests already queued on this event loop are handled, then leave as one bus message per
  // instance: under load that is many requests, and each instance then writes each member socket once for all of them.
  // The send is queued behind those requests rather than put off to the end of the iteration, so that the instance
  // sharing this loop takes the batch, writes it and flushes in the same iteration that read the lines.
  private void deliver(List<RoomRegistry.Delivery> deliveries, long sentAt) {
    for (RoomRegistry.Delivery delivery : deliveries) {
      RoomEvent event = sentAt == 0 ? delivery.event() : delivery.event().withSentAt(sentAt);
      outgoing.computeIfAbsent(delivery.instance(), instance -> new ArrayList<>()).add(event);
    }
    if (!outgoing.isEmpty() && !sendScheduled) {
      sendScheduled = true;
      loop.execute(sendOutgoing);
    }
  }

  private void sendOutgoing() {
    sendScheduled = false;
    outgoing.forEach((instance, events) ->
        vertx.eventBus().send(Addresses.instance(instance), new RoomEvents(events), LOCAL));
    outgoing.clear();
  }

  // An answer leaves after every event queued before it, so it never overtakes the events the asker's earlier lines
  // caused (a /who after a message arrives after that message's echo).
  private void answer(Message<Object> message, JsonObject body) {
    sendOutgoing();
    message.reply(body);
  }

  private void refuse(Message<Object> message, int code, String reason) {
    sendOutgoing();
    message.fail(code, reason);
  }
}
