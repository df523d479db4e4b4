package dev.nanokit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration uses the field names of Firecracker's API (its {@code --config-file} format). */
class FirecrackerConfigTest {
  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void fieldNamesAreFirecrackers() throws Exception {
    String json = new FirecrackerConfig(Path.of("/vm/k"), Path.of("/vm/a.img"), 2, 1024, "tap0").json();
    JsonNode root = new ObjectMapper().readTree(json);
    assertThat(names(root)).containsExactly("boot-source", "drives", "machine-config", "network-interfaces");
    assertThat(names(root.get("boot-source"))).containsExactly("kernel_image_path");
    assertThat(root.at("/boot-source/kernel_image_path").asText()).isEqualTo("/vm/k");
    JsonNode drive = root.get("drives").get(0);
    assertThat(names(drive)).containsExactly("drive_id", "path_on_host", "is_root_device", "is_read_only");
    assertThat(drive.get("path_on_host").asText()).isEqualTo("/vm/a.img");
    assertThat(drive.get("is_root_device").asBoolean()).isTrue();
    assertThat(names(root.get("machine-config"))).containsExactly("vcpu_count", "mem_size_mib");
    assertThat(root.at("/machine-config/vcpu_count").asInt()).isEqualTo(2);
    assertThat(root.at("/machine-config/mem_size_mib").asLong()).isEqualTo(1024);
    JsonNode nic = root.get("network-interfaces").get(0);
    assertThat(names(nic)).containsExactly("iface_id", "host_dev_name");
    assertThat(nic.get("host_dev_name").asText()).isEqualTo("tap0");
    assertThat(json).endsWith("}\n");
  }

  @Test
  void noPortsNoNetworkInterface() throws Exception {
    JsonNode root = new ObjectMapper().readTree(new FirecrackerConfig(Path.of("k"), Path.of("i"), 1, 2048, null).json());
    assertThat(root.has("network-interfaces")).isFalse();
  }
}
