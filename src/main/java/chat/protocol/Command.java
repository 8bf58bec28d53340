package chat.protocol;

import java.util.Locale;

/** One line typed by a registered user, already decoded and sanitized. */
public sealed interface Command {

  /** A line not starting with {@code /}: said to the room as typed. */
  record Say(String text) implements Command {
  }

  record Help() implements Command {
  }

  /** {@code /who [room]}; room is null for the user's own room. */
  record Who(String room) implements Command {
  }

  record Rooms() implements Command {
  }

  /** {@code /join room} */
  record Join(String room) implements Command {
  }

  /** {@code /msg name text} */
  record Whisper(String name, String text) implements Command {
  }

  /** {@code /nick new} */
  record Nick(String name) implements Command {
  }

  /** {@code /me text} */
  record Act(String text) implements Command {
  }

  record Quit() implements Command {
  }

  /** A known command with missing arguments; {@code usage} is its grammar, e.g. {@code /join room}. */
  record Usage(String usage) implements Command {
  }

  record Unknown(String word) implements Command {
  }

  static Command parse(String line) {
    if (!line.startsWith("/")) {
      return new Say(line);
    }
    String trimmed = line.strip();
    int space = firstWhitespace(trimmed);
    String word = trimmed.substring(0, space).toLowerCase(Locale.ROOT);
    String rest = trimmed.substring(space).strip();
    return switch (word) {
      case "/help" -> new Help();
      case "/who" -> new Who(rest.isEmpty() ? null : rest);
      case "/rooms" -> new Rooms();
      case "/join" -> rest.isEmpty() ? new Usage("/join room") : new Join(rest);
      case "/msg" -> whisper(rest);
      case "/nick" -> rest.isEmpty() ? new Usage("/nick name") : new Nick(rest);
      case "/me" -> rest.isEmpty() ? new Usage("/me text") : new Act(rest);
      case "/quit" -> new Quit();
      default -> new Unknown(word);
    };
  }

  private static Command whisper(String rest) {
    int space = firstWhitespace(rest);
    String text = rest.substring(space).strip();
    if (rest.isEmpty() || text.isEmpty()) {
      return new Usage("/msg name text");
    }
    return new Whisper(rest.substring(0, space), text);
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
