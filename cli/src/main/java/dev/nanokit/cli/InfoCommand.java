package dev.nanokit.cli;

import dev.nanokit.tfs.DiskPartition;
import dev.nanokit.tfs.LogExtension;
import dev.nanokit.tfs.TfsVolume;
import dev.nanokit.tfs.TfsVolumeInfo;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tfs info [--json] IMAGE} (docs/cli). */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"Show the volume's TFS version, UUID, label, size, used and free bytes, and counts.",
        "Also its log extensions and, for a disk image, its partitions."})
final class InfoCommand extends ImageCommand {
  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  void run(TfsVolume volume) throws IOException {
    TfsVolumeInfo info = volume.info();
    if (json) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("version", info.version());
      o.put("uuid", info.uuid());
      o.put("label", info.label());
      o.put("offset", info.offset());
      o.put("size", info.size());
      o.put("used", info.usedBytes());
      o.put("free", info.freeBytes());
      o.put("directories", info.directories());
      o.put("files", info.files());
      o.put("symlinks", info.symlinks());
      ArrayNode exts = o.putArray("logExtensions");
      for (LogExtension x : info.extensions()) {
        exts.addObject().put("startBlock", x.startBlock()).put("blocks", x.blocks()).put("version", x.version());
      }
      ArrayNode parts = o.putArray("partitions");
      for (DiskPartition p : info.partitions()) {
        parts.addObject().put("index", p.index()).put("role", role(p)).put("type", String.format("%02x", p.type()))
            .put("offset", p.offset()).put("length", p.length());
      }
      out().println(Json.MAPPER.writeValueAsString(o));
      return;
    }
    PrintWriter out = out();
    out.println("version: " + info.version());
    out.println("uuid: " + info.uuid());
    out.println("label: " + info.label());
    out.println("offset: " + info.offset());
    out.println("size: " + info.size());
    out.println("used: " + info.usedBytes());
    out.println("free: " + info.freeBytes());
    out.println("directories: " + info.directories());
    out.println("files: " + info.files());
    out.println("symlinks: " + info.symlinks());
    out.println("log extensions: " + info.extensions().size());
    for (LogExtension x : info.extensions()) {
      out.println("  block " + x.startBlock() + ", " + x.blocks() + " blocks, v" + x.version());
    }
    if (!info.partitions().isEmpty()) {
      out.println("partitions: " + info.partitions().size());
      for (DiskPartition p : info.partitions()) {
        out.println("  " + p.index() + " " + role(p) + String.format(" type %02x", p.type()) + " offset " + p.offset()
            + " length " + p.length());
      }
    }
  }

  private static String role(DiskPartition p) {
    return switch (p.role()) {
      case EFI_SYSTEM -> "esp";
      case BOOT_FILESYSTEM -> "boot";
      case ROOT_FILESYSTEM -> "root";
    };
  }

}
