package chat.bench;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Server memory per registered, silent connection. A first slice of the clients warms the server's code paths;
 * then the live heap (after a full GC in the server) and RSS are taken before and after the rest connect, and
 * the growth is divided by the number of clients added.
 */
record IdleRun(int clients, int rooms, double settleSeconds) {

  String roomOf(int client) {
    return rooms > 0 ? "idle-" + (client % rooms) : null;
  }

  JsonObject run(Target target, String metricsUrl, PrintWriter progress) throws Exception {
    int warm = Math.min(clients / 2, Math.max(10, clients / 100));
    IntFunction<String> names = Target.names();
    try (ClientFleet fleet = target.fleet()) {
      fleet.connect(0, warm, target.inFlight(), names, this::roomOf, target.registerTimeoutMillis(), null);
      fleet.barrier(byRoom(fleet.clients()), target.registerTimeoutMillis());
      Memory before = Memory.of(target.server(), metricsUrl);
      progress.printf("[idle] baseline with %d clients: %s%n", warm, before);

      long t0 = System.nanoTime();
      fleet.connect(warm, clients, target.inFlight(), names, this::roomOf, target.registerTimeoutMillis(),
          n -> progress.printf("[idle] %d clients connected or connecting%n", n));
      fleet.barrier(byRoom(fleet.clients()), target.registerTimeoutMillis());
      double setupSeconds = (System.nanoTime() - t0) / 1e9;
      progress.printf("[idle] %d clients registered in %.1f s; settling %.0f s%n", clients, setupSeconds,
          settleSeconds);
      Thread.sleep(Math.round(settleSeconds * 1000));
      Memory after = Memory.of(target.server(), metricsUrl);
      progress.printf("[idle] with %d clients: %s%n", clients, after);
      LoopStats.Snapshot s = fleet.snapshot();

      int added = clients - warm;
      JsonObject params = new JsonObject().put("clients", clients).put("rooms", rooms)
          .put("settleSeconds", settleSeconds).put("heapSource", after.source());
      JsonObject results = new JsonObject()
          .put("registered", s.registered())
          .put("disconnects", s.disconnects())
          .put("setupSeconds", setupSeconds)
          .put("registrationsPerSec", added / setupSeconds)
          .put("liveHeapBytesBefore", before.liveHeap())
          .put("liveHeapBytesAfter", after.liveHeap())
          .put("liveHeapBytesPerConnection", perConnection(before.liveHeap(), after.liveHeap(), added))
          .put("rssBytesBefore", before.rss())
          .put("rssBytesAfter", after.rss())
          .put("rssBytesPerConnection", perConnection(before.rss(), after.rss(), added));
      return Report.envelope("idle", target, params, results);
    }
  }

  /**
   * The clients grouped by the room they joined (client i is in room i % rooms). A {@code #sync} line is seen only
   * in its sender's room, so the barrier needs one per room: one list of everybody made every client outside
   * room 0 wait for a line it never gets, and {@code idle --rooms K} hung before its first output.
   */
  List<List<BenchClient>> byRoom(List<BenchClient> all) {
    int groups = Math.max(1, rooms);
    List<List<BenchClient>> byRoom = new ArrayList<>(groups);
    for (int r = 0; r < groups; r++) {
      byRoom.add(new ArrayList<>());
    }
    for (BenchClient c : all) {
      byRoom.get(c.index() % groups).add(c);
    }
    return byRoom;
  }

  private static Double perConnection(long before, long after, int added) {
    return before < 0 || after < 0 ? null : Report.round1((after - before) / (double) added);
  }

  /** Live heap from a full GC via jcmd when the server is local, else from its /metrics (no GC forced). */
  record Memory(long liveHeap, long rss, String source) {
    static Memory of(ServerProbe server, String metricsUrl) {
      if (server != null) {
        long heap = server.liveHeapBytes();
        if (heap >= 0) {
          return new Memory(heap, server.rssBytes(), "jcmd GC.run + GC.heap_info");
        }
      }
      long heap = metricsUrl == null ? -1 : ServerProbe.heapFromMetrics(metricsUrl);
      return new Memory(heap, server == null ? -1 : server.rssBytes(),
          heap < 0 ? "unavailable" : "metrics jvm_memory_used_bytes (no forced GC)");
    }

    @Override
    public String toString() {
      return String.format("live heap %.1f MiB, RSS %.1f MiB (%s)", liveHeap / 1048576.0, rss / 1048576.0,
          source);
    }
  }
}
