package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.elf.ResolvedLibraries.FileEntry;
import dev.nanokit.elf.ResolvedLibraries.SymlinkEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake target root made from the host's real libraries for /bin/ls, laid out differently from
 * the host (libraries only in /opt/libs, found through an ld.so.conf include glob; the interpreter
 * reached through an absolute symlink), proving that resolution under a target root uses only
 * files inside it (docs/formats/elf-deps.md, "4.1 ld.so.conf (what feeds ld.so.cache)", "5 Multiarch directories (Debian/Ubuntu)", "7 Recommended non-executing resolver").
 */
class SysrootIT {
  @TempDir Path root;
  private Path program;
  private ElfFile hostLs;
  private final Set<String> copied = new TreeSet<>();

  @BeforeEach
  void buildRoot() throws IOException {
    Path ls = Path.of("/bin/ls");
    Assumptions.assumeTrue(Files.isRegularFile(ls), "/bin/ls not present");
    hostLs = ElfFile.read(ls);
    Assumptions.assumeTrue(hostLs.isDynamic() && hostLs.interpreter().isPresent(),
        "/bin/ls is not dynamically linked");
    ResolvedLibraries host = LibraryResolver.builder().build().resolve(ls);
    Assumptions.assumeTrue(host.isComplete(), "host resolution of /bin/ls incomplete: "
        + host.missing());

    Path libs = Files.createDirectories(root.resolve("opt/libs"));
    String interp = hostLs.interpreter().get();
    String interpName = interp.substring(interp.lastIndexOf('/') + 1);
    for (FileEntry f : host.files()) {
      ElfFile lib = ElfFile.read(f.hostPath());
      String name = lib.soname().orElse(f.hostPath().getFileName().toString());
      if (f.hostPath().toRealPath().equals(Path.of(interp).toRealPath())) {
        name = interpName;
      }
      Files.copy(f.hostPath(), libs.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
      copied.add(name);
    }
    Path interpLink = root.resolve(interp.substring(1));
    Files.createDirectories(interpLink.getParent());
    Files.createSymbolicLink(interpLink, Path.of("/opt/libs/" + interpName)); // absolute: re-rooted
    program = root.resolve("usr/bin/ls");
    Files.createDirectories(program.getParent());
    Files.copy(ls, program);
    Path conf = Files.createDirectories(root.resolve("etc/ld.so.conf.d"));
    Files.writeString(root.resolve("etc/ld.so.conf"), "include ld.so.conf.d/*.conf\n");
    Files.writeString(conf.resolve("opt.conf"), "# sysroot libraries\n/opt/libs/\n");
  }

  private ResolvedLibraries resolve() throws IOException {
    return LibraryResolver.builder().setTargetRoot(root).build().resolve(Path.of("/usr/bin/ls"));
  }

  @Test
  void resolvesEverythingFromInsideTheRoot() throws IOException {
    ResolvedLibraries r = resolve();

    assertThat(r.missing()).isEmpty();
    assertThat(r.programImagePath()).isEqualTo("/usr/bin/ls");
    assertThat(r.interpreter()).isEqualTo(hostLs.interpreter());
    assertThat(r.symlinks()).containsExactly(new SymlinkEntry(hostLs.interpreter().get(),
        "/opt/libs/" + Path.of(hostLs.interpreter().get()).getFileName()));
    Set<String> names = new TreeSet<>();
    for (FileEntry f : r.files()) {
      assertThat(f.imagePath()).startsWith("/opt/libs/");
      assertThat(f.hostPath()).isEqualTo(root.resolve(f.imagePath().substring(1)));
      names.add(f.hostPath().getFileName().toString());
    }
    assertThat(names).isEqualTo(copied);
    // /opt/libs is searched only through ld.so.conf: the VM's loader will not find it ("6 What matters at run time inside Nanos").
    assertThat(r.warnings()).anyMatch(w -> w.contains("only through ld.so.conf"));
  }

  @Test
  void aLibraryRemovedFromTheRootIsMissingEvenThoughTheHostHasIt() throws IOException {
    String victim = hostLs.needed().get(0);
    Files.delete(root.resolve("opt/libs/" + victim));
    ResolvedLibraries r = resolve();
    assertThat(r.missing()).containsExactly(victim);
    assertThat(r.files()).allSatisfy(f -> assertThat(f.hostPath()).startsWith(root));
  }

  @Test
  void anAbsoluteSymlinkToAHostPathIsReRootedNotFollowedOnTheHost() throws IOException {
    String victim = hostLs.needed().get(0);
    Path hostCopy = null;
    for (String d : new String[] {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
        "/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib"}) {
      if (Files.exists(Path.of(d, victim))) {
        hostCopy = Path.of(d, victim);
        break;
      }
    }
    Assumptions.assumeTrue(hostCopy != null, "cannot find " + victim + " on the host");
    Path lib = root.resolve("opt/libs/" + victim);
    Files.delete(lib);
    Files.createSymbolicLink(lib, hostCopy); // exists on the host, not inside the root
    ResolvedLibraries r = resolve();
    assertThat(r.missing()).containsExactly(victim);
    assertThat(r.files()).allSatisfy(f -> assertThat(f.hostPath()).startsWith(root));
  }

  @Test
  void withoutLdSoConfOnlyLdLibraryPathFindsThem() throws IOException {
    ResolvedLibraries none = LibraryResolver.builder().setTargetRoot(root).setUseLdSoConf(false)
        .build().resolve(Path.of("/usr/bin/ls"));
    assertThat(none.missing()).containsAll(hostLs.needed());
    ResolvedLibraries env = LibraryResolver.builder().setTargetRoot(root).setUseLdSoConf(false)
        .setLibraryPath(java.util.List.of("/opt/libs")).build().resolve(Path.of("/usr/bin/ls"));
    assertThat(env.missing()).isEmpty();
    assertThat(env.warnings()).noneMatch(w -> w.contains("ld.so.conf"));
  }
}
