package chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginsTest {

  @ParameterizedTest(name = "{0} from {1} with {2}: {3}")
  @CsvSource(nullValues = "null", value = {
      "http://chat.example.com, chat.example.com, '', true",
      "https://chat.example.com, chat.example.com, '', true",
      "https://chat.example.com, chat.example.com:443, '', true",
      "http://127.0.0.1:8081, 127.0.0.1:8081, '', true",
      "HTTP://Chat.Example.com, chat.example.com, '', true",
      "http://127.0.0.1:9999, 127.0.0.1:8081, '', false",
      "http://evil.example, chat.example.com, '', false",
      "http://chat.example.com.evil.example, chat.example.com, '', false",
      "null, chat.example.com, '', true",
      "null, null, '', true",
      "http://evil.example, null, '', false",
      "file://, chat.example.com, '', false",
      "http://app.example.org, chat.example.com, http://app.example.org, true",
      "https://app.example.org, chat.example.com, http://app.example.org, false",
      "http://anything.example, chat.example.com, '*', true"})
  void onlyThePagesOwnOriginAndTheListedOnesMayConnect(String origin, String host, String allowed, boolean ok) {
    Origins origins = new Origins(allowed.isEmpty() ? List.of() : List.of(allowed));
    assertThat(origins.allows(origin, host)).isEqualTo(ok);
  }
}
