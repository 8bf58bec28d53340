package chat.cluster;

import chat.config.ChatConfig;
import chat.ops.ChatMetrics;
import chat.ops.MetricsBackend;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of the Hazelcast cluster: starts the clustered Vert.x, follows members coming and going,
 * and tells its {@link Listener}s (the RoomVerticle) when another node is gone or when this node, cut off and now
 * merging back, must drop its users.
 *
 * <p>Hazelcast calls the listener methods on its own threads; listeners hop to their own context.
 */
public final class ClusterNode implements MembershipListener, LifecycleListener {

  /** What the RoomVerticle must act on. Called on Hazelcast threads: never block. */
  public interface Listener {

    /** A node joined this node's cluster: started, or merged back after a split. */
    void nodeJoined();

    /** {@code nodeId} left the cluster (crash, shutdown, or removed after the failure-detection window). */
    void nodeLeft(String nodeId);

    /** This node was cut off and is merging into the larger cluster, which has announced its users' leaves. */
    void rejoining();

    /** The merge is done: whatever the merge brought back of this node's old users is stale. */
    void rejoined();

    /** This node is stopping: announce its users' leaves to the cluster now. Completes when done. */
    Future<Void> departing();
  }

  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  /** Where vertx-hazelcast keeps the Vert.x node id among a Hazelcast member's attributes. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  private static final long SAFETY_CHECK_MILLIS = 2_000;

  private final HazelcastClusterManager manager;
  private final ChatConfig.Cluster config;
  private final ChatMetrics metrics;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile Vertx vertx;
  private volatile Set<String> nodes = Set.of();
  private volatile boolean leaving;
  private volatile boolean safe;
  private volatile boolean checkingSafety;
  private volatile boolean merging;
  private final AtomicInteger merges = new AtomicInteger();
  private final AtomicInteger views = new AtomicInteger();

  private ClusterNode(HazelcastClusterManager manager, ChatConfig.Cluster config, ChatMetrics metrics) {
    this.manager = manager;
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * Starts a clustered Vert.x with {@code options} (plus the event-bus settings of {@code config}) reporting into
   * {@code backend} on this node's Hazelcast member; completes once the member has joined.
   */
  public static Future<ClusterNode> start(ChatConfig.Cluster config, ChatConfig.History history, VertxOptions options,
      ChatMetrics metrics, MetricsBackend backend) {
    ClusterNode node = new ClusterNode(new HazelcastClusterManager(HazelcastConfig.of(config, history)), config,
        metrics);
    return backend.builder(HazelcastConfig.vertxOptions(config, options))
        .withClusterManager(node.manager)
        .buildClustered()
        .map(vertx -> {
          node.joined(vertx);
          return node;
        });
  }

  private void joined(Vertx vertx) {
    this.vertx = vertx;
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    hazelcast.getCluster().addMembershipListener(this);
    hazelcast.getLifecycleService().addLifecycleListener(this);
    refreshMembers();
    vertx.setPeriodic(0, SAFETY_CHECK_MILLIS, t -> checkSafety());
    StalledConnections stalled = StalledConnections.of(hazelcast, config.handshakeTimeoutMillis());
    vertx.setPeriodic(Math.max(25, config.handshakeTimeoutMillis() / 4), t -> vertx
        .executeBlocking(() -> stalled.sweep(System.nanoTime()), false)
        .onSuccess(metrics::stalledHandshakesClosed)
        .onFailure(e -> log.warn("checking cluster connections for stalled handshakes failed: {}", e.toString())));
    log.info("joined cluster as node {} ({} members)", nodeId(), nodes.size());
  }

  public Vertx vertx() {
    return vertx;
  }

  public String nodeId() {
    return manager.getNodeId();
  }

  public HazelcastInstance hazelcast() {
    return manager.getHazelcastInstance();
  }

  /**
   * The node id of the oldest member of the cluster as this node sees it (the one that acts for the cluster), or null
   * when this node is not running.
   */
  public String oldest() {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    if (hazelcast == null || !hazelcast.getLifecycleService().isRunning()) {
      return null;
    }
    return nodeIdOf(hazelcast.getCluster().getMembers().iterator().next());
  }

  /** Whether this node is the oldest member of the cluster as it sees it. */
  public boolean isOldest() {
    return nodeId().equals(oldest());
  }

  /** Whether {@code nodeId} is a member of the cluster as this node sees it now. */
  public boolean isMember(String nodeId) {
    return nodes.contains(nodeId);
  }

  /** Server nodes in the cluster as this node sees it, this one included. */
  public int memberCount() {
    return nodes.size();
  }

  // One check at a time: with a member hung, a check waits for it, and piling more up would only add load.
  private void checkSafety() {
    if (!checkingSafety) {
      checkingSafety = true;
      clusterSafe()
          .onComplete(result -> {
            checkingSafety = false;
            safe = result.succeeded() && result.result();
          });
    }
  }

  /** The last answer of {@link #clusterSafe()}, refreshed every {@value #SAFETY_CHECK_MILLIS} ms: for readiness. */
  public boolean isSafe() {
    return safe;
  }

  /**
   * Whether every partition has its backups in place (no migration running). Hazelcast's check asks every member and
   * blocks, so it runs on a worker thread.
   */
  public Future<Boolean> clusterSafe() {
    return vertx.executeBlocking(() -> manager.getHazelcastInstance().getPartitionService().isClusterSafe(), false);
  }

  /**
   * Stops speaking for this node's users: from now on nothing of theirs is published, and their leaves are announced
   * at once, each by whichever node removes the user's directory entry first (this one now, or a survivor once this
   * node has left), so exactly once. Completes when this node's part is done, or after {@code timeoutMillis}.
   */
  public Future<Void> leave(long timeoutMillis) {
    leaving = true;
    List<Future<Void>> departures = listeners.stream().map(Listener::departing).toList();
    return Future.join(departures).<Void>mapEmpty()
        .timeout(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
        .otherwiseEmpty();
  }

  public boolean isLeaving() {
    return leaving;
  }

  /** How many times this node has merged back into a cluster: work begun before a merge is stale after it. */
  public int merges() {
    return merges.get();
  }

  /**
   * Whether this node is between Hazelcast's MERGING and MERGED: its data is being reset and merged into the other
   * cluster, so a write now lands in state that the merge discards or overrides. Names are not given out meanwhile.
   */
  public boolean isMerging() {
    return merging;
  }

  /**
   * This node's view of the cluster: it changes whenever a member is added or removed or the node merges, a read of
   * the cluster's maps that spans a change may have missed the partitions of a member that left meanwhile. Hazelcast's
   * own member list is part of it, as it changes before the membership events reach this node.
   */
  public View view() {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    Set<UUID> members = hazelcast == null || !hazelcast.getLifecycleService().isRunning()
        ? Set.of()
        : hazelcast.getCluster().getMembers().stream().map(Member::getUuid).collect(Collectors.toUnmodifiableSet());
    return new View(views.get(), members);
  }

  /** See {@link #view()}: compare two for equality. */
  public record View(int changes, Set<UUID> members) {
  }

  public void listen(Listener listener) {
    listeners.add(listener);
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    refreshMembers();
    metrics.clusterChanged(ChatMetrics.ClusterChange.JOINED);
    log.info("cluster member joined: {} ({} members)", event.getMember().getAddress(), nodes.size());
    if (!leaving) {
      listeners.forEach(Listener::nodeJoined);
    }
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    refreshMembers();
    metrics.clusterChanged(ChatMetrics.ClusterChange.LEFT);
    String left = nodeIdOf(event.getMember());
    if (left != null && !leaving) {
      listeners.forEach(listener -> listener.nodeLeft(left));
    }
    log.info("cluster member left: {} ({} members)", event.getMember().getAddress(), nodes.size());
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    LifecycleEvent.LifecycleState state = event.getState();
    if (state == LifecycleEvent.LifecycleState.MERGING) {
      merging = true;
      merges.incrementAndGet();
      views.incrementAndGet();
      log.warn("this node was cut off from the cluster and is merging back: disconnecting its users");
      listeners.forEach(Listener::rejoining);
    } else if (state == LifecycleEvent.LifecycleState.MERGED) {
      merging = false;
      refreshMembers();
      metrics.clusterChanged(ChatMetrics.ClusterChange.MERGED);
      log.info("merged back into the cluster ({} members)", nodes.size());
      listeners.forEach(Listener::rejoined);
    } else if (state == LifecycleEvent.LifecycleState.MERGE_FAILED) {
      merging = false;
      log.error("merging back into the cluster failed");
    }
  }

  private void refreshMembers() {
    views.incrementAndGet();
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    if (hazelcast == null || !hazelcast.getLifecycleService().isRunning()) {
      return;
    }
    nodes = hazelcast.getCluster().getMembers().stream()
        .map(ClusterNode::nodeIdOf)
        .filter(Objects::nonNull)
        .collect(Collectors.toUnmodifiableSet());
    metrics.clusterMembers(nodes.size());
  }

  private static String nodeIdOf(Member member) {
    return member.getAttribute(NODE_ID_ATTRIBUTE);
  }
}
