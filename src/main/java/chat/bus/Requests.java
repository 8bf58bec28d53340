package chat.bus;

import chat.core.Request;
import java.util.List;

/** One front-end instance's requests of one event-loop pass, in order, for its node's RoomVerticle. */
public record Requests(List<Request> requests) {
}
