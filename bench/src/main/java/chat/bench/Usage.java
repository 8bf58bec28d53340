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
    double serverEnd = server == null || serverStart < 0 ? -1 : server.cpuSeconds();
    double serverCpu = serverEnd < 0 ? -1 : serverEnd - serverStart;
    double clientCpu = 100 * (self.cpuSeconds() - selfStart) / wall;
    return new Delta(serverCpu, serverCpu < 0 ? -1 : 100 * serverCpu / wall, clientCpu,
        server == null ? -1 : server.rssBytes(), server == null ? -1 : server.peakRssBytes());
  }

  /**
   * Server CPU is utime + stime over the window, in seconds and in percent of one core (200 = both cores of this
   * machine), like the client's; -1 means unknown.
   */
  record Delta(double serverCpuSeconds, double serverCpuPercent, double clientCpuPercent, long serverRssBytes,
         long serverPeakRssBytes) {

    /** Server CPU nanoseconds per delivery made in the same window, or null when either is unknown or zero. */
    Long serverCpuNanosPer(long deliveries) {
      return serverCpuSeconds < 0 || deliveries <= 0 ? null : Math.round(serverCpuSeconds * 1e9 / deliveries);
    }

    void addTo(JsonObject results) {
      results.put("serverCpuSeconds", serverCpuSeconds < 0 ? null : Math.round(serverCpuSeconds * 100) / 100.0)
          .put("serverCpuPercent", serverCpuPercent < 0 ? null : Report.round1(serverCpuPercent))
          .put("clientCpuPercent", Report.round1(clientCpuPercent))
          .put("serverRssBytes", serverRssBytes < 0 ? null : serverRssBytes)
          .put("serverPeakRssBytes", serverPeakRssBytes < 0 ? null : serverPeakRssBytes);
    }
  }
}
