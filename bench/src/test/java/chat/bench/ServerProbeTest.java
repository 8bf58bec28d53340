package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerProbeTest {

  @Test
  void g1PrintsTheWholeHeapOnOneLine() {
    String info = """
        12345:
         garbage-first heap   total 262144K, used 3584K [0x0000000080000000, 0x0000000100000000)
          region size 1024K, 2 young (2048K), 0 survivors (0K)
         Metaspace       used 9884K, committed 10112K, reserved 1114112K
          class space    used 1213K, committed 1344K, reserved 1048576K
        """;
    assertThat(ServerProbe.heapUsedBytes(info)).isEqualTo(3584L * 1024);
  }

  // A JVM that sees one processor (pinned with taskset, or a container limited to one CPU) runs the Serial collector.
  @Test
  void serialPrintsEachGenerationAndTheyAddUp() {
    String info = """
        9654:
         def new generation   total 19648K, used 11140K [0x00000000fc000000, 0x00000000fd550000, 0x00000000fd550000)
          eden space 17472K,  51% used [0x00000000fc000000, 0x00000000fc8c1350, 0x00000000fd110000)
         tenured generation   total 43712K, used 2618K [0x00000000fd550000, 0x0000000100000000, 0x0000000100000000)
           the space 43712K,   5% used [0x00000000fd550000, 0x00000000fd7de9e0, 0x00000000fd7dea00, 0x0000000100000000)
         Metaspace       used 9884K, committed 10112K, reserved 1114112K
        """;
    assertThat(ServerProbe.heapUsedBytes(info)).isEqualTo((11140L + 2618) * 1024);
  }

  @Test
  void noHeapLineIsNoFigure() {
    assertThat(ServerProbe.heapUsedBytes("12345:\n ZHeap           used 8M, capacity 32M, max capacity 64M\n"))
        .isEqualTo(-1);
  }

  @Test
  void nettysNativeEpollLibraryInTheMemoryMapMeansEpoll() {
    String maps = """
        7f1c2a000000-7f1c2a03a000 r-xp 00000000 08:01 1234 /tmp/libnetty_transport_native_epoll_x86_6412345.so
        7f1c2b000000-7f1c2b100000 r-xp 00000000 08:01 5678 /usr/lib/jvm/java-17/lib/libnio.so
        """;
    assertThat(ServerProbe.transportOf(maps)).isEqualTo("epoll");
  }

  @Test
  void noNativeTransportLibraryMeansNio() {
    assertThat(ServerProbe.transportOf("7f1c2b000000-7f1c2b100000 r-xp 00000000 08:01 5678 /usr/lib/libnio.so\n"))
        .isEqualTo("nio");
  }
}
