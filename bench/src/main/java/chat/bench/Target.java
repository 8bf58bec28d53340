package chat.bench;

import io.vertx.core.json.JsonObject;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * The server under test and how to reach it.
 *
 * @param senderPort    when not 0, senders connect to this port (another cluster node) and readers to {@code port}
 * @param server        probe of the server process when it is local, else null
 * @param clientThreads event loops of the load generator
 * @param inFlight      registrations under way at once
 * @param label         names the server in results and plots ("reference", "chat", ...)
 * @param protocol      what the simulated users speak: the line protocol or IRC
 */
record Target(String host, int port, int senderPort, ServerProbe server, int clientThreads, int inFlight, String label,
       long registerTimeoutMillis, Protocol protocol) {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** {@code b<run><index>}: letters and digits only, unique per run so runs never collide on names. */
  static IntFunction<String> names() {
    StringBuilder run = new StringBuilder();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 4; i++) {
      run.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    String prefix = "b" + run;
    return i -> prefix + "x" + i;
  }

  ClientFleet fleet() {
    return new ClientFleet(protocol, host, port, clientThreads);
  }

  ClientFleet fleet(int senders) {
    ClientFleet fleet = fleet();
    if (senderPort != 0) {
      fleet.sendersConnectTo(new InetSocketAddress(host, senderPort), senders);
    }
    return fleet;
  }

  JsonObject describe() {
    return new JsonObject().put("host", host).put("port", port).put("senderPort", senderPort == 0 ? null : senderPort).put("label", label)
        .put("protocol", protocol.name().toLowerCase(Locale.ROOT))
        .put("serverPid", server == null ? null : server.pid())
        .put("serverTransport", server == null ? null : server.nettyTransport())
        .put("clientThreads", clientThreads);
  }
}
