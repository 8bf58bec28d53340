package chat.bench;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;

/** A connection storm: how fast {@code clients} users can connect and register, {@code inFlight} at a time. */
record StormRun(int clients, int rooms) {

  String roomOf(int client) {
    return rooms > 0 ? "storm-" + (client % rooms) : null;
  }

  JsonObject run(Target target, PrintWriter progress) throws Exception {
    try (ClientFleet fleet = target.fleet()) {
      Usage usage = Usage.start(target.server());
      long t0 = System.nanoTime();
      fleet.connect(0, clients, target.inFlight(), Target.names(), this::roomOf, target.registerTimeoutMillis(),
          n -> progress.printf("[storm] %d clients connected or connecting%n", n));
      double seconds = (System.nanoTime() - t0) / 1e9;
      Usage.Delta cpu = usage.stop();
      LoopStats.Snapshot s = fleet.snapshot();
      JsonObject params = new JsonObject().put("clients", clients).put("rooms", rooms)
          .put("inFlight", target.inFlight());
      JsonObject results = new JsonObject()
          .put("registered", s.registered())
          .put("seconds", seconds)
          .put("registrationsPerSec", s.registered() / seconds)
          .put("registrationLatencyMicros", Report.latency(fleet.registration()))
          .put("disconnects", s.disconnects());
      cpu.addTo(results);
      return Report.envelope("storm", target, params, results);
    }
  }
}
