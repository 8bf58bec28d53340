package chat.bench;

import io.vertx.core.json.JsonObject;

/** CPU used by the server (when local) and by this load generator over a window of wall-clock time. */
final class Usage {
  private final ServerProbe server;
  private final ServerProbe self = ServerProbe.self();
  private final long wallStart = System.nanoTime();
  private final double serverStart;
  private final double selfStart;

  private Usage(ServerProbe server) {
    this.server = server;
    this.serverStart = server == null ? -1 : server.cpuSeconds();
    this.selfStart = self.cpuSeconds();
  }

  static Usage start(ServerProbe server) {
    return new Usage(server);
  }

  Delta stop() {
    double wall = (System.nanoTime() - wallStart) / 1e9;
    double serverCpu = server == null || serverStart < 0 ? -1 : 100 * (server.cpuSeconds() - serverStart) / wall;
    double clientCpu = 100 * (self.cpuSeconds() - selfStart) / wall;
    return new Delta(serverCpu, clientCpu, server == null ? -1 : server.rssBytes(),
        server == null ? -1 : server.peakRssBytes());
  }

  /** CPU figures are percent of one core (200 = both cores of this machine); -1 means unknown. */
  record Delta(double serverCpuPercent, double clientCpuPercent, long serverRssBytes, long serverPeakRssBytes) {
    void addTo(JsonObject results) {
      results.put("serverCpuPercent", serverCpuPercent < 0 ? null : Report.round1(serverCpuPercent))
          .put("clientCpuPercent", Report.round1(clientCpuPercent))
          .put("serverRssBytes", serverRssBytes < 0 ? null : serverRssBytes)
          .put("serverPeakRssBytes", serverPeakRssBytes < 0 ? null : serverPeakRssBytes);
    }
  }
}
