package chat.core;

import java.text.Normalizer;

/**
 * The name rules, shared by user names and room names.
 *
 * <p>A name is 1 to 32 code points after trimming and NFC normalisation: letters, combining marks and digits of any
 * script plus {@code _ - .}, starting with a letter or digit. Uniqueness is decided on {@link Valid#key()}, the
 * lower-cased form, so {@code Alice} and {@code alice} are the same name.
 */
public final class Names {

  public static final int MAX_CODE_POINTS = 32;

  public sealed interface Check permits Valid, Invalid {
  }

  public record Valid(String display, String key) implements Check {
  }

  public record Invalid(Problem problem) implements Check {
  }

  public enum Problem { EMPTY, TOO_LONG, BAD_START, BAD_CHARACTER }

  private Names() {
  }

  public static Check check(String raw) {
    String name = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
    if (name.isEmpty()) {
      return new Invalid(Problem.EMPTY);
    }
    if (name.codePointCount(0, name.length()) > MAX_CODE_POINTS) {
      return new Invalid(Problem.TOO_LONG);
    }
    int first = name.codePointAt(0);
    if (!Character.isLetterOrDigit(first)) {
      return new Invalid(isAllowed(first) ? Problem.BAD_START : Problem.BAD_CHARACTER);
    }
    boolean allowed = name.codePoints().allMatch(Names::isAllowed);
    return allowed ? new Valid(name, key(name)) : new Invalid(Problem.BAD_CHARACTER);
  }

  /**
   * The case-insensitive identity of an already valid name: a per-character fold, since {@link String#toLowerCase}
   * is context-sensitive (a final capital sigma lowers to ς) and would give one name two keys.
   */
  public static String key(String validName) {
    StringBuilder key = new StringBuilder(validName.length());
    validName.codePoints().forEach(cp -> key.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
    return key.toString();
  }

  private static boolean isAllowed(int codePoint) {
    if (Character.isLetterOrDigit(codePoint) || codePoint == '_' || codePoint == '-' || codePoint == '.') {
      return true;
    }
    int type = Character.getType(codePoint);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }
}
