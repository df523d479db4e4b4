package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.PortForward.Protocol;
import org.junit.jupiter.api.Test;

class PortForwardTest {
  @Test
  void parsesPortHostGuestAndOpsForm() {
    assertThat(PortForward.parse(Protocol.TCP, "8080")).isEqualTo(new PortForward(Protocol.TCP, 8080, 8080));
    assertThat(PortForward.parse(Protocol.TCP, "8080:80")).isEqualTo(new PortForward(Protocol.TCP, 8080, 80));
    assertThat(PortForward.parse(Protocol.UDP, "5309-53").hostfwd()).isEqualTo("udp::5309-:53");
    assertThat(PortForward.parse(Protocol.TCP, "443").hostfwd()).isEqualTo("tcp::443-:443");
  }

  @Test
  void refusesWhatIsNotAPort() {
    assertThatThrownBy(() -> PortForward.parse(Protocol.TCP, "http")).hasMessage("port 'http': expected PORT or HOST:GUEST, each 1 to 65535");
    assertThatThrownBy(() -> PortForward.parse(Protocol.TCP, "0")).hasMessage("port '0': ports are 1 to 65535");
    assertThatThrownBy(() -> PortForward.parse(Protocol.TCP, "80:70000")).hasMessage("port '80:70000': ports are 1 to 65535");
    assertThatThrownBy(() -> PortForward.parse(Protocol.TCP, ":80")).hasMessageStartingWith("port ':80': expected");
  }
}
