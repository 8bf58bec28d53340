package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoomHistoryTest {

  private static final long SECOND = 1_000_000;
  private static final long T0 = 1_800_000_000L * SECOND;

  private static RoomEvent said(String room, String name, String text, long at) {
    return RoomEvent.message(RoomEvent.Kind.SAID, room, name, text, at);
  }

  private static List<String> texts(List<RoomHistory.Line> lines) {
    return lines.stream().map(line -> line.event().text()).toList();
  }

  @Test
  void keepsTheLastLinesOfEachRoomInOrder() {
    RoomHistory history = new RoomHistory(3, 3600 * SECOND, 10);
    for (int i = 0; i < 5; i++) {
      history.add(i, said("dev", "alice", "m" + i, T0 + i));
    }
    history.add(5, said("ops", "bob", "other room", T0 + 5));

    assertThat(texts(history.last("dev", 10, T0 + 10))).containsExactly("m2", "m3", "m4");
    assertThat(texts(history.last("dev", 2, T0 + 10))).containsExactly("m3", "m4");
    assertThat(history.last("dev", 2, T0 + 10)).extracting(RoomHistory.Line::seq).containsExactly(3L, 4L);
    assertThat(texts(history.last("ops", 10, T0 + 10))).containsExactly("other room");
    assertThat(history.lineCount()).isEqualTo(4);
    assertThat(history.roomCount()).isEqualTo(2);
  }

  @Test
  void keepsWhatWasSaidAndTopicsButNotJoinsLeavesOrRenames() {
    RoomHistory history = new RoomHistory(10, 3600 * SECOND, 10);
    history.add(0, RoomEvent.of(RoomEvent.Kind.JOINED, "dev", "alice", T0));
    history.add(1, said("dev", "alice", "hi", T0 + 1));
    history.add(2, RoomEvent.message(RoomEvent.Kind.ACTED, "dev", "alice", "waves", T0 + 2));
    history.add(3, RoomEvent.renamed("dev", "alice", "alicia", T0 + 3));
    history.add(4, RoomEvent.message(RoomEvent.Kind.NOTICED, "dev", "alicia", "note", T0 + 4));
    history.add(5, new RoomEvent(RoomEvent.Kind.TOPIC, "dev", "alicia", null, "plans", T0 + 5, 0, 0));
    history.add(6, RoomEvent.of(RoomEvent.Kind.PARTED, "dev", "alicia", T0 + 6));
    history.add(7, RoomEvent.of(RoomEvent.Kind.QUIT, "dev", "bob", T0 + 7));

    assertThat(history.last("dev", 10, T0 + 10)).extracting(line -> line.event().kind()).containsExactly(
        RoomEvent.Kind.SAID, RoomEvent.Kind.ACTED, RoomEvent.Kind.NOTICED, RoomEvent.Kind.TOPIC);
  }

  @Test
  void dropsLinesOlderThanTheAgeLimit() {
    RoomHistory history = new RoomHistory(10, 60 * SECOND, 10);
    history.add(0, said("dev", "alice", "old", T0));
    history.add(1, said("dev", "alice", "newer", T0 + 30 * SECOND));

    assertThat(texts(history.last("dev", 10, T0 + 59 * SECOND))).containsExactly("old", "newer");
    assertThat(texts(history.last("dev", 10, T0 + 61 * SECOND))).containsExactly("newer");
    assertThat(history.last("dev", 10, T0 + 91 * SECOND)).isEmpty();
    assertThat(history.roomCount()).isZero();
    assertThat(history.lineCount()).isZero();
  }

  @Test
  void dropsTheLeastRecentlyUsedRoomBeyondTheRoomLimit() {
    RoomHistory history = new RoomHistory(10, 3600 * SECOND, 2);
    history.add(0, said("a", "alice", "in a", T0));
    history.add(1, said("b", "alice", "in b", T0 + 1));
    history.last("a", 10, T0 + 2);
    history.add(2, said("c", "alice", "in c", T0 + 3));

    assertThat(history.last("b", 10, T0 + 4)).as("b was used least recently").isEmpty();
    assertThat(texts(history.last("a", 10, T0 + 4))).containsExactly("in a");
    assertThat(texts(history.last("c", 10, T0 + 4))).containsExactly("in c");
    assertThat(history.roomCount()).isEqualTo(2);
    assertThat(history.lineCount()).isEqualTo(2);
  }

  @Test
  void zeroLinesOrZeroRoomsKeepsNothing() {
    for (RoomHistory off : List.of(new RoomHistory(0, 60 * SECOND, 10), new RoomHistory(10, 60 * SECOND, 0))) {
      off.add(0, said("dev", "alice", "hi", T0));
      assertThat(off.enabled()).isFalse();
      assertThat(off.last("dev", 10, T0)).isEmpty();
      assertThat(off.lineCount()).isZero();
    }
  }

  @Test
  void forgetAndClearDropRooms() {
    RoomHistory history = new RoomHistory(10, 3600 * SECOND, 10);
    history.add(0, said("a", "alice", "x", T0));
    history.add(1, said("b", "alice", "y", T0));
    history.forget("a");
    assertThat(history.last("a", 10, T0)).isEmpty();
    assertThat(history.lineCount()).isEqualTo(1);
    history.clear();
    assertThat(history.roomCount()).isZero();
    assertThat(history.lineCount()).isZero();
  }

  @Test
  void selectsBeforeAfterAroundAndLatestByPositionTimeOrMessageId() {
    RoomHistory history = new RoomHistory(100, 3600 * SECOND, 10);
    for (int i = 0; i < 10; i++) {
      history.add(100 + i, said("dev", i % 2 == 0 ? "alice" : "bob", "m" + i, T0 + i * SECOND));
    }
    long now = T0 + 20 * SECOND;
    RoomHistory.Query.Kind before = RoomHistory.Query.Kind.BEFORE;
    RoomHistory.Query.Kind after = RoomHistory.Query.Kind.AFTER;
    RoomHistory.Query.Kind around = RoomHistory.Query.Kind.AROUND;
    RoomHistory.Query.Kind latest = RoomHistory.Query.Kind.LATEST;

    assertThat(texts(history.select("dev", RoomHistory.Query.latest(3), now))).containsExactly("m7", "m8", "m9");
    assertThat(texts(history.select("dev", new RoomHistory.Query(before, 105, -1, null, 2), now)))
        .containsExactly("m3", "m4");
    assertThat(texts(history.select("dev", new RoomHistory.Query(after, 105, -1, null, 2), now)))
        .containsExactly("m6", "m7");
    assertThat(texts(history.select("dev", new RoomHistory.Query(around, 105, -1, null, 3), now)))
        .containsExactly("m4", "m5", "m6");
    assertThat(texts(history.select("dev", new RoomHistory.Query(latest, 107, -1, null, 10), now)))
        .as("latest after a point").containsExactly("m8", "m9");
    // A message id: the line of that sender at that time.
    assertThat(texts(history.select("dev", new RoomHistory.Query(before, -1, T0 + 4 * SECOND, "ALICE", 2), now)))
        .containsExactly("m2", "m3");
    // A time between lines: before and after it.
    assertThat(texts(history.select("dev", new RoomHistory.Query(after, -1, T0 + 4 * SECOND + 1, null, 2), now)))
        .containsExactly("m5", "m6");
    assertThat(texts(history.select("dev", new RoomHistory.Query(before, -1, T0 + 4 * SECOND + 1, null, 2), now)))
        .containsExactly("m3", "m4");
    assertThat(history.select("dev", new RoomHistory.Query(after, -1, -1, null, 2), now))
        .as("after nothing").isEmpty();
    assertThat(history.select("nowhere", RoomHistory.Query.latest(5), now)).isEmpty();
  }
}
