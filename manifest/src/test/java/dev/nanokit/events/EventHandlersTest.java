package dev.nanokit.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventHandlersTest {

  @Test
  void handlersGetTheEventsOfTheirTypeInRegistrationOrder() {
    List<String> seen = new ArrayList<>();
    EventHandlers<CharSequence> handlers = new EventHandlers<>();
    assertThat(handlers.isEmpty()).isTrue();
    handlers.add(String.class, s -> seen.add("string " + s));
    handlers.add(CharSequence.class, s -> seen.add("any " + s));
    assertThat(handlers.isEmpty()).isFalse();
    handlers.dispatch("a");
    handlers.dispatch(new StringBuilder("b"));
    assertThat(seen).containsExactly("string a", "any a", "any b");

    EventHandlers<CharSequence> more = new EventHandlers<>();
    more.add(StringBuilder.class, s -> seen.add("builder " + s));
    handlers.addAll(more);
    seen.clear();
    handlers.dispatch(new StringBuilder("c"));
    assertThat(seen).containsExactly("any c", "builder c");
  }

  @Test
  void wantsTellsWhetherSomeHandlerWouldGetAnEventOfAType() {
    EventHandlers<CharSequence> handlers = new EventHandlers<>();
    assertThat(handlers.wants(String.class)).isFalse();
    handlers.add(StringBuilder.class, s -> { });
    assertThat(handlers.wants(String.class)).isFalse();
    assertThat(handlers.wants(StringBuilder.class)).isTrue();
    handlers.add(CharSequence.class, s -> { });
    assertThat(handlers.wants(String.class)).isTrue();
  }

  @Test
  void aThrowingHandlerStopsTheDispatch() {
    List<String> seen = new ArrayList<>();
    EventHandlers<String> handlers = new EventHandlers<>();
    handlers.add(String.class, s -> {
      throw new IllegalStateException("stop at " + s);
    });
    handlers.add(String.class, seen::add);
    assertThatThrownBy(() -> handlers.dispatch("x")).hasMessage("stop at x");
    assertThat(seen).isEmpty();
    assertThatThrownBy(() -> handlers.add(null, seen::add)).isInstanceOf(NullPointerException.class).hasMessage("type");
    assertThatThrownBy(() -> handlers.add(String.class, null)).isInstanceOf(NullPointerException.class).hasMessage("handler");
  }
}
