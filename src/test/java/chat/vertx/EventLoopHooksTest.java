package chat.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pins what {@link EventLoopHooks} relies on inside Vert.x: a context's Netty loop reachable and a single-thread loop
 * with tail tasks. An upgrade that moves either fails here (or fails to compile), not silently in production.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EventLoopHooksTest {

  @Test
  void queuedTasksRunInOrderOnTheContextsThreadAndTailTasksAfterThem(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      Thread loopThread = Thread.currentThread();
      EventLoopHooks hooks = EventLoopHooks.of(context);
      List<String> ran = new ArrayList<>();
      hooks.afterIteration(() -> {
        ran.add("tail");
        test.verify(() -> {
          assertThat(Thread.currentThread()).isSameAs(loopThread);
          assertThat(ran).containsExactly("first", "second", "tail");
        });
        test.completeNow();
      });
      hooks.queue(() -> ran.add("first"));
      hooks.queue(() -> ran.add("second"));
    });
  }
}
