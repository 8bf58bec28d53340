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
}
