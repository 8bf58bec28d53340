package chat.room;

import chat.bus.Addresses;
import chat.bus.ClusterEvent;
import chat.bus.Member;
import chat.bus.RoomEvent;
import chat.bus.RoomRequest;
import chat.cluster.ClusterNode;
import chat.cluster.Directory;
import chat.net.NetServerVerticle;
import chat.ops.ChatMetrics;
import chat.protocol.Texts;
import io.vertx.core.Future;
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

  private final String nodeId;
  private final ChatMetrics metrics;
  private final ClusterNode cluster;
  private final Texts texts;
  private RoomRegistry registry = new RoomRegistry();
  /** Clustered: this node's members as last written to the directory. */
  private final Map<String, Directory.Entry> listed = new HashMap<>();
  private Directory directory;
  private AsyncMap<String, String> names;

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
    Future<Void> local = vertx.eventBus().<JsonObject>localConsumer(Addresses.rooms(nodeId), this::handle).completion();
    if (cluster == null) {
      return local;
    }
    // Deployed means the other nodes can reach this one: both clustered registrations are complete.
    Future<Void> rooms = vertx.eventBus().<JsonObject>consumer(Addresses.cluster(), this::onClusterEvent).completion();
    Future<Void> node = vertx.eventBus().<JsonObject>consumer(Addresses.node(nodeId), this::onClusterEvent).completion();
    Future<Void> maps = vertx.sharedData().<String, String>getAsyncMap(Directory.MAP)
        .map(Directory::new)
        .onSuccess(d -> directory = d)
        .compose(d -> vertx.sharedData().<String, String>getAsyncMap(NetServerVerticle.NAMES_MAP))
        .onSuccess(map -> names = map)
        .mapEmpty();
    return Future.all(local, rooms, node, maps).onSuccess(v -> cluster.listen(this));
  }

  private void handle(Message<JsonObject> message) {
    RoomRequest request = RoomRequest.fromJson(message.body());
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
    } else if (request instanceof RoomRequest.Whisper whisper) {
      whisper(message, whisper);
    } else if (request instanceof RoomRequest.Who who) {
      who(message, who.room());
    } else {
      rooms(message);
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
        // A stopping node's leaves are announced by the survivors once it has left (exactly once, as after a crash).
        if (event.kind() != RoomEvent.Kind.LEFT || !cluster.isLeaving()) {
          vertx.eventBus().publish(Addresses.cluster(), new ClusterEvent(nodeId, null, event).toJson());
        }
      }
    }
  }

  // /msg name text: the recipient gets the line here, the sender from the reply (once, even to itself).
  private void whisper(Message<JsonObject> message, RoomRequest.Whisper whisper) {
    Optional<Member> from = registry.member(whisper.fromKey());
    Optional<Member> to = registry.member(whisper.toKey());
    if (from.isEmpty() || (to.isEmpty() && cluster == null)) {
      message.fail(RoomRequest.NO_SUCH_USER, whisper.toKey());
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
    message.reply(new JsonObject().put("to", target.name()));
  }

  // A user of another node: its node's address, found in the directory. Never a request to that node, which may be
  // dead and would hold the reply for the whole send timeout.
  private void whisperAcross(Message<JsonObject> message, RoomRequest.Whisper whisper, Member from) {
    directory.get(whisper.toKey()).onComplete(found -> {
      Directory.Entry entry = found.succeeded() ? found.result().orElse(null) : null;
      if (entry == null || entry.node().equals(nodeId) || !cluster.isMember(entry.node())) {
        message.fail(RoomRequest.NO_SUCH_USER, whisper.toKey());
        return;
      }
      RoomEvent event = RoomEvent.whispered(from.name(), entry.name(), 0, whisper.text());
      vertx.eventBus().send(Addresses.node(entry.node()), new ClusterEvent(nodeId, whisper.toKey(), event).toJson());
      message.reply(new JsonObject().put("to", entry.name()));
    });
  }

  private void who(Message<JsonObject> message, String room) {
    if (cluster == null) {
      message.reply(new JsonObject().put("names", new JsonArray(registry.who(room))));
      return;
    }
    directory.all()
        .map(all -> all.values().stream()
            .filter(entry -> entry.room().equals(room) && cluster.isMember(entry.node()))
            .sorted(Comparator.comparingLong(Directory.Entry::since))
            .map(Directory.Entry::name)
            .toList())
        .onSuccess(list -> message.reply(new JsonObject().put("names", new JsonArray(list))))
        .onFailure(e -> message.fail(500, e.toString()));
  }

  private void rooms(Message<JsonObject> message) {
    if (cluster == null) {
      message.reply(new JsonObject().put("rooms", new JsonObject(new LinkedHashMap<String, Object>(registry.rooms()))));
      return;
    }
    directory.all()
        .map(all -> {
          Map<String, Object> counts = new TreeMap<>();
          all.values().stream().filter(entry -> cluster.isMember(entry.node()))
              .forEach(entry -> counts.merge(entry.room(), 1, (a, b) -> (Integer) a + (Integer) b));
          return counts;
        })
        .onSuccess(counts -> message.reply(new JsonObject().put("rooms", new JsonObject(counts))))
        .onFailure(e -> message.fail(500, e.toString()));
  }

  // Events of other nodes.

  private void onClusterEvent(Message<JsonObject> message) {
    ClusterEvent received = ClusterEvent.fromJson(message.body());
    if (received.origin().equals(nodeId) || !cluster.isMember(received.origin())) {
      return;
    }
    RoomEvent event = received.event();
    if (received.toKey() == null) {
      deliver(registry.remote(event));
      return;
    }
    registry.member(received.toKey()).ifPresent(target -> deliver(List.of(new RoomRegistry.Delivery(
        target.instance(), RoomEvent.whispered(event.name(), target.name(), target.connection(), event.text())))));
  }

  // The directory: this node's members, so that every node can list and find them.

  private void list(String key, String name, String room) {
    if (cluster == null || registry.member(key).isEmpty()) {
      return;
    }
    Directory.Entry entry = new Directory.Entry(name, room, nodeId, nowMicros());
    Directory.Entry old = listed.put(key, entry);
    (old == null ? directory.put(key, entry) : directory.replace(key, old, entry))
        .onFailure(e -> log.warn("directory write failed for a member: {}", e.toString()));
  }

  private void unlist(String key) {
    Directory.Entry old = cluster == null ? null : listed.remove(key);
    if (old != null && !cluster.isLeaving()) {
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

  @Override
  public void rejoined() {
    context.runOnContext(v -> dropStaleEntries());
  }

  // Every survivor tries to remove each of the gone node's entries; only the one that removes an entry announces
  // that user's leave, so each leave is announced exactly once whichever survivor sees the node go first.
  private void cleanUpAfter(String gone) {
    directory.all().onSuccess(all -> all.forEach((key, entry) -> {
      if (entry.node().equals(gone)) {
        directory.remove(key, entry).onSuccess(removed -> {
          if (removed) {
            RoomEvent left = RoomEvent.left(entry.room(), entry.name());
            deliver(registry.remote(left));
            vertx.eventBus().publish(Addresses.cluster(), new ClusterEvent(nodeId, null, left).toJson());
          }
        });
      }
    })).onFailure(e -> log.warn("cleanup after node {} failed: {}", gone, e.toString()));
    releaseNames(owner -> owner.startsWith(gone + "/"));
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

  // The merge puts back whatever this node held that the cluster had since removed (Hazelcast's PutIfAbsent merge):
  // entries and names of users disconnected on rejoining. Release them, and list the users who came since.
  private void dropStaleEntries() {
    directory.all().onSuccess(all -> all.forEach((key, entry) -> {
      if (entry.node().equals(nodeId) && !entry.equals(listed.get(key))) {
        directory.remove(key, entry);
      }
    }));
    listed.forEach(directory::put);
    releaseNames(owner -> owner.startsWith(nodeId + "/") && !isLocalOwner(owner));
  }

  private boolean isLocalOwner(String owner) {
    return registry.members().stream()
        .anyMatch(m -> owner.equals(nodeId + "/" + m.instance() + "/" + m.connection()));
  }

  private void releaseNames(java.util.function.Predicate<String> stale) {
    names.entries().onSuccess(all -> all.forEach((key, owner) -> {
      if (stale.test(owner)) {
        names.removeIfPresent(key, owner);
      }
    })).onFailure(e -> log.warn("releasing names failed: {}", e.toString()));
  }

  private static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  private void deliver(List<RoomRegistry.Delivery> deliveries) {
    deliver(deliveries, 0);
  }

  private void deliver(List<RoomRegistry.Delivery> deliveries, long sentAt) {
    for (RoomRegistry.Delivery delivery : deliveries) {
      RoomEvent event = sentAt == 0 ? delivery.event() : delivery.event().withSentAt(sentAt);
      vertx.eventBus().send(Addresses.instance(delivery.instance()), event.toJson(), LOCAL);
    }
  }
}
