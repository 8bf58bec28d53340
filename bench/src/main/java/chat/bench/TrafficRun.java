package chat.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Measured chat traffic: {@code clients} users in {@code rooms} rooms (0: everybody stays in the lobby), the first
 * {@code senders} of them sending, closed loop (each sender keeps at most {@code window} messages unseen) or open
 * loop ({@code rate} messages per second in total, latency counted from the intended send time).
 */
record TrafficRun(String scenario, int clients, int rooms, int senders, int window, double rate,
         double warmupSeconds, double durationSeconds, int payloadBytes, double drainSeconds) {

  private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  TrafficRun {
    if (senders < 1 || senders > clients) {
      throw new IllegalArgumentException("senders must be between 1 and the number of clients");
    }
    if (rate <= 0 && window < 1) {
      throw new IllegalArgumentException("a closed loop needs a window of at least 1");
    }
  }

  String roomOf(int client) {
    return rooms > 0 ? "room-" + (client % rooms) : null;
  }

  JsonObject run(Target target, PrintWriter progress) throws Exception {
    try (ClientFleet fleet = target.fleet(senders)) {
      IntFunction<String> names = Target.names();
      long t0 = System.nanoTime();
      List<BenchClient> all = fleet.connect(0, clients, target.inFlight(), names, this::roomOf,
          target.registerTimeoutMillis(), n -> progress.printf("[%s] %d clients connected or connecting%n", scenario, n));
      List<List<BenchClient>> byRoom = groupByRoom(all);
      fleet.barrier(byRoom, target.registerTimeoutMillis());
      double setupSeconds = (System.nanoTime() - t0) / 1e9;
      progress.printf("[%s] %d clients registered and joins settled in %.1f s%n", scenario, clients, setupSeconds);

      long base = System.nanoTime();
      long sendStart = START_DELAY_NANOS;
      long measureStart = sendStart + seconds(warmupSeconds);
      long measureEnd = measureStart + seconds(durationSeconds);
      long interval = rate > 0 ? Math.max(1, Math.round(senders * 1e9 / rate)) : 0;
      Plan plan = new Plan(base, senders, window, interval, sendStart, measureStart, measureEnd, payloadBytes);
      Protocol protocol = target.protocol();
      int[] deliveries = new int[clients];
      BenchClient[][] witnessed = new BenchClient[clients][];
      for (List<BenchClient> room : byRoom) {
        for (int k = 0; k < room.size(); k++) {
          BenchClient c = room.get(k);
          deliveries[c.index()] = protocol.deliveriesPerMessage(room.size());
          if (c.index() < senders && !protocol.echoesOwnMessages()) {
            witness(room, k, witnessed);
          }
        }
      }
      fleet.onEveryLoop(c -> {
        int i = c.index();
        c.arm(plan, i < senders ? i : -1, deliveries[i], witnessed[i]);
      });
      for (int i = 0; i < senders; i++) {
        BenchClient sender = all.get(i);
        sender.loop().schedule(sender::startSending, sendStart - plan.now(), TimeUnit.NANOSECONDS);
      }

      Progress ticker = new Progress(scenario, fleet, target.server(), progress);
      ticker.runUntil(plan, measureStart);
      Usage usage = Usage.start(target.server());
      ticker.runUntil(plan, measureEnd);
      Usage.Delta cpu = usage.stop();
      LoopStats.Snapshot end = drain(fleet, plan, progress);
      Histogram latency = fleet.latency();
      return result(target, end, latency, cpu, setupSeconds);
    }
  }

  /** The member after sender {@code room[k]} acknowledges its messages, since the sender does not get them. */
  private void witness(List<BenchClient> room, int k, BenchClient[][] witnessed) {
    if (room.size() < 2) {
      throw new IllegalArgumentException("without echo, a sender needs another member in its room to see its messages");
    }
    int witness = room.get((k + 1) % room.size()).index();
    if (witnessed[witness] == null) {
      witnessed[witness] = new BenchClient[senders];
    }
    witnessed[witness][room.get(k).index()] = room.get(k);
  }

  private List<List<BenchClient>> groupByRoom(List<BenchClient> all) {
    int groups = Math.max(1, rooms);
    List<List<BenchClient>> byRoom = new ArrayList<>(groups);
    for (int r = 0; r < groups; r++) {
      byRoom.add(new ArrayList<>());
    }
    for (int i = 0; i < all.size(); i++) {
      byRoom.get(i % groups).add(all.get(i));
    }
    return byRoom;
  }

  /** Waits until every message sent has reached every member of its room, or the drain time runs out. */
  private LoopStats.Snapshot drain(ClientFleet fleet, Plan plan, PrintWriter progress) throws Exception {
    long deadline = System.nanoTime() + seconds(drainSeconds);
    LoopStats.Snapshot s = fleet.snapshot();
    while (s.unique() < s.expected() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
      s = fleet.snapshot();
    }
    if (s.unique() < s.expected()) {
      progress.printf("[%s] drain timed out: %d deliveries still missing%n", scenario, s.expected() - s.unique());
    }
    return s;
  }

  private JsonObject result(Target target, LoopStats.Snapshot s, Histogram latency, Usage.Delta cpu,
               double setupSeconds) {
    JsonObject params = new JsonObject()
        .put("clients", clients).put("rooms", rooms).put("senders", senders)
        .put("mode", rate > 0 ? "open" : "closed").put("window", rate > 0 ? null : window)
        .put("offeredRate", rate > 0 ? rate : null)
        .put("warmupSeconds", warmupSeconds).put("durationSeconds", durationSeconds)
        .put("payloadBytes", payloadBytes);
    JsonObject results = new JsonObject()
        .put("messagesPerSec", s.sentInWindow() / durationSeconds)
        .put("deliveriesPerSec", s.deliveriesInWindow() / durationSeconds)
        .put("serverCpuNanosPerDelivery", cpu.serverCpuNanosPer(s.deliveriesInWindow()))
        .put("latencyMicros", Report.latency(latency))
        .put("sent", s.sent())
        .put("expectedDeliveries", s.expected())
        .put("delivered", s.unique())
        .put("lost", s.expected() - s.unique())
        .put("duplicated", s.duplicated())
        .put("reordered", s.reordered())
        .put("disconnects", s.disconnects())
        .put("setupSeconds", setupSeconds);
    cpu.addTo(results);
    return Report.envelope(scenario, target, params, results);
  }

  private static long seconds(double s) {
    return Math.round(s * 1e9);
  }
}
