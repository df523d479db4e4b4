package dev.nanokit.core;

import static dev.nanokit.testing.manifest.Values.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.StringValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpsConfigTest {
  @Test
  void emptyHasGoZeroValues() {
    OpsConfig c = OpsConfig.empty();
    assertThat(c.program()).isEmpty();
    assertThat(c.args()).isEmpty();
    assertThat(c.env()).isEmpty();
    assertThat(c.runConfig()).isEqualTo(OpsConfig.RunConfig.empty());
    assertThat(c.runConfig().ipAddress()).isEmpty();
    assertThat(c.cloudConfig().imageName()).isEmpty();
    assertThat(c.manifestPassthrough().isEmpty()).isTrue();
    assertThat(c.rebootOnExit()).isFalse();
    assertThat(c.baseVolumeBytes()).isEmpty();
  }

  @Test
  void isImmutableIncludingThePassthroughTree() {
    List<String> args = new ArrayList<>(List.of("a"));
    OpsConfig.Builder b = OpsConfig.builder().args(args).putManifestPassthrough("x", t("y", "z"));
    OpsConfig c = b.build();
    args.add("b");
    b.putManifestPassthrough("later", StringValue.of("v"));
    assertThat(c.args()).containsExactly("a");
    assertThatThrownBy(() -> c.args().add("c")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> c.env().put("c", "d")).isInstanceOf(UnsupportedOperationException.class);
    c.manifestPassthrough().put("mutated", StringValue.of("1"));
    c.manifestPassthrough().getTuple("x").put("y", StringValue.of("changed"));
    assertThat(c.manifestPassthrough()).isEqualTo(t("x", t("y", "z")));
  }

  @Test
  void builderRoundTripsAndAppliesOverrides() {
    OpsConfig c = OpsConfig.builder()
        .program("/bin/x").args(List.of("1")).putEnv("A", "b").putMount("vol", "/data:ro")
        .baseVolumeSz("2g").cloudImageName("img").home("/h")
        .build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
    OpsConfig.Builder b = c.toBuilder().args(List.of("2", "3")).putEnv("A", "c");
    b.runConfig().ipAddress("10.0.0.2").ports(List.of("80"));
    OpsConfig d = b.build();
    assertThat(d.args()).containsExactly("2", "3");
    assertThat(d.env()).containsEntry("A", "c");
    assertThat(d.runConfig().ipAddress()).isEqualTo("10.0.0.2");
    assertThat(d.runConfig().ports()).containsExactly("80");
    assertThat(d.baseVolumeBytes()).hasValue(2L << 30);
    assertThat(c.runConfig().ipAddress()).isEmpty();
  }

  @Test
  void rejectsAnInvalidBaseVolumeSize() {
    assertThatThrownBy(() -> OpsConfig.builder().baseVolumeSz("1GB"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("BaseVolumeSz: invalid size \"1GB\"");
  }
}
