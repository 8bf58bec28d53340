package chat.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node that is not granting names (merging back into its cluster, or putting back the names a member's departure
 * cost it) refuses every name without touching the map, and gives names out again once it grants.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReservationsTest {

  @Test
  void aNameAskedForWhileNotGrantingIsRefusedAndStaysFree(Vertx vertx, VertxTestContext test) {
    AtomicBoolean granting = new AtomicBoolean(false);
    Reservations.open(vertx, granting::get)
        .compose(names -> names.reserve("ada", "node/1/1")
            .compose(whileSettling -> {
              granting.set(true);
              return names.reserve("ada", "node/1/2").map(once -> whileSettling + " " + once);
            })
            .compose(answers -> names.reserve("ada", "node/1/3").map(again -> answers + " " + again)))
        .onComplete(test.succeeding(answers -> test.verify(() -> {
          assertThat(answers).isEqualTo("false true false");
          test.completeNow();
        })));
  }
}
