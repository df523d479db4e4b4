package dev.nanokit.elf;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The files a program's dynamic loader will open inside the image (docs/formats/elf-deps.md, "6 What matters at run time inside Nanos" to "7 Recommended non-executing resolver"): every path
 * the loader opens is an entry, symlinks as {@link SymlinkEntry} plus the file they lead to.
 * Immutable; entries sorted by image path.
 */
public final class ResolvedLibraries {
  /** One path in the image. */
  public sealed interface Entry permits FileEntry, SymlinkEntry {
    String imagePath();
  }

  /** A regular file to copy from {@code hostPath} (already dereferenced) to {@code imagePath}. */
  public record FileEntry(String imagePath, Path hostPath) implements Entry {}

  /**
   * A symlink at {@code imagePath} with the verbatim target text; the file it leads to is a
   * separate entry.
   */
  public record SymlinkEntry(String imagePath, String linkTarget) implements Entry {}

  /** A class, not a lambda: every build resolves libraries, and a lambda is linked at run time. */
  private static final class ByImagePath implements Comparator<Entry> {
    @Override
    public int compare(Entry a, Entry b) {
      return a.imagePath().compareTo(b.imagePath());
    }
  }

  private final String programImagePath;
  private final Optional<String> interpreter;
  private final List<Entry> entries;
  private final List<String> missing;
  private final List<String> warnings;

  ResolvedLibraries(String programImagePath, Optional<String> interpreter, List<Entry> entries,
      List<String> missing, List<String> warnings) {
    this.programImagePath = programImagePath;
    this.interpreter = interpreter;
    Entry[] sorted = entries.toArray(new Entry[0]);
    Arrays.sort(sorted, new ByImagePath());
    this.entries = List.of(sorted);
    this.missing = List.copyOf(missing);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Image path of the program's real file (symlinks resolved inside the root). {@code $ORIGIN} of
   * the program was expanded from this directory, so the program should be stored there ("3 Dynamic string tokens (DSTs)").
   */
  public String programImagePath() {
    return programImagePath;
  }

  /** The PT_INTERP path, if the program has one. */
  public Optional<String> interpreter() {
    return interpreter;
  }

  /** All entries, sorted by image path. */
  public List<Entry> entries() {
    return entries;
  }

  public List<FileEntry> files() {
    return entries.stream().filter(FileEntry.class::isInstance).map(FileEntry.class::cast).toList();
  }

  public List<SymlinkEntry> symlinks() {
    return entries.stream().filter(SymlinkEntry.class::isInstance).map(SymlinkEntry.class::cast)
        .toList();
  }

  /** DT_NEEDED names (or the interpreter path) that could not be resolved, in discovery order. */
  public List<String> missing() {
    return missing;
  }

  /**
   * Human-readable notes: skipped wrong-architecture candidates, unreadable candidates, and
   * libraries found only through ld.so.conf directories the VM loader will not search ("6 What matters at run time inside Nanos").
   */
  public List<String> warnings() {
    return warnings;
  }

  public boolean isComplete() {
    return missing.isEmpty();
  }

  @Override
  public String toString() {
    return "ResolvedLibraries[" + entries + ", missing=" + missing + "]";
  }
}
