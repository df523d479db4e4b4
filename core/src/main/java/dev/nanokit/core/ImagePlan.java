package dev.nanokit.core;

import com.google.common.collect.ImmutableSortedMap;
import dev.nanokit.manifest.Tuple;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;

/**
 * What {@code mkimage} will put into the root filesystem: the entries of the directory tree and the
 * other keys of the root tuple (docs/formats/manifest.md, "4 Root-tuple keys read by the kernel", "6 The tree ops builds (default content of every image)"). Made by {@link NanosImage#plan()}; immutable.
 *
 * <ul>
 *   <li>{@link #entries()} is sorted by {@link #PATH_ORDER} (byte order of the UTF-8 image paths,
 *       docs/cli), so every directory precedes everything below it. Every parent directory of an
 *       entry is itself present as a {@link ImageEntry.Kind#DIRECTORY} entry, except the root
 *       {@code /}, which always exists and is never listed.
 *   <li>{@link #rootConfig()} holds the root-tuple keys other than {@code children}, in a
 *       deterministic order.
 *   <li>{@link #notes()} says which default files were added or skipped and why, which entries
 *       replaced others, and what was skipped while walking host directories.
 *   <li>{@link #klibs()} lists the klibs the boot filesystem needs (requested plus implied).
 * </ul>
 *
 * <p>{@link #sourceOf} names where a file's bytes come from: its host path, {@code ARCHIVE:/path} for a
 * file from an unpacked archive (a container image, a package {@code .tar.gz}), or nothing for a
 * generated file (such as {@code /etc/resolv.conf}, whose bytes are {@link ImageEntry#content()}).
 *
 * <p>Immutable and safe for use by any number of threads; its host paths stay valid as long as the
 * {@link NanosImage} that made it is not closed.
 */
public final class ImagePlan {
  /**
   * Byte order of the UTF-8 encodings. Comparing code points gives the same order without
   * encoding (UTF-8 preserves code point order; plain {@link String#compareTo} does not, for
   * characters above U+FFFF).
   */
  public static final Comparator<String> PATH_ORDER = dev.nanokit.tfs.TfsReproducibility.NAME_ORDER;

  private final SortedMap<String, ImageEntry> entries;
  private final Tuple rootConfig;
  private final List<String> notes;
  private final List<String> warnings;
  private final List<String> klibs;
  private final Path unpackedRoot;
  private final String unpackedLabel;

  /** A plan of these entries and root keys; for the planner inside the library. */
  public ImagePlan(SortedMap<String, ImageEntry> entries, Tuple rootConfig, List<String> notes, List<String> klibs) {
    this(entries, rootConfig, notes, List.of(), klibs, null, null);
  }

  private ImagePlan(SortedMap<String, ImageEntry> entries, Tuple rootConfig, List<String> notes, List<String> warnings,
      List<String> klibs, Path unpackedRoot, String unpackedLabel) {
    this.warnings = List.copyOf(warnings);
    this.unpackedRoot = unpackedRoot;
    this.unpackedLabel = unpackedLabel;
    // The planner's map is kept as it is (immutable, same order); any other is copied once.
    this.entries = ImmutableSortedMap.copyOf(entries, PATH_ORDER);
    if (rootConfig.contains("children")) {
      throw new IllegalArgumentException("the root configuration must not hold children");
    }
    this.rootConfig = rootConfig.deepCopy();
    this.notes = List.copyOf(notes);
    this.klibs = List.copyOf(klibs);
  }

  /** Every entry by image path, sorted by {@link #PATH_ORDER}; read-only. */
  public SortedMap<String, ImageEntry> entries() {
    return entries;
  }

  /** A fresh deep copy of the root-tuple keys, without {@code children}. */
  public Tuple rootConfig() {
    return rootConfig.deepCopy();
  }

  /** Human-readable remarks, in the order the planner made them. */
  public List<String> notes() {
    return notes;
  }

  /**
   * Klib names for the boot filesystem's {@code /klib}: the configuration's and the command line's,
   * then those implied (docs/formats/manifest.md, "5.2 Fields that influence the image", "6 The tree ops builds (default content of every image)"), without duplicates. Non-empty exactly when the root
   * has {@code klibs:bootfs} (unless a root key set by the caller or a passthrough changed it).
   */
  public List<String> klibs() {
    return klibs;
  }

  /** This plan, its files under {@code root} named {@code label:/path} by {@link #sourceOf} and in notes. */
  public ImagePlan withUnpackedRoot(Path root, String label) {
    return new ImagePlan(entries, rootConfig, named(notes, root, label), named(warnings, root, label), klibs, root, label);
  }

  private static List<String> named(List<String> lines, Path root, String label) {
    List<String> named = new java.util.ArrayList<>();
    for (String line : lines) {
      named.add(line.replace(root.toString(), label + ":"));
    }
    return named;
  }

  /** This plan with {@code warnings} after its own; for the planner inside the library. */
  public ImagePlan withWarnings(List<String> more) {
    List<String> all = new java.util.ArrayList<>(warnings);
    all.addAll(more);
    return new ImagePlan(entries, rootConfig, notes, all, klibs, unpackedRoot, unpackedLabel);
  }

  /**
   * What will probably fail at run time although the image can be written: a library an object in the
   * image needs that was found nowhere. One line each; a caller shows them even when it hides notes.
   */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Where the bytes of {@code entry} come from, as a user should read it: the host path; for a file
   * unpacked from an archive {@code ARCHIVE:/path} (the scratch directory is no name a user knows);
   * empty for a directory, a symlink or a generated file.
   */
  public java.util.Optional<String> sourceOf(ImageEntry entry) {
    Path host = entry.hostPath();
    if (entry.kind() != ImageEntry.Kind.FILE || host == null) {
      return java.util.Optional.empty();
    }
    if (unpackedRoot != null && host.startsWith(unpackedRoot)) {
      return java.util.Optional.of(unpackedLabel + ":/" + unpackedRoot.relativize(host).toString()
          .replace(java.io.File.separatorChar, '/'));
    }
    return java.util.Optional.of(host.toString());
  }

  @Override
  public String toString() {
    return "ImagePlan[" + entries.size() + " entries, root keys " + rootConfig.names() + "]";
  }

}
