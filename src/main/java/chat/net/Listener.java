package chat.net;

import chat.config.ChatConfig;
import io.vertx.core.net.NetServerOptions;

/**
 * Every listener of the node: the port it binds, and the options of a TCP chat listener. Port 0 would give every
 * instance of a listener its own random port; a negative port asks Vert.x for one random port shared by all instances,
 * one per distinct negative number, so each listener has a number of its own here.
 */
public enum Listener {
  LINE(-1), LINE_TLS(-2), IRC(-3), IRC_TLS(-4), WEB(-5);

  private final int anyFreePort;

  Listener(int anyFreePort) {
    this.anyFreePort = anyFreePort;
  }

  /** The port to bind for the configured one: itself, or this listener's shared random port for 0. */
  public int of(int configured) {
    return configured == 0 ? anyFreePort : configured;
  }

  /**
   * A TCP chat listener (line or IRC) on the configured host and {@code port}: no Nagle delay, the small kernel send
   * buffer that makes a stalled reader's backlog show in {@code limits.sendQueueBytes}, PROXY protocol when enabled.
   */
  public NetServerOptions tcpOptions(ChatConfig config, int configuredPort) {
    return new NetServerOptions()
        .setHost(config.tcp().host())
        .setPort(of(configuredPort))
        .setTcpNoDelay(true)
        .setSendBufferSize(config.tcp().sendBufferBytes())
        .setUseProxyProtocol(config.proxyProtocol().enabled());
  }
}
