package chat.line;

import java.util.Arrays;

/**
 * Splits a byte stream into lines on {@code \n}, dropping a trailing {@code \r}.
 *
 * <p>Memory stays bounded whatever arrives: at most {@code maxLineBytes + 1} bytes are buffered (the extra byte is a
 * {@code \r} that may still turn out to be part of a line ending). A longer line is reported once through
 * {@link Sink#tooLong()} and everything after it is ignored, because the connection is about to be closed.
 */
public final class LineFramer {

  public interface Sink {
    void line(byte[] line);

    void tooLong();
  }

  private static final byte[] EMPTY = new byte[0];
  private static final int INITIAL_CAPACITY = 128;

  private final int maxLineBytes;
  private byte[] buffer = EMPTY;
  private int length;
  private boolean failed;

  public LineFramer(int maxLineBytes) {
    if (maxLineBytes < 1 || maxLineBytes == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxLineBytes must be between 1 and " + (Integer.MAX_VALUE - 1));
    }
    this.maxLineBytes = maxLineBytes;
  }

  public void feed(byte[] data, Sink sink) {
    feed(data, 0, data.length, sink);
  }

  public void feed(byte[] data, int offset, int count, Sink sink) {
    int start = offset;
    int end = offset + count;
    for (int i = offset; i < end && !failed; i++) {
      if (data[i] == '\n') {
        sink.line(length == 0 ? withoutCr(data, start, i) : completeBuffered(data, start, i));
        start = i + 1;
      } else if (length + (i - start) + 1 > maxLineBytes + 1
          || (length + (i - start) + 1 == maxLineBytes + 1 && data[i] != '\r')) {
        fail(sink);
      }
    }
    if (!failed && start < end) {
      append(data, start, end - start);
    }
  }

  /** True when bytes of an unfinished line are waiting for their newline. */
  public boolean hasPartial() {
    return !failed && length > 0;
  }

  /** Takes the unfinished line as complete (legacy idle flush, or end of stream). */
  public byte[] takePartial() {
    return failed ? EMPTY : takeBuffered();
  }

  public boolean failed() {
    return failed;
  }

  private void fail(Sink sink) {
    failed = true;
    buffer = EMPTY;
    length = 0;
    sink.tooLong();
  }

  private void append(byte[] data, int from, int count) {
    if (count == 0) {
      return;
    }
    int needed = length + count;
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.min(maxLineBytes + 1, Math.max(needed, Math.max(INITIAL_CAPACITY, buffer.length * 2))));
    }
    System.arraycopy(data, from, buffer, length, count);
    length = needed;
  }

  private byte[] completeBuffered(byte[] data, int from, int to) {
    append(data, from, to - from);
    return takeBuffered();
  }

  // An idle connection holds no buffer: only an unfinished line does, until it completes.
  private byte[] takeBuffered() {
    byte[] line = withoutCr(buffer, 0, length);
    length = 0;
    buffer = EMPTY;
    return line;
  }

  private static byte[] withoutCr(byte[] bytes, int from, int to) {
    int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
    return Arrays.copyOfRange(bytes, from, end);
  }
}
