package chat.bench;

import chat.bench.reference.Ngircd;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ngIRCd, the reference IRC server, in its own process on a loopback port with the benchmark's configuration.
 * Tests that need it are skipped, saying so, where it is not installed.
 */
final class NgircdProcess {

  private static final Pattern LISTENING = Pattern.compile("Now listening on \\[127\\.0\\.0\\.1\\]:(\\d+)");

  private NgircdProcess() {
  }

  /** ngIRCd on a free loopback port, configured in {@code dir}; its port is {@code port(0)} of the result. */
  static ServerProcess start(Path dir) throws Exception {
    Path binary = Ngircd.binary().orElse(null);
    assumeTrue(binary != null, "ngircd is not installed (Debian: apt-get install ngircd); skipping the tests "
        + "against the reference IRC server");
    // ngIRCd takes no port 0: a port the kernel just gave out and took back is free unless another process
    // grabs it in between, which start() would report.
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path config = Ngircd.writeConfig(dir, "127.0.0.1", port);
    return ServerProcess.start(new ProcessBuilder(Ngircd.command(binary, config)), List.of(LISTENING));
  }
}
