package chat.bench;

import chat.bench.reference.Ngircd;
import chat.bench.reference.ReferenceServer;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Load generator for the chat server, and the reference server it is compared with. Progress goes to stderr,
 * the summary to stdout, the full result to {@code --out} as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Load generator for the chat server (start the server with CHAT_LIMITS_LINES_PER_SECOND=0).",
    subcommands = {Bench.Fanout.class, Bench.Rooms.class, Bench.Idle.class, Bench.Storm.class,
        Bench.Reference.class, Bench.NgircdConfig.class, PlotCommand.class, CompareCommand.class})
public final class Bench {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  /** Options every scenario shares: where the server is, how to observe it, where results go. */
  static final class TargetOptions {
    private static final int FDS_BESIDES_CLIENTS = 64;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "server host (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", required = true, description = "server TCP port")
    int port;

    @Option(names = "--sender-port", defaultValue = "0",
        description = "senders connect here, readers to --port (two clustered nodes); 0 = --port")
    int senderPort;

    @Option(names = "--allow-remote", description = "allow a host outside loopback")
    boolean allowRemote;

    @Option(names = "--server-pid", description = "server process id (default: found by the listening port)")
    Long serverPid;

    @Option(names = "--client-threads", defaultValue = "1", description = "event loops of the load generator")
    int clientThreads;

    @Option(names = "--in-flight", defaultValue = "200", description = "registrations under way at once")
    int inFlight;

    @Option(names = "--register-timeout", defaultValue = "300", description = "seconds to register everybody")
    int registerTimeoutSeconds;

    @Option(names = "--label", defaultValue = "server", description = "name of the server in results")
    String label;

    @Option(names = "--protocol", defaultValue = "line",
        description = "what the users speak: line (the chat protocol) or irc (NICK/USER, JOIN #room, PRIVMSG); "
            + "default ${DEFAULT-VALUE}")
    Protocol protocol;

    @Option(names = "--out", description = "JSON result file")
    String out;

    Target target() {
      requireLoopback();
      return new Target(host, port, senderPort, probe(), clientThreads, inFlight, label, registerTimeoutSeconds * 1000L,
          protocol);
    }

    private void requireLoopback() {
      if (allowRemote) {
        return;
      }
      try {
        for (InetAddress a : InetAddress.getAllByName(host)) {
          if (!a.isLoopbackAddress()) {
            throw refuse();
          }
        }
      } catch (UnknownHostException e) {
        throw refuse();
      }
    }

    private ParameterException refuse() {
      return new ParameterException(spec.commandLine(),
          "refusing target " + host + ": not loopback (127.0.0.0/8, ::1, localhost); use --allow-remote");
    }

    /** The server's process when it runs on this machine; on a remote host CPU and memory are not measured. */
    private ServerProbe probe() {
      if (serverPid != null) {
        return new ServerProbe(serverPid);
      }
      if (allowRemote && !isLoopback()) {
        return null;
      }
      OptionalLong pid = ServerProbe.findListener(port);
      if (pid.isEmpty()) {
        spec.commandLine().getErr().println("server process not found by port " + port
            + ": server CPU and RSS will not be reported (give --server-pid)");
      }
      return pid.isPresent() ? new ServerProbe(pid.getAsLong()) : null;
    }

    private boolean isLoopback() {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }

    /**
     * Runs one scenario of {@code clients} clients against the target, its progress on stderr, and reports it;
     * returns the exit status (2 when there are not enough file descriptors for that many clients).
     */
    int run(int clients, Scenario scenario) throws Exception {
      Target t = target();
      if (!enoughFileDescriptors(t, clients)) {
        return 2;
      }
      return finish(scenario.run(t, spec.commandLine().getErr()));
    }

    /** Prints a clear error and returns false when this process or the server cannot hold that many sockets. */
    private boolean enoughFileDescriptors(Target t, int clients) {
      long needed = clients + FDS_BESIDES_CLIENTS;
      long mine = ServerProbe.self().openFileLimit();
      if (mine >= 0 && mine < needed) {
        spec.commandLine().getErr().printf(
            "ERROR: open-file limit (ulimit -n) is %d but %d clients need at least %d; raise it with "
                + "'ulimit -n %d' (hard limit: ulimit -Hn) in the shell that starts the bench%n",
            mine, clients, needed, needed);
        return false;
      }
      long server = t.server() == null ? -1 : t.server().openFileLimit();
      if (server >= 0 && server < needed) {
        spec.commandLine().getErr().printf(
            "ERROR: the server's open-file limit is %d, below the %d it needs for %d clients; "
                + "restart it after 'ulimit -n %d'%n", server, needed, clients, needed);
        return false;
      }
      return true;
    }

    private int finish(JsonObject result) throws java.io.IOException {
      Report.write(result, out);
      spec.commandLine().getOut().println(Report.summary(result));
      spec.commandLine().getOut().flush();
      JsonObject r = result.getJsonObject("results");
      long lost = r.getLong("lost", 0L);
      long dup = r.getLong("duplicated", 0L);
      long disconnects = r.getLong("disconnects", 0L);
      if (lost != 0 || dup != 0 || disconnects != 0) {
        spec.commandLine().getErr().printf("FAILED: lost=%d duplicated=%d disconnects=%d%n", lost, dup,
            disconnects);
        return 1;
      }
      return 0;
    }
  }

  /** One scenario's run against a target, writing progress lines as it goes. */
  @FunctionalInterface
  interface Scenario {
    JsonObject run(Target target, PrintWriter progress) throws Exception;
  }

  /** Traffic options shared by fanout and rooms. */
  static final class TrafficOptions {
    @Option(names = "--clients", defaultValue = "100", description = "connected users (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--senders", defaultValue = "10", description = "users that send (default ${DEFAULT-VALUE})")
    int senders;

    @Option(names = "--window", defaultValue = "8",
        description = "closed loop: messages a sender may have unseen (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--rate", defaultValue = "0",
        description = "open loop: total messages/s over all senders; 0 = closed loop")
    double rate;

    @Option(names = "--warmup", defaultValue = "5", description = "seconds (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--duration", defaultValue = "20", description = "measured seconds (default ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--payload", defaultValue = "0", description = "padding bytes per message")
    int payload;

    @Option(names = "--drain", defaultValue = "30",
        description = "seconds to wait for in-flight deliveries after the run before counting them lost")
    double drain;

    TrafficRun run(String scenario, int rooms) {
      return new TrafficRun(scenario, clients, rooms, senders, window, rate, warmup, duration, payload, drain);
    }
  }

  @Command(name = "fanout", mixinStandardHelpOptions = true,
      description = "N clients in one room (the lobby), S of them sending; closed or open loop.")
  static final class Fanout implements Callable<Integer> {
    @Mixin
    TargetOptions target;
    @Mixin
    TrafficOptions traffic;

    @Override
    public Integer call() throws Exception {
      return target.run(traffic.clients, traffic.run("fanout", 0)::run);
    }
  }

  @Command(name = "rooms", mixinStandardHelpOptions = true,
      description = "N clients spread over R rooms (/join room-k), S senders spread over the rooms.")
  static final class Rooms implements Callable<Integer> {
    @Mixin
    TargetOptions target;
    @Mixin
    TrafficOptions traffic;

    @Option(names = "--rooms", defaultValue = "10", description = "rooms (default ${DEFAULT-VALUE})")
    int rooms;

    @Override
    public Integer call() throws Exception {
      return target.run(traffic.clients, traffic.run("rooms", rooms)::run);
    }
  }

  @Command(name = "idle", mixinStandardHelpOptions = true,
      description = "C registered silent clients; server live heap and RSS per connection.")
  static final class Idle implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--clients", defaultValue = "5000", description = "connections (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--rooms", defaultValue = "0", description = "spread over rooms idle-k; 0 = all in lobby")
    int rooms;

    @Option(names = "--settle", defaultValue = "3", description = "seconds to wait before measuring")
    double settle;

    @Option(names = "--metrics-url", description = "server /metrics, used for heap when jcmd cannot attach")
    String metricsUrl;

    @Override
    public Integer call() throws Exception {
      IdleRun idle = new IdleRun(clients, rooms, settle);
      return target.run(clients, (t, progress) -> idle.run(t, metricsUrl, progress));
    }
  }

  @Command(name = "storm", mixinStandardHelpOptions = true,
      description = "Connection storm: C clients connect and register as fast as possible.")
  static final class Storm implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--clients", defaultValue = "2000", description = "connections (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--rooms", defaultValue = "0", description = "spread over rooms storm-k; 0 = all in lobby")
    int rooms;

    @Override
    public Integer call() throws Exception {
      return target.run(clients, new StormRun(clients, rooms)::run);
    }
  }

  @Command(name = "reference", mixinStandardHelpOptions = true,
      description = "Run the reference broadcast server (one Netty event loop, epoll where available) until stopped.")
  static final class Reference implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "bind address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "9901", description = "port, 0 = any (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--locale", defaultValue = "ko", description = "ko or en (default ${DEFAULT-VALUE})")
    String locale;

    @Option(names = "--transport", description = "epoll or nio (default: epoll where available, else nio)")
    ReferenceServer.Transport transport;

    @Override
    public Integer call() throws Exception {
      ReferenceServer server = new ReferenceServer(host, port, "en".equals(locale),
          transport == null ? ReferenceServer.Transport.best() : transport);
      int bound = server.start();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "reference-shutdown"));
      spec.commandLine().getOut().printf("reference server listening on %s:%d (pid %d, transport %s)%n", host,
          bound, ProcessHandle.current().pid(), server.transport());
      spec.commandLine().getOut().flush();
      stopped.await();
      return 0;
    }
  }

  @Command(name = "ngircd-config", mixinStandardHelpOptions = true,
      description = "Write the configuration of the reference IRC server (ngIRCd, flood limits relaxed) to a "
          + "directory and print the command that runs it in the foreground.")
  static final class NgircdConfig implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "listen address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", required = true, description = "IRC port")
    int port;

    @Option(names = "--dir", required = true, description = "directory for ngircd.conf (created if missing)")
    Path dir;

    @Override
    public Integer call() throws Exception {
      Path config = Ngircd.writeConfig(dir.toAbsolutePath(), host, port);
      Path binary = Ngircd.binary().orElse(Path.of("ngircd"));
      spec.commandLine().getOut().println(String.join(" ", Ngircd.command(binary, config)));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
