package chat.room;

import chat.bus.Addresses;
import chat.bus.Requests;
import chat.core.Event;
import chat.core.Member;
import chat.core.Reply;
import chat.core.Request;
import chat.config.ChatConfig;
import chat.core.RoomEvent;
import chat.core.RoomHistory;
import chat.core.RoomRegistry;
import chat.ops.ChatMetrics;
import chat.vertx.EventLoopHooks;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of a node's users and rooms: takes the requests of the node's front-end instances in order and
 * answers each in the requester's instance stream ({@link Fanout}), room events and replies alike, so every answer to
 * a connection's lines is in line order. What crosses to other nodes goes through {@link Replication}.
 *
 * <p>Room events are delivered in their room's order, which the {@link Replication} gives: at once on a node alone,
 * once the cluster has sequenced them otherwise. A user's replies wait in its {@link Lane} behind its own room events
 * still being sequenced, so that they keep the order of the lines that caused them. The rooms' last lines are kept in
 * a {@link RoomHistory}, replayed to a user entering a room and shown on request.
 */
public final class RoomVerticle extends VerticleBase implements Request.Handler<Void>, Replication.NodeRooms {

  private static final Logger log = LoggerFactory.getLogger(RoomVerticle.class);

  /**
   * A connection's events on their way to it: its own room events, {@code ordered} so far and {@code delivered} in that
   * order, and {@code held}, replies waiting for the own events before them.
   */
  private static final class Lane {
    long ordered;
    long delivered;
    final ArrayDeque<Held> held = new ArrayDeque<>();
  }

  /** A room event back from its room's order ({@code refused}: it never got in). */
  private record Ordered(long seq, RoomEvent event, Replication.Own own, boolean refused) {
  }

  /** An event for a connection that must not overtake the first {@code after} of its own room events. */
  private record Held(long after, String instance, Event event) {
  }

  private final String nodeId;
  private final ChatMetrics metrics;
  private final Replication replication;
  private final ChatConfig.History config;
  private final RoomHistory history;
  private final Map<Long, Lane> lanes = new HashMap<>();
  /** Rooms whose next event waits for a connection's earlier own events in other rooms, with what follows it. */
  private final Map<String, ArrayDeque<Ordered>> waiting = new HashMap<>();
  private RoomRegistry registry = new RoomRegistry();
  private Fanout fanout;

  public RoomVerticle(String nodeId, ChatMetrics metrics, Replication replication, ChatConfig.History config) {
    this.nodeId = nodeId;
    this.metrics = metrics;
    this.replication = replication;
    this.config = config;
    this.history = new RoomHistory(config.lines(), config.maxAgeSeconds() * 1_000_000L, config.maxRooms());
  }

  @Override
  public Future<?> start() {
    fanout = new Fanout(vertx.eventBus(), EventLoopHooks.of(context));
    Future<Void> local = vertx.eventBus().<Requests>localConsumer(Addresses.rooms(nodeId), this::handle).completion();
    return Future.all(local, replication.start(this));
  }

  // A batch of an instance's requests. One that asks for a reply is a barrier (a draining instance's): its reply
  // means every request sent before it has been handled.
  private void handle(Message<Requests> message) {
    for (Request request : message.body().requests()) {
      request.accept(this);
    }
    if (message.replyAddress() != null) {
      message.reply(null);
    }
  }

  @Override
  public Void enter(Request.Enter enter) {
    if (registry.enter(enter.member())) {
      metrics.userRegistered();
      replication.entered(enter.member());
    }
    return null;
  }

  @Override
  public Void join(Request.Join join) {
    return changed(join.key(), registry.join(join.key(), join.room(),
        () -> replication.members(join.room()).isEmpty(), RoomEvent.nowMicros()));
  }

  @Override
  public Void part(Request.Part part) {
    return changed(part.key(), registry.part(part.key(), part.room(), part.reason(), RoomEvent.nowMicros()));
  }

  @Override
  public Void leave(Request.Leave leave) {
    Optional<Member> member = registry.member(leave.key());
    member.ifPresent(m -> {
      changed(m, registry.leave(leave.key(), leave.reason(), RoomEvent.nowMicros()));
      metrics.userLeft();
      replication.gone(m);
      toLane(m.instance(), m.connection(), new Event.Gone(m.connection()));
    });
    return null;
  }

  @Override
  public Void say(Request.Say say) {
    metrics.messageReceived();
    return changed(say.key(),
        registry.message(RoomEvent.Kind.SAID, say.key(), say.room(), say.text(), RoomEvent.nowMicros()));
  }

  @Override
  public Void act(Request.Act act) {
    metrics.messageReceived();
    return changed(act.key(),
        registry.message(RoomEvent.Kind.ACTED, act.key(), act.room(), act.text(), RoomEvent.nowMicros()));
  }

  @Override
  public Void rename(Request.Rename rename) {
    // Looked up after the rename: under its new key.
    changed(rename.newKey(),
        registry.rename(rename.oldKey(), rename.newName(), rename.newKey(), RoomEvent.nowMicros()));
    replication.renamed(rename.oldKey(), rename.newName(), rename.newKey());
    return null;
  }

  // The recipient's copy goes to the recipient, here or on its node; the sender's copy (one, even to itself) or a
  // "no such user" goes to the sender, in its lane.
  @Override
  public Void whisper(Request.Whisper whisper) {
    Optional<Member> from = registry.member(whisper.key());
    if (from.isEmpty()) {
      return null;
    }
    metrics.messageReceived();
    Optional<Member> here = registry.member(whisper.toKey());
    Optional<String> to = here.map(Member::name).or(() -> replication.nameOf(whisper.toKey()));
    if (to.isEmpty()) {
      return whisper.notice() ? null : direct(from.get(), new Reply.NoSuchUser(whisper.toAsTyped()));
    }
    Reply.Whispered whispered = new Reply.Whispered(from.get().name(), to.get(), whisper.text(), RoomEvent.nowMicros(),
        whisper.notice());
    if (here.isEmpty()) {
      replication.whisper(whisper.toKey(), whispered);
    } else if (!whisper.toKey().equals(whisper.key())) {
      deliverWhisper(whisper.toKey(), whispered);
    }
    return direct(from.get(), whispered);
  }

  @Override
  public Void who(Request.Who who) {
    List<RoomRegistry.Seat> seats = new ArrayList<>(registry.who(who.room()));
    seats.addAll(replication.members(who.room()));
    seats.sort(Comparator.comparingLong(RoomRegistry.Seat::since));
    List<String> names = seats.stream().map(RoomRegistry.Seat::name).toList();
    return answer(who.key(), new Reply.Who(who.room(), names, registry.modesOf(who.room())));
  }

  @Override
  public Void rooms(Request.Rooms rooms) {
    Map<String, Integer> counts = new TreeMap<>(registry.rooms());
    replication.counts().forEach((room, count) -> counts.merge(room, count, Integer::sum));
    counts.keySet().removeIf(room -> registry.modesOf(room).has('s') && !registry.roomsOf(rooms.key()).contains(room));
    return answer(rooms.key(), new Reply.RoomList(counts));
  }

  @Override
  public Void notice(Request.Notice notice) {
    metrics.messageReceived();
    return changed(notice.key(), registry.message(RoomEvent.Kind.NOTICED, notice.key(), notice.room(), notice.text(),
        RoomEvent.nowMicros()));
  }

  @Override
  public Void topic(Request.Topic topic) {
    if (topic.text() == null) {
      Reply.Topic current = registry.topicOf(topic.room());
      return topic.ifSet() && current.text() == null ? null : answer(topic.key(), current);
    }
    Optional<Reply> refusal = registry.topicRefusal(topic.key(), topic.room());
    if (refusal.isPresent()) {
      return answer(topic.key(), refusal.get());
    }
    return changed(topic.key(), registry.topic(topic.key(), topic.room(), topic.text(), RoomEvent.nowMicros()));
  }

  @Override
  public Void history(Request.History asked) {
    List<RoomHistory.Line> lines = history.select(asked.room(), asked.query(), RoomEvent.nowMicros());
    metrics.historyServed(lines.size());
    return answer(asked.key(), new Reply.History(asked.room(), lines, false));
  }

  @Override
  public Void lookup(Request.Lookup lookup) {
    List<Reply.User> found = new ArrayList<>();
    for (String key : lookup.keys()) {
      Optional<Member> here = registry.member(key);
      if (here.isPresent()) {
        found.add(new Reply.User(here.get().name(), List.copyOf(registry.roomsOf(key))));
      } else if (!key.isEmpty()) {
        replication.nameOf(key).ifPresent(name -> found.add(new Reply.User(name, List.of())));
      }
    }
    return answer(lookup.key(), users(lookup.keys(), found));
  }

  @Override
  public Void everyone(Request.Everyone everyone) {
    List<Reply.User> found = new ArrayList<>();
    registry.members().forEach(m -> found.add(new Reply.User(m.name(), List.copyOf(registry.roomsOf(m.key())))));
    found.addAll(replication.users());
    return answer(everyone.key(), users(List.of(), found));
  }

  @Override
  public Void mode(Request.Mode mode) {
    RoomRegistry.Outcome outcome = registry.mode(mode.key(), mode.room(), mode.mode(), mode.on(), mode.member(),
        replication.members(mode.room()), RoomEvent.nowMicros());
    return outcome.refusal() != null ? answer(mode.key(), outcome.refusal())
        : changed(mode.key(), outcome.deliveries());
  }

  private Reply.Users users(List<String> asked, List<Reply.User> found) {
    int remote = replication.remoteUserCount();
    int here = registry.memberCount();
    return new Reply.Users(asked, found, here, here + remote, registry.peakMembers(), registry.peakTotal(remote));
  }

  @Override
  public Void answer(Request.Answer answer) {
    return answer(answer.key(), answer.reply());
  }

  // Replication.NodeRooms: room events in their rooms' order, and what other nodes' users do here.

  /**
   * A room event at its place in the room's order. It is delivered at once unless it is a connection's own event
   * whose earlier own events (in other rooms, whose orders run apart) are not delivered yet, or its room is waiting
   * already: then the room waits, so that both the room's order and the connection's line order hold.
   */
  @Override
  public void sequenced(long seq, RoomEvent event, Replication.Own own) {
    arrived(new Ordered(seq, event, own, false));
  }

  @Override
  public void earlier(long seq, RoomEvent event) {
    history.add(seq, event);
    metrics.history(history.roomCount(), history.lineCount());
  }

  /** {@code own} never got into its room's order; its sender hears of it in the order of its lines. */
  @Override
  public void refused(Replication.Own own) {
    arrived(new Ordered(-1, own.event(), own, true));
  }

  private void arrived(Ordered ordered) {
    ArrayDeque<Ordered> queue = waiting.get(ordered.event().room());
    if (queue == null && isNext(ordered.own())) {
      deliver(ordered);
      if (!waiting.isEmpty()) {
        resume();
      }
    } else {
      waiting.computeIfAbsent(ordered.event().room(), r -> new ArrayDeque<>()).add(ordered);
    }
  }

  /** Whether {@code own} is its connection's next own event to deliver (another node's event always is). */
  private boolean isNext(Replication.Own own) {
    Lane lane = own == null ? null : lanes.get(own.connection());
    return lane == null || own.index() == lane.delivered + 1;
  }

  // Each delivery can let a waiting room go on; rooms wait behind events of this node's users, which entered their
  // rings in the order of their requests, so some room can always go on and none waits on itself.
  private void resume() {
    boolean moved = true;
    while (moved && !waiting.isEmpty()) {
      moved = false;
      for (var rooms = waiting.values().iterator(); rooms.hasNext(); ) {
        ArrayDeque<Ordered> queue = rooms.next();
        while (!queue.isEmpty() && isNext(queue.peekFirst().own())) {
          deliver(queue.pollFirst());
          moved = true;
        }
        if (queue.isEmpty()) {
          rooms.remove();
        }
      }
    }
  }

  // A user entering a room sees its own join, then the room's last lines, then what follows.
  private void deliver(Ordered ordered) {
    RoomEvent event = ordered.event();
    Replication.Own own = ordered.own();
    if (ordered.refused()) {
      deliverRefused(own);
    } else {
      List<RoomHistory.Line> replay = own != null && event.kind() == RoomEvent.Kind.JOINED && config.replayLines() > 0
          ? history.last(event.room(), config.replayLines(), event.at())
          : List.of();
      earlier(ordered.seq(), event);
      for (RoomRegistry.Delivery delivery : own != null ? own.local() : registry.remote(event)) {
        fanout.add(delivery.instance(), delivery.event());
      }
      if (!replay.isEmpty()) {
        metrics.historyServed(replay.size());
        fanout.add(own.instance(), new Event.Direct(own.connection(), new Reply.History(event.room(), replay, true)));
      }
    }
    Lane lane = own == null ? null : lanes.get(own.connection());
    if (lane != null) {
      lane.delivered++;
      release(own.connection(), lane);
    }
  }

  // A line is refused with a notice; a change of membership or name happened here already (the registry has it), so
  // it is delivered here all the same rather than leave this node's users a view that is wrong.
  private void deliverRefused(Replication.Own own) {
    metrics.orderRefused();
    if (own.event().isMessage() || own.event().kind() == RoomEvent.Kind.TOPIC) {
      log.warn("a line in {} was not accepted into the room's order", own.event().room());
      fanout.add(own.instance(), new Event.Direct(own.connection(),
          new Reply.Refused("NOT_DELIVERED", "your line in " + own.event().room() + " was not delivered: try again")));
    } else {
      log.warn("a {} in {} was not accepted into the room's order: delivered on this node only", own.event().kind(),
          own.event().room());
      own.local().forEach(delivery -> fanout.add(delivery.instance(), delivery.event()));
    }
  }

  @Override
  public boolean hasMembers(String room) {
    return registry.hasRoom(room);
  }

  @Override
  public void unfollowed(String room) {
    history.forget(room);
    metrics.history(history.roomCount(), history.lineCount());
  }

  @Override
  public void track(RoomEvent change) {
    registry.track(change);
  }

  @Override
  public void deliverWhisper(String toKey, Reply.Whispered whisper) {
    registry.member(toKey).ifPresent(target -> {
      metrics.delivered(1);
      direct(target, whisper);
    });
  }

  @Override
  public void evictEveryone() {
    List<Member> members = new ArrayList<>(registry.members());
    log.warn("disconnecting {} users: this node is rejoining its cluster", members.size());
    registry = new RoomRegistry();
    lanes.clear();
    waiting.clear();
    history.clear();
    metrics.roomCount(0);
    metrics.history(0, 0);
    for (Member member : members) {
      metrics.userLeft();
      fanout.add(member.instance(), new Event.Evict(member.connection()));
    }
  }

  @Override
  public void evict(Member member) {
    if (!holds(member)) {
      return;
    }
    log.warn("disconnecting {}: its name is held on another node", member.name());
    changed(member, registry.leave(member.key(), RoomEvent.nowMicros()));
    metrics.userLeft();
    replication.gone(member);
    toLane(member.instance(), member.connection(), new Event.Evict(member.connection()));
  }

  @Override
  public boolean holds(Member member) {
    return registry.member(member.key()).filter(member::equals).isPresent();
  }

  @Override
  public Collection<Member> members() {
    return registry.members();
  }


  private Void changed(String key, List<RoomRegistry.Delivery> deliveries) {
    registry.member(key).ifPresent(member -> changed(member, deliveries));
    return null;
  }

  /**
   * A change among this node's users, by {@code actor}: each of its events (one per room it touches, each with its
   * deliveries here, one per local instance, contiguous) goes into its room's order, to be delivered here and on
   * every other node when the order reaches it.
   */
  private void changed(Member actor, List<RoomRegistry.Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    metrics.roomCount(registry.roomCount());
    Lane lane = lanes.computeIfAbsent(actor.connection(), c -> new Lane());
    int from = 0;
    for (int i = 1; i <= deliveries.size(); i++) {
      RoomEvent event = deliveries.get(from).event();
      if (i == deliveries.size() || !sameEvent(deliveries.get(i).event(), event)) {
        replication.order(new Replication.Own(event.withMembershipChange(0, 0), List.copyOf(deliveries.subList(from, i)),
            actor.instance(), actor.connection(), ++lane.ordered));
        from = i;
      }
    }
  }

  private static boolean sameEvent(RoomEvent a, RoomEvent b) {
    return a.kind() == b.kind() && a.room().equals(b.room()) && a.at() == b.at();
  }

  private Void answer(String key, Reply reply) {
    registry.member(key).ifPresent(member -> direct(member, reply));
    return null;
  }

  private Void direct(Member member, Reply reply) {
    toLane(member.instance(), member.connection(), new Event.Direct(member.connection(), reply));
    return null;
  }

  /** An event for one connection, after every room event of its own that is still being sequenced. */
  private void toLane(String instance, long connection, Event event) {
    Lane lane = lanes.get(connection);
    if (lane == null || (lane.held.isEmpty() && lane.delivered >= lane.ordered)) {
      fanout.add(instance, event);
      if (event instanceof Event.Gone || event instanceof Event.Evict) {
        lanes.remove(connection);
      }
    } else {
      lane.held.add(new Held(lane.ordered, instance, event));
    }
  }

  private void release(long connection, Lane lane) {
    while (!lane.held.isEmpty() && lane.held.peekFirst().after() <= lane.delivered) {
      Held held = lane.held.pollFirst();
      fanout.add(held.instance(), held.event());
      if (held.event() instanceof Event.Gone || held.event() instanceof Event.Evict) {
        lanes.remove(connection);
      }
    }
  }
}
