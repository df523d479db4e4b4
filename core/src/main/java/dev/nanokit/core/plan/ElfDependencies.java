package dev.nanokit.core.plan;

import dev.nanokit.core.ArchitectureMismatchException;
import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImageFormatException;
import dev.nanokit.elf.ElfFile;
import dev.nanokit.elf.LibraryResolver;
import dev.nanokit.elf.ResolvedLibraries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The program's interpreter and shared libraries as the dynamic loader inside the VM would open
 * them (docs/formats/elf-deps.md, "7 Recommended non-executing resolver"), found by reading ELF files — never by running the program. A static program
 * has none. A library the loader could not find fails the build: the image would not start.
 */
public final class ElfDependencies implements DependencyFinder {
  @Override
  public List<ImageEntry> find(Path programHost, Path targetRoot) throws IOException {
    refuseScript(programHost);
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
   * Nanos runs ELF programs only: a script is refused naming its interpreter, which is the program to
   * give, with the script as its argument, instead of the ELF parser's "bad magic".
   */
  private static void refuseScript(Path program) throws IOException {
    byte[] head;
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(program)) {
      head = in.readNBytes(256);
    }
    if (head.length < 2 || head[0] != '#' || head[1] != '!') {
      return;
    }
    String line = new String(head, 2, head.length - 2, java.nio.charset.StandardCharsets.ISO_8859_1);
    int end = line.indexOf('\n');
    String interpreter = (end < 0 ? line : line.substring(0, end)).strip();
    if (interpreter.isEmpty()) {
      throw new ImageFormatException(program + ": a script (#!) without an interpreter, not an ELF program");
    }
    throw new ImageFormatException(program + ": a script for " + dev.nanokit.core.host.MessageText.printable(interpreter)
        + ", not an ELF program: Nanos runs the interpreter, so make it the program and the script its argument");
  }

  /**
   * The kernel and the program must be built for the same machine (ELF e_machine). Checked when both
   * are ELF files; anything else is left for the boot to judge.
   */
  public static void checkSameArchitecture(Path kernel, Path program) throws IOException {
    if (!ElfFile.hasElfMagic(kernel) || !ElfFile.hasElfMagic(program)) {
      return;
    }
    ElfFile k = ElfFile.read(kernel);
    ElfFile p = ElfFile.read(program);
    if (k.architecture() != p.architecture()) {
      throw new ArchitectureMismatchException(program + " is built for " + p.architecture() + " but the kernel " + kernel
          + " for " + k.architecture());
    }
  }

  /**
   * The image's {@code NANOS_ARCH} for a program ELF, as ops names it: {@code arm64} for aarch64,
   * {@code amd64} otherwise (also for a file that is not ELF, such as a script, which runs on the
   * default architecture).
   */
  public static String nanosArch(Path program) throws IOException {
    if (program == null || !ElfFile.hasElfMagic(program)) {
      return "amd64";
    }
    return ElfFile.read(program).architecture() == dev.nanokit.elf.Architecture.AARCH64 ? "arm64" : "amd64";
  }
}
