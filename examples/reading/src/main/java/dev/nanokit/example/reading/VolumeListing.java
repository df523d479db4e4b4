package dev.nanokit.example.reading;

import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Lists every file of a volume with its size: what a tool that only inspects images writes. */
public final class VolumeListing {
  private VolumeListing() {}

  /** {@code SIZE PATH} for every regular file, depth first in name order. */
  public static List<String> files(Path image) throws IOException {
    List<String> out = new ArrayList<>();
    try (TfsVolume volume = TfsVolume.open(image)) {
      volume.walk(volume.root(), node -> {
        if (node.type() == dev.nanokit.tfs.TfsNodeType.FILE) {
          out.add(node.size() + " " + node.path());
        }
      });
    }
    return out;
  }
}
