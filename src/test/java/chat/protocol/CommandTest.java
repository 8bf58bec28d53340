package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import chat.protocol.Command.Act;
import chat.protocol.Command.Help;
import chat.protocol.Command.Join;
import chat.protocol.Command.Nick;
import chat.protocol.Command.Quit;
import chat.protocol.Command.Rooms;
import chat.protocol.Command.Say;
import chat.protocol.Command.Unknown;
import chat.protocol.Command.Usage;
import chat.protocol.Command.Whisper;
import chat.protocol.Command.Who;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandTest {

  static Stream<Arguments> lines() {
    return Stream.of(
        // /help
        arguments("/help", new Help()),
        arguments("/HELP", new Help()),
        arguments("/help me please", new Help()),
        // /who [room]
        arguments("/who", new Who(null)),
        arguments("/who   ", new Who(null)),
        arguments("/who dev", new Who("dev")),
        arguments("/WhO Dev", new Who("Dev")),
        // /rooms
        arguments("/rooms", new Rooms()),
        arguments("/ROOMS", new Rooms()),
        // /join room
        arguments("/join dev", new Join("dev")),
        arguments("/JOIN Dev", new Join("Dev")),
        arguments("/join   dev  ", new Join("dev")),
        arguments("/join", new Usage("/join room")),
        arguments("/join   ", new Usage("/join room")),
        // /msg name text
        arguments("/msg bob hello there", new Whisper("bob", "hello there")),
        arguments("/MSG Bob hi", new Whisper("Bob", "hi")),
        arguments("/msg bob   two  spaces inside", new Whisper("bob", "two  spaces inside")),
        arguments("/msg bob", new Usage("/msg name text")),
        arguments("/msg bob   ", new Usage("/msg name text")),
        arguments("/msg", new Usage("/msg name text")),
        // /nick new
        arguments("/nick carol", new Nick("carol")),
        arguments("/Nick Carol", new Nick("Carol")),
        arguments("/nick", new Usage("/nick name")),
        // /me text
        arguments("/me waves hello", new Act("waves hello")),
        arguments("/ME waves", new Act("waves")),
        arguments("/me", new Usage("/me text")),
        // /quit
        arguments("/quit", new Quit()),
        arguments("/QUIT", new Quit()),
        arguments("/quit bye all", new Quit()),
        // anything else starting with /
        arguments("/dance", new Unknown("/dance")),
        arguments("/dance wildly", new Unknown("/dance")),
        arguments("//join dev", new Unknown("//join")),
        arguments("/", new Unknown("/")),
        // not a command
        arguments("hello", new Say("hello")),
        arguments("  hello there  ", new Say("  hello there  ")),
        arguments(" /quit", new Say(" /quit")),
        arguments("hello /quit", new Say("hello /quit")),
        arguments("안녕 😀", new Say("안녕 😀")));
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @MethodSource("lines")
  void linesParseToCommands(String line, Command expected) {
    assertThat(Command.parse(line)).isEqualTo(expected);
  }
}
