package chat.irc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One IRC message, as modern.ircdocs.horse describes it:
 *
 * <pre>
 *   message = [ "@" tags SPACE ] [ ":" source SPACE ] command *( SPACE param ) [ SPACE ":" trailing ]
 *   tags    = tag *( ";" tag ),  tag = key [ "=" escaped-value ]
 * </pre>
 *
 * Atoms may be separated by several spaces (as RFC 1459 allows). {@code source} is null when absent; a tag without a
 * value has the value "". Pure: no I/O, no state.
 */
public record IrcMessage(Map<String, String> tags, String source, String command, List<String> params) {

  /** Bytes of a message without its tags, CR LF included (RFC 1459 §2.3). */
  public static final int MAX_BYTES = 512;

  public IrcMessage {
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    params = List.copyOf(params);
  }

  public static IrcMessage of(String source, String command, String... params) {
    return new IrcMessage(Map.of(), source, command, List.of(params));
  }

  public IrcMessage withTags(Map<String, String> newTags) {
    return new IrcMessage(newTags, source, command, params);
  }

  public String param(int index) {
    return index < params.size() ? params.get(index) : null;
  }

  /** Parses one line without its line ending; null for a line without a command (blank, or tags/source only). */
  public static IrcMessage parse(String line) {
    int at = skipSpaces(line, 0);
    int length = line.length();
    Map<String, String> tags = new LinkedHashMap<>();
    if (at < length && line.charAt(at) == '@') {
      int end = indexOfSpace(line, at);
      parseTags(line.substring(at + 1, end), tags);
      at = skipSpaces(line, end);
    }
    String source = null;
    if (at < length && line.charAt(at) == ':') {
      int end = indexOfSpace(line, at);
      source = line.substring(at + 1, end);
      at = skipSpaces(line, end);
    }
    if (at >= length) {
      return null;
    }
    int end = indexOfSpace(line, at);
    String command = line.substring(at, end);
    at = skipSpaces(line, end);
    List<String> params = new ArrayList<>();
    while (at < length) {
      if (line.charAt(at) == ':') {
        params.add(line.substring(at + 1));
        break;
      }
      end = indexOfSpace(line, at);
      params.add(line.substring(at, end));
      at = skipSpaces(line, end);
    }
    return new IrcMessage(tags, source, command, params);
  }

  /** The message as a line, without its line ending. */
  public String serialize() {
    StringBuilder out = new StringBuilder(64);
    if (!tags.isEmpty()) {
      out.append('@');
      boolean first = true;
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        if (!first) {
          out.append(';');
        }
        first = false;
        out.append(tag.getKey());
        if (!tag.getValue().isEmpty()) {
          out.append('=');
          escapeTagValue(tag.getValue(), out);
        }
      }
      out.append(' ');
    }
    if (source != null) {
      out.append(':').append(source).append(' ');
    }
    out.append(command);
    for (int i = 0; i < params.size(); i++) {
      String param = params.get(i);
      out.append(' ');
      boolean last = i == params.size() - 1;
      if (last && (param.isEmpty() || param.startsWith(":") || param.indexOf(' ') >= 0)) {
        out.append(':');
      }
      out.append(param);
    }
    return out.toString();
  }

  /** The UTF-8 length of the message without tags and line ending. */
  public int bytesWithoutTags() {
    return withTags(Map.of()).serialize().getBytes(StandardCharsets.UTF_8).length;
  }

  // tag-value escapes: \: is ';', \s is ' ', \\ is '\', \r and \n; any other escaped character is itself, and a
  // lone trailing backslash is dropped.
  static String unescapeTagValue(String value) {
    if (value.indexOf('\\') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i == value.length()) {
        break;
      }
      char next = value.charAt(i);
      out.append(switch (next) {
        case ':' -> ';';
        case 's' -> ' ';
        case 'r' -> '\r';
        case 'n' -> '\n';
        default -> next;
      });
    }
    return out.toString();
  }

  static void escapeTagValue(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case ';' -> out.append("\\:");
        case ' ' -> out.append("\\s");
        case '\\' -> out.append("\\\\");
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  private static void parseTags(String raw, Map<String, String> tags) {
    for (String tag : raw.split(";")) {
      if (tag.isEmpty()) {
        continue;
      }
      int equals = tag.indexOf('=');
      if (equals < 0) {
        tags.put(tag, "");
      } else {
        tags.put(tag.substring(0, equals), unescapeTagValue(tag.substring(equals + 1)));
      }
    }
  }

  private static int indexOfSpace(String line, int from) {
    int space = line.indexOf(' ', from);
    return space < 0 ? line.length() : space;
  }

  private static int skipSpaces(String line, int from) {
    while (from < line.length() && line.charAt(from) == ' ') {
      from++;
    }
    return from;
  }

  /** {@code nick!user@host} split into its parts; absent parts are "". */
  public record UserHost(String nick, String user, String host) {

    public static UserHost split(String source) {
      int at = source.indexOf('@');
      String host = at < 0 ? "" : source.substring(at + 1);
      String nickUser = at < 0 ? source : source.substring(0, at);
      int bang = nickUser.indexOf('!');
      return bang < 0
          ? new UserHost(nickUser, "", host)
          : new UserHost(nickUser.substring(0, bang), nickUser.substring(bang + 1), host);
    }
  }

  /**
   * Splits {@code text} into pieces that each fit in a message whose other parts take {@code overhead} bytes, so the
   * whole stays within {@link #MAX_BYTES}: at the last space that fits where there is one, never inside a UTF-8
   * sequence.
   */
  public static List<String> splitText(String text, int overhead) {
    int budget = Math.max(16, MAX_BYTES - 2 - overhead);
    List<String> pieces = new ArrayList<>();
    String rest = text;
    while (rest.getBytes(StandardCharsets.UTF_8).length > budget) {
      int cut = 0;
      int bytes = 0;
      int lastSpace = -1;
      while (cut < rest.length()) {
        int cp = rest.codePointAt(cut);
        int size = utf8Length(cp);
        if (bytes + size > budget) {
          break;
        }
        if (cp == ' ') {
          lastSpace = cut;
        }
        bytes += size;
        cut += Character.charCount(cp);
      }
      if (lastSpace > 0) {
        pieces.add(rest.substring(0, lastSpace));
        rest = rest.substring(lastSpace + 1);
      } else {
        pieces.add(rest.substring(0, cut));
        rest = rest.substring(cut);
      }
    }
    pieces.add(rest);
    return pieces;
  }

  /**
   * The text of a message from {@code source} in pieces that each fit within {@link #MAX_BYTES}: text a client could
   * have sent in one line (its shortest form, without the source, within the limit) is only over by the source and
   * is cut to fit, as other servers do; longer text (a line-protocol user's, up to its own limit) is split.
   */
  public static List<String> fitText(String source, String command, String target, String text) {
    int overhead = of(source, command, target, text).bytesWithoutTags() - text.getBytes(StandardCharsets.UTF_8).length;
    if (of(null, command, target, text).bytesWithoutTags() <= MAX_BYTES - 2) {
      return List.of(truncate(text, overhead));
    }
    return splitText(text, overhead);
  }

  /** The longest prefix of {@code text}, whole code points only, that fits beside {@code overhead} bytes. */
  public static String truncate(String text, int overhead) {
    int budget = MAX_BYTES - 2 - overhead;
    int bytes = 0;
    int cut = 0;
    while (cut < text.length()) {
      int cp = text.codePointAt(cut);
      if (bytes + utf8Length(cp) > budget) {
        break;
      }
      bytes += utf8Length(cp);
      cut += Character.charCount(cp);
    }
    return text.substring(0, cut);
  }

  private static int utf8Length(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
