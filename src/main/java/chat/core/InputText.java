package chat.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Turns the bytes of one framed line into text the rest of the server may see. */
public final class InputText {

  private static final ThreadLocal<CharsetDecoder> DECODER = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8
      .newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT));

  private InputText() {
  }

  /** Strict UTF-8: empty when the bytes are not valid UTF-8 (overlong forms and lone surrogates included). */
  public static Optional<String> decode(byte[] line) {
    if (isAscii(line)) {
      return Optional.of(new String(line, StandardCharsets.US_ASCII));
    }
    try {
      CharBuffer chars = DECODER.get().reset().decode(ByteBuffer.wrap(line));
      return Optional.of(chars.toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Removes C0 controls except TAB (which becomes a space), DEL and C1 controls. */
  public static String sanitize(String text) {
    int i = 0;
    while (i < text.length() && !isControl(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder clean = new StringBuilder(text.length());
    clean.append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\t') {
        clean.append(' ');
      } else if (!isControl(c)) {
        clean.append(c);
      }
    }
    return clean.toString();
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }
}
