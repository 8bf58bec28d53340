package chat.line;

import chat.core.Command;
import chat.core.Effect;
import chat.core.RoomHistory;
import chat.core.Session;
import java.util.List;
import java.util.Locale;

/** The line protocol's commands: one decoded, sanitized line of a registered user as a core {@link Command}. */
public final class LineCommands {

  private LineCommands() {
  }

  /**
   * One decoded, sanitized line for {@code session}: a name at the prompt ({@code /quit} closes), a command after
   * (blank lines are dropped).
   */
  public static List<Effect> onLine(Session session, String line) {
    if (session.closed()) {
      return List.of();
    }
    if (!session.registered()) {
      return isQuit(line) ? session.onCommand(new Command.Quit()) : session.register(line);
    }
    return line.isBlank() ? List.of() : session.onCommand(parse(line, session.rooms().iterator().next()));
  }

  /**
   * {@code room} is the user's current room: the line protocol's user is in exactly one, which messages, {@code /me}
   * and a bare {@code /who} address, and which {@code /join} leaves.
   */
  public static Command parse(String line, String room) {
    if (!line.startsWith("/")) {
      return new Command.Say(room, line);
    }
    String trimmed = line.strip();
    int space = firstWhitespace(trimmed);
    String word = trimmed.substring(0, space).toLowerCase(Locale.ROOT);
    String rest = trimmed.substring(space).strip();
    return switch (word) {
      case "/help" -> new Command.Help();
      // /who [room]
      case "/who" -> new Command.Who(rest.isEmpty() ? room : rest);
      case "/rooms" -> new Command.Rooms();
      // /join room
      case "/join" -> rest.isEmpty() ? new Command.Incomplete("/join room") : new Command.Join(rest, true);
      // /msg name text
      case "/msg" -> whisper(rest);
      // /nick name
      case "/nick" -> rest.isEmpty() ? new Command.Incomplete("/nick name") : new Command.Nick(rest);
      // /me text
      case "/me" -> rest.isEmpty() ? new Command.Incomplete("/me text") : new Command.Act(room, rest);
      // /topic [text]
      case "/topic" -> new Command.Topic(room, rest.isEmpty() ? null : rest);
      // /history [n]
      case "/history" -> history(room, rest);
      case "/quit" -> new Command.Quit();
      default -> new Command.Unknown(word);
    };
  }

  /** At the name prompt, {@code /quit} (any case, surrounding blanks ignored) closes the connection. */
  static boolean isQuit(String line) {
    return line.strip().equalsIgnoreCase("/quit");
  }

  private static Command whisper(String rest) {
    int space = firstWhitespace(rest);
    String text = rest.substring(space).strip();
    if (rest.isEmpty() || text.isEmpty()) {
      return new Command.Incomplete("/msg name text");
    }
    return new Command.Whisper(rest.substring(0, space), text);
  }

  /** Without a count, as many as the room keeps; the rooms cap any count at that. */
  private static Command history(String room, String rest) {
    if (rest.isEmpty()) {
      return new Command.History(room, RoomHistory.Query.latest(Integer.MAX_VALUE));
    }
    if (!rest.matches("[0-9]{1,6}") || Integer.parseInt(rest) == 0) {
      return new Command.Incomplete("/history [lines]");
    }
    return new Command.History(room, RoomHistory.Query.latest(Integer.parseInt(rest)));
  }

  private static int firstWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return text.length();
  }
}
