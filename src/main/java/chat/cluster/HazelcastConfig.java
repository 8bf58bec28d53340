package chat.cluster;

import chat.config.ChatConfig;
import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;

/**
 * The Hazelcast and event-bus settings of one node: {@code cluster.xml} holds what every node shares, and this adds
 * what {@code cluster.*} in application.yaml says about this node.
 */
final class HazelcastConfig {

  static final String SHARED = "cluster.xml";

  private HazelcastConfig() {
  }

  static Config of(ChatConfig.Cluster cluster, ChatConfig.History history) {
    Config config = new ClasspathXmlConfig(SHARED);
    // Each room's order and history (RoomRings): one synchronous backup, so a member's death loses no accepted line.
    config.addRingBufferConfig(new RingbufferConfig(RoomRings.PREFIX + "*")
        .setCapacity(Math.max(history.lines(), history.orderBufferLines()))
        .setBackupCount(1)
        .setAsyncBackupCount(0)
        .setTimeToLiveSeconds(history.maxAgeSeconds())
        .setMergePolicyConfig(new MergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName())));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(cluster.failureDetectionSeconds()));
    // Vert.x leaves the cluster from our own shutdown hook, before Hazelcast stops.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig()
        .setPort(cluster.port())
        // With auto-increment a node whose port is taken silently takes a neighbour's and hangs joining.
        .setPortAutoIncrement(false);
    if (!cluster.host().isEmpty()) {
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    }
    if (!cluster.publicHost().isEmpty()) {
      network.setPublicAddress(cluster.publicHost() + ":" + cluster.port());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.members().isEmpty()) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.kubernetesDns())
          .setProperty("service-port", String.valueOf(cluster.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    return config;
  }

  /** A copy of {@code options} with the clustered event bus bound as {@code cluster} says. */
  static VertxOptions vertxOptions(ChatConfig.Cluster cluster, VertxOptions options) {
    EventBusOptions bus = new EventBusOptions().setPort(cluster.busPort());
    if (!cluster.host().isEmpty()) {
      bus.setHost(cluster.host());
    }
    if (!cluster.publicHost().isEmpty()) {
      bus.setClusterPublicHost(cluster.publicHost());
    }
    return new VertxOptions(options).setEventBusOptions(bus);
  }
}
