package chat.bench.reference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Optional;

/**
 * The reference IRC server: ngIRCd from the distribution's package, run in the foreground ({@code ngircd -n -f
 * <dir>/ngircd.conf}) with a configuration of its own in a directory of its own, so nothing of a system-wide
 * installation is read. Its limits are relaxed as far as the configuration allows; what stays is in
 * docs/benchmarks.md ("IRC fan-out").
 */
public final class Ngircd {

  /** Where Debian installs it; {@code sbin} is not on every user's PATH. */
  private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/ngircd"), Path.of("/usr/local/sbin/ngircd"));

  /** ngIRCd refuses to keep root: started as root, it switches to this user and group. */
  static final String UNPRIVILEGED_USER = "nobody";
  static final String UNPRIVILEGED_GROUP = "nogroup";

  private Ngircd() {
  }

  /** The ngircd binary, when installed. */
  public static Optional<Path> binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "ngircd"))) {
        return Optional.of(Path.of(dir, "ngircd"));
      }
    }
    return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
  }

  /** The command that runs ngIRCd in the foreground on the configuration written by {@link #writeConfig}. */
  public static List<String> command(Path binary, Path config) {
    return List.of(binary.toString(), "--nodaemon", "--config", config.toString());
  }

  /**
   * Writes {@code dir/ngircd.conf} (and the empty {@code dir/conf.d} it includes) for one server on
   * {@code host:port}; returns the file. When this process is root, ngIRCd is told to drop to an unprivileged
   * user, which then owns {@code dir} for its pid file.
   */
  public static Path writeConfig(Path dir, String host, int port) throws IOException {
    Files.createDirectories(dir.resolve("conf.d"));
    boolean root = "root".equals(System.getProperty("user.name"));
    Path config = dir.resolve("ngircd.conf");
    Files.writeString(config, config(dir, host, port, root));
    if (root) {
      giveToUnprivilegedUser(dir);
      giveToUnprivilegedUser(dir.resolve("conf.d"));
    }
    return config;
  }

  static String config(Path dir, String host, int port, boolean root) {
    String privileges = root ? """
        ServerUID = %s
        ServerGID = %s
        """.formatted(UNPRIVILEGED_USER, UNPRIVILEGED_GROUP) : "";
    return """
        # Written by the load generator (bench ngircd-config): the reference IRC server of the IRC fan-out benchmark.
        [Global]
        Name = ngircd.bench
        Info = reference IRC server for the chat benchmarks
        Listen = %s
        Ports = %d
        MotdPhrase = benchmark
        PidFile = %s
        %s
        [Limits]
        # No caps on connections, per address or in total, nor on channels per user.
        MaxConnections = 0
        MaxConnectionsIP = 0
        MaxJoins = 0
        # The generator's nicks are longer than RFC 2812's 9 characters.
        MaxNickLength = 30
        # No penalty time: a command never delays the connection's next ones.
        MaxPenaltyTime = 0
        # An unregistered connection is dropped after PongTimeout seconds without data. Its listen backlog is 10
        # (compiled in), so under a storm of connections a client's first bytes can take many retransmissions to
        # get through; give them time.
        PongTimeout = 300

        [Options]
        # No DNS or ident lookups, no PAM: every client registers at once.
        DNS = no
        Ident = no
        PAM = no
        # User mode F, "relaxed flood protection", for every user: never throttled by commands or bytes per second.
        DefaultUserModes = F
        # Nothing of a system-wide installation.
        IncludeDir = %s
        """.formatted(host, port, dir.resolve("ngircd.pid"), privileges, dir.resolve("conf.d"));
  }

  private static void giveToUnprivilegedUser(Path path) throws IOException {
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    GroupPrincipal group = users.lookupPrincipalByGroupName(UNPRIVILEGED_GROUP);
    view.setOwner(users.lookupPrincipalByName(UNPRIVILEGED_USER));
    view.setGroup(group);
  }
}
