package dev.nanokit.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * A Firecracker VM configuration ({@code firecracker --config-file}) for a Nanos image, with the
 * field names of Firecracker's API: {@code boot-source} (the kernel, which Firecracker loads itself),
 * {@code drives} (the whole disk image as root device: Nanos finds its root filesystem by the
 * partition table), {@code machine-config}, and, when ports are asked for, {@code network-interfaces}
 * with one tap device (Firecracker has no user-mode network; forwarding to the tap is the host's job).
 *
 * @param kernel the kernel file
 * @param image the disk image
 * @param vcpus virtual CPUs, at least 1
 * @param memoryMib memory in MiB
 * @param tapDevice the host tap device of the network interface, or null for none
 *
 * <p>Immutable.
 */
public record FirecrackerConfig(Path kernel, Path image, int vcpus, long memoryMib, String tapDevice) {
  /** The configuration as JSON text, keys in a fixed order, ending with a newline. */
  public String json() {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = m.createObjectNode();
    root.putObject("boot-source").put("kernel_image_path", kernel.toString());
    ArrayNode drives = root.putArray("drives");
    drives.addObject()
        .put("drive_id", "rootfs")
        .put("path_on_host", image.toString())
        .put("is_root_device", true)
        .put("is_read_only", false);
    root.putObject("machine-config").put("vcpu_count", vcpus).put("mem_size_mib", memoryMib);
    if (tapDevice != null) {
      root.putArray("network-interfaces").addObject().put("iface_id", "eth0").put("host_dev_name", tapDevice);
    }
    try {
      return m.writeValueAsString(root).replace("\r\n", "\n") + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
