package dev.nanokit.example;

import dev.nanokit.core.ImageEvent;
import dev.nanokit.core.ImageResult;
import dev.nanokit.core.ImageSource;
import dev.nanokit.core.NanosImage;
import dev.nanokit.core.NanosRelease;
import dev.nanokit.elf.LibraryResolver;
import dev.nanokit.elf.ResolvedLibraries;
import dev.nanokit.tfs.ImagePath;
import dev.nanokit.tfs.TfsEditor;
import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The everyday jobs of a build tool that embeds nanokit, written against the public API only: build
 * an image for a program, read a file back, edit the image in place, and find a program's shared
 * libraries. Each method is what a user would write; the test runs them end to end.
 */
public final class ImageTasks {
  private ImageTasks() {}

  /** Builds a bootable image of {@code program} with one data file; returns the events it reported. */
  public static List<ImageEvent> build(Path program, Path dataFile, Path kernel, Path out) throws IOException {
    List<ImageEvent> events = new ArrayList<>();
    ImageResult r = NanosImage.from(ImageSource.program(program))
        .addArguments("-c", "print(6*7)")
        .putEnvironment("K", "V")
        .addFile(dataFile, ImagePath.of("/data/" + dataFile.getFileName()))
        .setRelease(NanosRelease.ofKernel(kernel))
        .setCreationTime(Instant.EPOCH)
        .addEventHandler(ImageEvent.class, events::add)
        .writeTo(out);
    if (!r.bootable()) {
      throw new IllegalStateException("expected a bootable disk: " + r);
    }
    return events;
  }

  /** The bytes of {@code path} in the image, or empty when there is no such file. */
  public static Optional<byte[]> read(Path image, ImagePath path) throws IOException {
    try (TfsVolume volume = TfsVolume.open(image)) {
      Optional<TfsNode> node = volume.lookup(path);
      if (node.isEmpty()) {
        return Optional.empty();
      }
      try (InputStream in = node.get().newInputStream()) {
        return Optional.of(in.readAllBytes());
      }
    }
  }

  /** Copies a host file into the image, in place. */
  public static void put(Path image, Path hostFile, ImagePath path) throws IOException {
    try (TfsEditor editor = TfsEditor.open(image)) {
      editor.put(hostFile, path);
      editor.commit();
    }
  }

  /** The shared libraries {@code program} needs, as the dynamic loader would find them on this host. */
  public static ResolvedLibraries libraries(Path program) throws IOException {
    return LibraryResolver.builder().build().resolve(program);
  }
}
