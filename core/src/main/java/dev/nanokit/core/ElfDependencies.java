package dev.nanokit.core;

import dev.nanokit.elf.ElfFile;
import dev.nanokit.elf.LibraryResolver;
import dev.nanokit.elf.ResolvedLibraries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The program's interpreter and shared libraries as the dynamic loader inside the VM would open
 * them (elf-deps.md §7), found by reading ELF files — never by running the program. A static program
 * has none. A library the loader could not find fails the build: the image would not start.
 */
final class ElfDependencies implements ImageBuilder.DependencyFinder {
  @Override
  public List<ImageEntry> find(Path programHost, Path targetRoot) throws IOException {
    ElfFile elf = ElfFile.read(programHost);
    // Linux's execve (and the Nanos loader) map PT_LOAD segments and nothing else; without one the
    // kernel answers ENOEXEC, so an image built around it could never start.
    if (elf.programHeaders().stream().noneMatch(h -> h.type() == dev.nanokit.elf.ProgramHeader.PT_LOAD)) {
      throw new ImageFormatException(programHost + ": no loadable segment (PT_LOAD): not a program Linux or Nanos"
          + " can run");
    }
    if (!elf.isDynamic()) {
      return List.of();
    }
    LibraryResolver.Builder b = LibraryResolver.builder();
    if (targetRoot != null) {
      b.setTargetRoot(targetRoot);
    }
    ResolvedLibraries libs = b.build().resolve(programHost);
    if (!libs.missing().isEmpty()) {
      throw new ImageFormatException(programHost + ": shared libraries not found: " + String.join(", ", libs.missing()));
    }
    List<ImageEntry> out = new ArrayList<>();
    for (ResolvedLibraries.Entry e : libs.entries()) {
      if (e instanceof ResolvedLibraries.FileEntry f) {
        out.add(ImageEntry.file(f.imagePath(), f.hostPath()));
      } else if (e instanceof ResolvedLibraries.SymlinkEntry s) {
        out.add(ImageEntry.symlink(s.imagePath(), s.linkTarget()));
      }
    }
    return out;
  }

  /**
   * The kernel and the program must be built for the same machine (ELF e_machine). Checked when both
   * are ELF files; anything else is left for the boot to judge.
   */
  static void checkSameArchitecture(Path kernel, Path program) throws IOException {
    if (!isElf(kernel) || !isElf(program)) {
      return;
    }
    ElfFile k = ElfFile.read(kernel);
    ElfFile p = ElfFile.read(program);
    if (k.architecture() != p.architecture()) {
      throw new ImageFormatException(program + " is built for " + p.architecture() + " but the kernel " + kernel
          + " for " + k.architecture());
    }
  }

  private static boolean isElf(Path p) throws IOException {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
    }
  }
}
