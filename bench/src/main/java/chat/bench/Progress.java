package chat.bench;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/** Prints one line a second while traffic runs: rates over the last second, what is in flight, CPU. */
final class Progress {
  private final String scenario;
  private final ClientFleet fleet;
  private final ServerProbe server;
  private final ServerProbe self = ServerProbe.self();
  private final PrintWriter out;
  private LoopStats.Snapshot last = LoopStats.Snapshot.ZERO;
  private long lastNanos = System.nanoTime();
  private double lastServerCpu;
  private double lastSelfCpu;

  Progress(String scenario, ClientFleet fleet, ServerProbe server, PrintWriter out) {
    this.scenario = scenario;
    this.fleet = fleet;
    this.server = server;
    this.out = out;
    this.lastServerCpu = server == null ? -1 : server.cpuSeconds();
    this.lastSelfCpu = self.cpuSeconds();
  }

  /** Ticks every second until plan time {@code until}. */
  void runUntil(Plan plan, long until) throws Exception {
    long left;
    while ((left = until - plan.now()) > 0) {
      long toTick = TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - lastNanos);
      if (toTick > left) {
        TimeUnit.NANOSECONDS.sleep(left);
        return;
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(0, toTick));
      tick(plan);
    }
  }

  private void tick(Plan plan) throws Exception {
    LoopStats.Snapshot now = fleet.snapshot();
    long nanos = System.nanoTime();
    double secs = (nanos - lastNanos) / 1e9;
    double serverCpu = server == null ? -1 : server.cpuSeconds();
    double selfCpu = self.cpuSeconds();
    String phase = plan.now() < plan.measureStart() ? "warmup " : "measure";
    out.printf("[%s] %s t=%5.1fs sent/s=%,10.0f deliveries/s=%,12.0f in-flight=%,9d dup=%d server-cpu=%s client-cpu=%.0f%%%n",
        scenario, phase, (plan.now() - plan.measureStart()) / 1e9,
        (now.sent() - last.sent()) / secs, (now.unique() - last.unique()) / secs,
        now.expected() - now.unique(), now.duplicated(),
        serverCpu < 0 ? "n/a" : String.format("%.0f%%", 100 * (serverCpu - lastServerCpu) / secs),
        100 * (selfCpu - lastSelfCpu) / secs);
    out.flush();
    last = now;
    lastNanos = nanos;
    lastServerCpu = serverCpu;
    lastSelfCpu = selfCpu;
  }
}
