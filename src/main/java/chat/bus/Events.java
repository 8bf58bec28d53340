package chat.bus;

import chat.core.Event;
import java.util.List;

/** The events for one front-end instance from one pass of the RoomVerticle, in order. */
public record Events(List<Event> events) {
}
