package chat.bus;

/** Every event-bus address the server uses. */
public final class Addresses {

  private Addresses() {
  }

  /** The RoomVerticle of one node; only that node's NetServerVerticles send here. */
  public static String rooms(String nodeId) {
    return "chat.rooms." + nodeId;
  }

  /** One NetServerVerticle instance: room events for its members. */
  public static String instance(String instanceId) {
    return "chat.instance." + instanceId;
  }

  /** Clustered: every node's RoomVerticle consumes it; a room event published here crosses the wire once per node. */
  public static String cluster() {
    return "chat.cluster.rooms";
  }

  /** Clustered: one node's RoomVerticle, for what concerns only that node's users (a private message). */
  public static String node(String nodeId) {
    return "chat.node." + nodeId;
  }

  /**
   * Clustered: a node that merged back asks every node to release its own entries that the merge brought back
   * (Hazelcast merges with PutIfAbsent, so removals made while the node was cut off can be undone).
   */
  public static String merged() {
    return "chat.cluster.merged";
  }

  /**
   * Clustered: how far each room's sequence is safe to read (its lines up to there have their backup), published by
   * the node whose append got that far.
   */
  public static String ordered() {
    return "chat.cluster.ordered";
  }
}
