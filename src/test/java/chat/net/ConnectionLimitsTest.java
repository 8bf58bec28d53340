package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.ops.ChatMetrics.ConnectionRefusal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ConnectionLimitsTest {

  @Test
  void anAddressAtItsCapIsRefusedUntilOneOfItsConnectionsCloses() {
    ConnectionLimits limits = new ConnectionLimits(2, 0);

    assertThat(limits.admit("10.0.0.1")).isEmpty();
    assertThat(limits.admit("10.0.0.1")).isEmpty();
    assertThat(limits.admit("10.0.0.1")).contains(ConnectionRefusal.PER_IP);
    assertThat(limits.admit("10.0.0.2")).isEmpty();
    limits.release("10.0.0.1");
    assertThat(limits.admit("10.0.0.1")).isEmpty();
  }

  @Test
  void theNodeCapCountsEveryAddress() {
    ConnectionLimits limits = new ConnectionLimits(0, 2);

    assertThat(limits.admit("a")).isEmpty();
    assertThat(limits.admit("b")).isEmpty();
    assertThat(limits.admit("c")).contains(ConnectionRefusal.MAX);
    limits.release("a");
    assertThat(limits.admit("c")).isEmpty();
  }

  @Test
  void aRefusalByAddressDoesNotUseUpTheNodeCap() {
    ConnectionLimits limits = new ConnectionLimits(1, 2);

    assertThat(limits.admit("a")).isEmpty();
    for (int i = 0; i < 5; i++) {
      assertThat(limits.admit("a")).contains(ConnectionRefusal.PER_IP);
    }
    assertThat(limits.admit("b")).isEmpty();
    assertThat(limits.admit("c")).contains(ConnectionRefusal.MAX);
  }

  @Test
  void noEntryOutlivesTheConnectionsOfItsAddress() {
    ConnectionLimits limits = new ConnectionLimits(3, 0);
    for (int i = 0; i < 100; i++) {
      limits.admit("10.0.0." + i);
      limits.admit("10.0.0." + i);
    }
    for (int i = 0; i < 100; i++) {
      limits.release("10.0.0." + i);
      limits.release("10.0.0." + i);
    }

    assertThat(limits.addressesTracked()).isZero();
  }

  @Test
  void concurrentAdmissionsNeverPassTheCaps() throws Exception {
    ConnectionLimits limits = new ConnectionLimits(10, 50);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> admitted = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        admitted.add(pool.submit(() -> {
          int n = 0;
          for (int i = 0; i < 1000; i++) {
            if (limits.admit("10.0.0." + (i % 4)).isEmpty()) {
              n++;
            }
          }
          return n;
        }));
      }
      int total = 0;
      for (Future<Integer> f : admitted) {
        total += f.get(10, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(40);
    } finally {
      pool.shutdownNow();
    }
  }
}
