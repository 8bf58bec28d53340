package chat.net;

/**
 * Every listener of the node, for the port it binds. Port 0 would give every instance of a listener its own random
 * port; a negative port asks Vert.x for one random port shared by all instances, one per distinct negative number, so
 * each listener has a number of its own here.
 */
public enum SharedPort {
  LINE(-1), LINE_TLS(-2), IRC(-3), IRC_TLS(-4), WEB(-5);

  private final int anyFreePort;

  SharedPort(int anyFreePort) {
    this.anyFreePort = anyFreePort;
  }

  /** The port to bind for the configured one: itself, or this listener's shared random port for 0. */
  public int of(int configured) {
    return configured == 0 ? anyFreePort : configured;
  }
}
