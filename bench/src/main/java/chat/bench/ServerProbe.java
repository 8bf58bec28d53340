package chat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What can be learnt about a local process from /proc and jcmd: CPU time, RSS, open-file limit, live heap.
 * Linux only; every method degrades to "unknown" (-1 or empty) rather than failing the run.
 */
final class ServerProbe {

  /** USER_HZ, the unit of utime/stime in /proc/[pid]/stat; 100 on every Linux ABI the JDK runs on. */
  private static final double TICKS_PER_SECOND = 100.0;
  /** One heap or generation in {@code GC.heap_info}: G1 prints the whole heap, Serial and Parallel each generation. */
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
  private static final int TCP_LISTEN = 0x0A;

  private final long pid;

  ServerProbe(long pid) {
    this.pid = pid;
  }

  static ServerProbe self() {
    return new ServerProbe(ProcessHandle.current().pid());
  }

  long pid() {
    return pid;
  }

  /** User plus system CPU seconds used so far, or -1. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // After the command name, field 3 (state) is f[0], so utime (14) and stime (15) are f[11] and f[12].
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The Netty transport the process runs on, read from the native libraries it has mapped: {@code epoll} or
   * {@code io_uring} when Netty's native library for it is loaded, else {@code nio} (for a JVM server); null when
   * its memory map cannot be read.
   */
  String nettyTransport() {
    try {
      String maps = Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
      return transportOf(maps);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static String transportOf(String maps) {
    if (maps.contains("netty_transport_native_epoll")) {
      return "epoll";
    }
    if (maps.contains("netty_transport_native_io_uring")) {
      return "io_uring";
    }
    return "nio";
  }

  long rssBytes() {
    return statusKb("VmRSS:") * 1024;
  }

  long peakRssBytes() {
    return statusKb("VmHWM:") * 1024;
  }

  private long statusKb(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Soft limit on open files, or -1 when unknown or unlimited. */
  long openFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Runs a full GC in the process ({@code jcmd GC.run}) and returns the heap then in use, or -1. */
  long liveHeapBytes() {
    if (jcmd("GC.run") == null) {
      return -1;
    }
    String info = jcmd("GC.heap_info");
    if (info == null) {
      return -1;
    }
    return heapUsedBytes(info);
  }

  /** The heap in use as {@code jcmd GC.heap_info} prints it, summed over generations; -1 if it names none. */
  static long heapUsedBytes(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    long usedKib = 0;
    boolean found = false;
    while (m.find()) {
      usedKib += Long.parseLong(m.group(1));
      found = true;
    }
    return found ? usedKib * 1024 : -1;
  }

  private String jcmd(String command) {
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Sum of {@code jvm_memory_used_bytes{area="heap",...}} from a Prometheus endpoint, or -1. */
  static long heapFromMetrics(String url) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      double sum = 0;
      boolean found = false;
      for (String line : r.body().split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
      return found ? (long) sum : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The pid of the local process listening on TCP {@code port}, found through /proc/net/tcp{,6}. */
  static OptionalLong findListener(int port) {
    OptionalLong inode = listeningInode(port, "tcp");
    if (inode.isEmpty()) {
      inode = listeningInode(port, "tcp6");
    }
    if (inode.isEmpty()) {
      return OptionalLong.empty();
    }
    String target = "socket:[" + inode.getAsLong() + "]";
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        if (ownsSocket(proc, target)) {
          return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  private static boolean ownsSocket(Path proc, String target) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          if (Files.readSymbolicLink(fd).toString().equals(target)) {
            return true;
          }
        } catch (IOException ignored) {
          // the descriptor was closed while we looked
        }
      }
    } catch (IOException | SecurityException e) {
      return false;
    }
    return false;
  }

  private static OptionalLong listeningInode(int port, String table) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/net", table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        String local = f[1];
        int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
        if (localPort == port && Integer.parseInt(f[3], 16) == TCP_LISTEN) {
          return OptionalLong.of(Long.parseLong(f[9]));
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }
}
