package chat;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Names;
import chat.line.Texts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Pipelined sequences for the lane: a sender writes all its lines in one write, and must get every answer in the
 * order of its lines, whatever mix of commands; a receiver in its room must get the sender's room lines in order.
 * Shared by the single-node and the clustered tests, in either locale.
 */
public final class LaneSequences {

  /** The two users of a case, in {@code room} together before the sequence starts. */
  public record Users(String sender, String receiver, String room) {
  }

  public record Case(String name, Function<Users, List<String>> input, Function<Users, List<String>> senderSees,
      Function<Users, List<String>> receiverSees) {
    @Override
    public String toString() {
      return name;
    }
  }

  private LaneSequences() {
  }

  public static Stream<Case> cases(Texts t) {
    return Stream.of(
        new Case("queries then local help",
            u -> List.of("/who", "/rooms", "/help"),
            u -> List.of(t.who(u.room(), List.of(u.sender(), u.receiver())), t.rooms(Map.of(u.room(), 2)), t.help()),
            u -> List.of()),
        new Case("private message, action, rename, unknown command",
            u -> List.of("/msg " + u.receiver() + " hi", "/me waves", "/nick " + u.sender() + "x", "/bogus"),
            u -> List.of(t.whispered(u.sender(), u.receiver(), "hi"), t.acted(u.sender(), "waves"),
                t.renamed(u.sender(), u.sender() + "x"), t.unknownCommand("/bogus")),
            u -> List.of(t.whispered(u.sender(), u.receiver(), "hi"), t.acted(u.sender(), "waves"),
                t.renamed(u.sender(), u.sender() + "x"))),
        new Case("message, who, join, who, rooms, action",
            u -> List.of("hello", "/who", "/join " + u.room() + "b", "/who", "/rooms", "/me is here"),
            u -> List.of(t.said(u.sender(), "hello"), t.who(u.room(), List.of(u.sender(), u.receiver())),
                t.joined(u.sender()), t.who(u.room() + "b", List.of(u.sender())),
                t.rooms(counts(u.room(), 1, u.room() + "b", 1)), t.acted(u.sender(), "is here")),
            u -> List.of(t.said(u.sender(), "hello"), t.left(u.sender()))),
        new Case("errors between messages",
            u -> List.of("/msg nobody" + u.sender() + " hi", "/join", "one", "/nick", "/join !bad", "two", "/help"),
            u -> List.of(t.noSuchUser("nobody" + u.sender()), t.usage("/join room"), t.said(u.sender(), "one"),
                t.usage("/nick name"), t.invalidRoom(Names.Problem.BAD_CHARACTER), t.said(u.sender(), "two"),
                t.help()),
            u -> List.of(t.said(u.sender(), "one"), t.said(u.sender(), "two"))),
        new Case("taken name, case-only rename, message",
            u -> List.of("/nick " + u.receiver(), "/nick " + u.sender().toUpperCase(), "after", "/who"),
            u -> List.of(t.nameInUse(u.receiver()), t.renamed(u.sender(), u.sender().toUpperCase()),
                t.said(u.sender().toUpperCase(), "after"),
                t.who(u.room(), List.of(u.sender().toUpperCase(), u.receiver()))),
            u -> List.of(t.renamed(u.sender(), u.sender().toUpperCase()), t.said(u.sender().toUpperCase(), "after"))),
        new Case("private message to self, rename, message",
            u -> List.of("/msg " + u.sender() + " note", "/nick " + u.sender() + "y", "/msg " + u.sender() + "y again",
                "bye"),
            u -> List.of(t.whispered(u.sender(), u.sender(), "note"), t.renamed(u.sender(), u.sender() + "y"),
                t.whispered(u.sender() + "y", u.sender() + "y", "again"), t.said(u.sender() + "y", "bye")),
            u -> List.of(t.renamed(u.sender(), u.sender() + "y"), t.said(u.sender() + "y", "bye"))));
  }

  /** Writes the case's lines in one write. */
  public static void send(LineClient client, Case c, Users users) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String line : c.input().apply(users)) {
      bytes.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    client.sendRaw(bytes.toByteArray());
  }

  /** The sender's next lines are exactly its answers, in order; the receiver's next lines exactly its own. */
  public static void verify(Case c, Users users, LineClient sender, LineClient receiver) {
    List<String> expected = c.senderSees().apply(users);
    assertThat(next(sender, expected.size())).as(c.name()).containsExactlyElementsOf(expected);
    List<String> relayed = c.receiverSees().apply(users);
    assertThat(next(receiver, relayed.size())).as(c.name()).containsExactlyElementsOf(relayed);
  }

  private static List<String> next(LineClient client, int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(client.next());
    }
    return lines;
  }

  private static Map<String, Integer> counts(String room1, int count1, String room2, int count2) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put(room1, count1);
    counts.put(room2, count2);
    return new java.util.TreeMap<>(counts);
  }
}
