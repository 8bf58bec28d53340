package chat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import chat.core.Command;
import chat.core.Names;
import chat.core.Reply;
import chat.core.RoomModes;
import chat.core.RoomEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebProtocolTest {

  private final WebProtocol protocol = new WebProtocol();

  static Stream<Arguments> messages() {
    return Stream.of(
        arguments("{\"type\":\"register\",\"name\":\"ann\"}", new WebProtocol.Register("ann")),
        arguments("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\" hi\\tthere\\u0007 \"}",
            new WebProtocol.ToSession(new Command.Say("lobby", " hi there "))),
        arguments("{\"type\":\"act\",\"room\":\"dev\",\"text\":\"waves\"}",
            new WebProtocol.ToSession(new Command.Act("dev", "waves"))),
        arguments("{\"type\":\"msg\",\"to\":\"bob\",\"text\":\"psst\"}",
            new WebProtocol.ToSession(new Command.Whisper("bob", "psst"))),
        arguments("{\"type\":\"join\",\"room\":\"Dev\"}", new WebProtocol.ToSession(new Command.Join("Dev", false))),
        arguments("{\"type\":\"part\",\"room\":\"dev\"}", new WebProtocol.ToSession(new Command.Part("dev"))),
        arguments("{\"type\":\"nick\",\"name\":\"bo\"}", new WebProtocol.ToSession(new Command.Nick("bo"))),
        arguments("{\"type\":\"who\",\"room\":\"dev\"}", new WebProtocol.ToSession(new Command.Who("dev"))),
        arguments("{\"type\":\"rooms\",\"extra\":1}", new WebProtocol.ToSession(new Command.Rooms())),
        arguments("{\"type\":\"quit\"}", new WebProtocol.ToSession(new Command.Quit())),
        arguments("{\"type\":\"topic\",\"room\":\"dev\",\"text\":\"x\"}",
            new WebProtocol.ToSession(new Command.Topic("dev", "x"))),
        arguments("{\"type\":\"topic\",\"room\":\"dev\"}", new WebProtocol.ToSession(new Command.Topic("dev", null))),
        arguments("not json", new WebProtocol.Refused("invalid_json", "not a JSON object", true)),
        arguments("[1]", new WebProtocol.Refused("invalid_json", "not a JSON object", true)),
        arguments("", new WebProtocol.Refused("invalid_json", "not a JSON object", true)),
        arguments("{}", new WebProtocol.Refused("unknown_type", "missing \"type\"", true)),
        arguments("{\"type\":7}", new WebProtocol.Refused("unknown_type", "missing \"type\"", true)),
        arguments("{\"type\":\"dance\"}", new WebProtocol.Refused("unknown_type", "unknown type \"dance\"", true)),
        arguments("{\"type\":\"say\",\"room\":\"lobby\"}",
            new WebProtocol.Refused("bad_message", "say needs a string \"text\"", true)),
        arguments("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\" \\t \"}", new WebProtocol.Ignored()),
        arguments("{\"type\":\"act\",\"room\":\"lobby\",\"text\":\"  \"}",
            new WebProtocol.Refused("bad_message", "act needs a non-blank \"text\"", true)),
        arguments("{\"type\":\"register\",\"name\":5}",
            new WebProtocol.Refused("bad_message", "register needs a string \"name\"", true)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("messages")
  void clientMessagesParseToCommandsOrRefusals(String frame, WebProtocol.Input expected) {
    assertThat(protocol.parse(frame)).isEqualTo(expected);
  }

  @Test
  void roomEventsCarryRoomSenderAndServerTimeInMilliseconds() {
    long at = 1_700_000_000_123_456L;
    assertThat(protocol.room(RoomEvent.message(RoomEvent.Kind.SAID, "lobby", "ann", "<b>hi</b>", at)))
        .isEqualTo(new JsonObject("{\"type\":\"said\",\"text\":\"<b>hi</b>\",\"room\":\"lobby\",\"name\":\"ann\","
            + "\"time\":1700000000123}"));
    assertThat(protocol.room(RoomEvent.of(RoomEvent.Kind.QUIT, "dev", "bob", at)).getString("reason"))
        .isEqualTo("quit");
    assertThat(protocol.room(RoomEvent.of(RoomEvent.Kind.PARTED, "dev", "bob", at)).getString("type"))
        .isEqualTo("left");
    JsonObject nick = protocol.room(RoomEvent.renamed("dev", "bob", "rob", at));
    assertThat(nick.getString("type")).isEqualTo("nick");
    assertThat(nick.getString("newName")).isEqualTo("rob");
    assertThat(protocol.room(RoomEvent.message(RoomEvent.Kind.ACTED, "dev", "bob", "waves", at)).getString("type"))
        .isEqualTo("acted");
    assertThat(protocol.room(RoomEvent.of(RoomEvent.Kind.JOINED, "dev", "bob", at)).getString("type"))
        .isEqualTo("joined");
  }

  @Test
  void repliesRenderAsAnswersAndErrorsWithCodes() {
    assertThat(protocol.reply(new Reply.Who("dev", List.of("a", "b"), RoomModes.NONE)).getJsonArray("names"))
        .isEqualTo(new JsonArray(List.of("a", "b")));
    JsonArray rooms = protocol.reply(new Reply.RoomList(new TreeMap<>(Map.of("dev", 2, "lobby", 5))))
        .getJsonArray("rooms");
    assertThat(rooms).containsExactly(new JsonObject().put("room", "dev").put("count", 2),
        new JsonObject().put("room", "lobby").put("count", 5));
    JsonObject whisper = protocol.reply(new Reply.Whispered("ann", "bob", "psst", 2_000_000L, false));
    assertThat(whisper).isEqualTo(new JsonObject("{\"type\":\"private\",\"from\":\"ann\",\"to\":\"bob\","
        + "\"text\":\"psst\",\"time\":2000}"));
    assertThat(protocol.reply(new Reply.Prompt()).getString("type")).isEqualTo("prompt");
    Map<Reply, String> codes = Map.of(
        new Reply.NameTaken("ann"), "name_taken",
        new Reply.InvalidName("*x", Names.Problem.BAD_CHARACTER), "invalid_name",
        new Reply.NameInUse("ann"), "name_in_use",
        new Reply.InvalidRoom("!x", Names.Problem.BAD_START), "invalid_room",
        new Reply.AlreadyInRoom("dev"), "already_in_room",
        new Reply.NotInRoom("dev"), "not_in_room",
        new Reply.NoSuchUser("zed"), "no_such_user",
        new Reply.Refused("flood", "slow down"), "flood");
    codes.forEach((reply, code) -> {
      JsonObject error = protocol.reply(reply);
      assertThat(error.getString("type")).as(code).isEqualTo("error");
      assertThat(error.getString("code")).isEqualTo(code);
      assertThat(error.getString("text")).isNotBlank();
      assertThat(error.getLong("time")).isPositive();
    });
  }
}
