package chat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The IRC side of a simulated user: how it reads server lines, and its registration against a scripted server on
 * a real loopback socket (PING answered in every state, a refused nick reported).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IrcRegistrationTest {

  private static ByteBuf line(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  private static String body(Protocol protocol, String text) {
    ByteBuf buf = line(text);
    int at = protocol.bodyStart(buf, 0, buf.writerIndex());
    return at < 0 ? null : buf.toString(at, buf.writerIndex() - at, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      ":a!a@h PRIVMSG #lobby :@1 2 3   | @1 2 3",
      ":a!a@h PRIVMSG #lobby #sync     | #sync",
      "@time=x :a!a@h PRIVMSG #lobby :hi there | hi there",
      "PRIVMSG #lobby :no source       | no source",
      ":a!a@h NOTICE #lobby :not a message | null",
      ":a!a@h JOIN #lobby              | null",
      ":srv 353 me = #lobby :@a b      | null",
      ":a!a@h PRIVMSG #lobby           | null",
      ":a!a@h PRIVMSGX #lobby :x       | null"})
  void ircReadsTheTextOfAPrivmsgOnly(String text, String expected) {
    assertThat(body(Protocol.IRC, text.strip())).isEqualTo(expected == null ? null : expected.strip());
  }

  @Test
  void lineProtocolReadsTheTextAfterTheName() {
    assertThat(body(Protocol.LINE, "[alice] @1 2 3")).isEqualTo("@1 2 3");
    assertThat(body(Protocol.LINE, "* alice waves")).isNull();
  }

  @Test
  void theSourceOfAnIrcLineIsMatchedOnTheWholeNick() {
    byte[] nick = "bob".getBytes(StandardCharsets.US_ASCII);
    assertThat(IrcLine.isFrom(line(":bob!b@h JOIN #lobby"), 0, 20, nick)).isTrue();
    assertThat(IrcLine.isFrom(line(":bobby!b@h JOIN #lobby"), 0, 22, nick)).isFalse();
    assertThat(IrcLine.isFrom(line("@t=1 :bob JOIN #lobby"), 0, 21, nick)).isTrue();
  }

  @Test
  void eachChannelIsTheRoomWithAHashAndTheLobbyIsLobby() {
    assertThat(Protocol.IRC.channel(null)).isEqualTo("#lobby");
    assertThat(Protocol.IRC.channel("room-3")).isEqualTo("#room-3");
    assertThat(Protocol.IRC.deliveriesPerMessage(100)).isEqualTo(99);
    assertThat(Protocol.LINE.deliveriesPerMessage(100)).isEqualTo(100);
  }

  /** Runs {@code script} as the server of one connection, on its own thread; its result is what the client sent. */
  private static CompletableFuture<List<String>> serve(ServerSocket listener, Script script) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket s = listener.accept()) {
        s.setSoTimeout(10_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        return script.run(in, s.getOutputStream());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @FunctionalInterface
  private interface Script {
    List<String> run(BufferedReader in, OutputStream out) throws Exception;
  }

  private static void send(OutputStream out, String lines) throws Exception {
    out.write(lines.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private ServerSocket listener;
  private ClientFleet fleet;

  @BeforeEach
  void listen() throws Exception {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    fleet = new ClientFleet(Protocol.IRC, "127.0.0.1", listener.getLocalPort(), 1);
  }

  @AfterEach
  void close() throws Exception {
    fleet.close();
    listener.close();
  }

  @Test
  void registersAnsweringPingsBeforeAndAfterTheWelcomeAndIsReadyOnItsOwnJoin() throws Exception {
    CompletableFuture<List<String>> server = serve(listener, (in, out) -> {
      String nick = in.readLine();
      String user = in.readLine();
      send(out, "PING :before\r\n");
      String pong1 = in.readLine();
      send(out, ":srv 001 bob :Welcome\r\n");
      String join = in.readLine();
      send(out, ":srv PING after\r\n:someone!s@h JOIN #lobby\r\n");
      String pong2 = in.readLine();
      send(out, ":bob!bob@h JOIN :#lobby\r\n");
      return List.of(nick, user, pong1, join, pong2);
    });

    fleet.connect(0, 1, 1, i -> "bob", i -> null, 10_000, null);

    assertThat(fleet.snapshot().registered()).isEqualTo(1);
    assertThat(server.get(10, TimeUnit.SECONDS))
        .containsExactly("NICK bob", "USER bob 0 * :bob", "PONG :before", "JOIN #lobby", "PONG after");
  }

  @Test
  void aRefusedNickFailsTheRunNamingIt() throws Exception {
    CompletableFuture<List<String>> server = serve(listener, (in, out) -> {
      String nick = in.readLine();
      send(out, ":srv 433 * bob :Nickname is already in use\r\n");
      return List.of(nick);
    });

    assertThatThrownBy(() -> fleet.connect(0, 1, 1, i -> "bob", i -> null, 10_000, null))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("nick refused (433): bob");
    assertThat(server.get(10, TimeUnit.SECONDS)).containsExactly("NICK bob");
  }
}
