package chat.line;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import chat.core.Names;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TextsTest {

  static Stream<Arguments> fixedLines() {
    return Stream.of(
        arguments(Texts.KO, "prompt", (Function<Texts, String>) Texts::prompt, "ID"),
        arguments(Texts.KO, "nameTaken", (Function<Texts, String>) Texts::nameTaken, "등록된 사용자"),
        arguments(Texts.KO, "joined", (Function<Texts, String>) t -> t.joined("name"), "[name] 접속"),
        arguments(Texts.KO, "left", (Function<Texts, String>) t -> t.left("name"), "[name] 접속 해제"),
        arguments(Texts.KO, "said", (Function<Texts, String>) t -> t.said("name", "text"), "[name] text"),
        arguments(Texts.KO, "acted", (Function<Texts, String>) t -> t.acted("name", "text"), "* name text"),
        arguments(Texts.KO, "whispered", (Function<Texts, String>) t -> t.whispered("a", "b", "text"), "[a → b] text"),
        arguments(Texts.KO, "renamed", (Function<Texts, String>) t -> t.renamed("old", "new"), "*** old is now new"),
        arguments(Texts.EN, "prompt", (Function<Texts, String>) Texts::prompt, "ID"),
        arguments(Texts.EN, "nameTaken", (Function<Texts, String>) Texts::nameTaken, "name taken"),
        arguments(Texts.EN, "joined", (Function<Texts, String>) t -> t.joined("name"), "[name] joined"),
        arguments(Texts.EN, "left", (Function<Texts, String>) t -> t.left("name"), "[name] left"),
        arguments(Texts.EN, "said", (Function<Texts, String>) t -> t.said("name", "text"), "[name] text"),
        arguments(Texts.EN, "acted", (Function<Texts, String>) t -> t.acted("name", "text"), "* name text"),
        arguments(Texts.EN, "whispered", (Function<Texts, String>) t -> t.whispered("a", "b", "text"), "[a → b] text"),
        arguments(Texts.EN, "renamed", (Function<Texts, String>) t -> t.renamed("old", "new"), "*** old is now new"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("fixedLines")
  void fixedLinesAreByteExact(Texts texts, String which, Function<Texts, String> line, String expected) {
    assertThat(line.apply(texts).getBytes(UTF_8)).isEqualTo(expected.getBytes(UTF_8));
  }

  static Stream<Arguments> originalServerBytes() {
    return Stream.of(
        arguments("nameTaken", Texts.KO.nameTaken(), "eb 93 b1 eb a1 9d eb 90 9c 20 ec 82 ac ec 9a a9 ec 9e 90"),
        arguments("joined", Texts.KO.joined("name"), "5b 6e 61 6d 65 5d 20 ec a0 91 ec 86 8d"),
        arguments("left", Texts.KO.left("name"), "5b 6e 61 6d 65 5d 20 ec a0 91 ec 86 8d 20 ed 95 b4 ec a0 9c"),
        arguments("whispered", Texts.KO.whispered("a", "b", "text"), "5b 61 20 e2 86 92 20 62 5d 20 74 65 78 74"));
  }

  /** The bytes the Python original sends, independent of this file's source encoding. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("originalServerBytes")
  void koreanLinesMatchTheOriginalServerBytes(String which, String line, String hex) {
    assertThat(line.getBytes(UTF_8)).isEqualTo(HexFormat.ofDelimiter(" ").parseHex(hex));
  }

  @ParameterizedTest
  @EnumSource(Texts.class)
  void everyNoticeStartsWithTheNoticePrefix(Texts texts) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("dev", 2);
    counts.put("lobby", 1);
    List<String> notices = new ArrayList<>(List.of(
        texts.help(),
        texts.who("lobby", List.of()),
        texts.who("lobby", List.of("alice", "bob")),
        texts.rooms(counts),
        texts.rooms(Map.of()),
        texts.alreadyInRoom("lobby"),
        texts.noSuchUser("bob"),
        texts.nameInUse("bob"),
        texts.usage("/join room"),
        texts.unknownCommand("/dance"),
        texts.invalidUtf8(),
        texts.lineTooLong(4096),
        texts.shuttingDown(),
        texts.flooding(),
        texts.tooManyFromAddress(3),
        texts.serverFull(),
        texts.registrationTimeout(60),
        texts.idleTimeout(300),
        texts.rejoiningCluster(),
        texts.renamed("old", "new")));
    for (Names.Problem problem : Names.Problem.values()) {
      notices.add(texts.invalidName(problem));
      notices.add(texts.invalidRoom(problem));
    }

    assertThat(notices).allSatisfy(notice -> assertThat(notice).startsWith("*** ").doesNotContain("\n"));
  }

  @ParameterizedTest
  @EnumSource(Texts.class)
  void noticesCarryWhatTheyAreAbout(Texts texts) {
    assertThat(texts.who("dev", List.of("alice", "bob"))).contains("dev", "alice", "bob");
    assertThat(texts.rooms(Map.of("dev", 3))).contains("dev", "3");
    assertThat(texts.noSuchUser("zed")).contains("zed");
    assertThat(texts.usage("/join room")).contains("/join room");
    assertThat(texts.unknownCommand("/dance")).contains("/dance", "/help");
    assertThat(texts.lineTooLong(4096)).contains("4096");
    assertThat(texts.tooManyFromAddress(3)).contains("3");
    assertThat(texts.registrationTimeout(60)).contains("60");
    assertThat(texts.idleTimeout(300)).contains("300");
  }

  @ParameterizedTest
  @MethodSource("locales")
  void localesAreLookedUpByTheirConfiguredName(String locale, Texts expected) {
    assertThat(Texts.forLocale(locale)).contains(expected);
  }

  static Stream<Arguments> locales() {
    return Stream.of(arguments("ko", Texts.KO), arguments("en", Texts.EN));
  }

  @ParameterizedTest
  @MethodSource("unknownLocales")
  void unknownLocalesAreEmpty(String locale) {
    assertThat(Texts.forLocale(locale)).isEmpty();
  }

  static Stream<String> unknownLocales() {
    return Stream.of("fr", "", "korean");
  }
}
