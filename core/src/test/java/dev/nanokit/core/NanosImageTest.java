package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.tfs.DiskPartition;
import dev.nanokit.tfs.TfsReadOptions;
import dev.nanokit.tfs.TfsVolume;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structural tests of whole images: partition table, region record, boot fs, root tuple, ESP. */
class NanosImageTest {
  @TempDir Path tmp;
  Path program;
  Path kernel;
  Path bootImg;

  /** A boot.img stand-in: stage1 sector with the region record for a 32 KiB stage2 (docs/formats/disk-image.md, "2.2 The filesystem region record (how S is found)"). */
  static byte[] bootImage(int stage2) {
    byte[] b = new byte[512 + stage2];
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    bb.putLong(0x1AA, 0x8000).putLong(0x1B2, stage2).putInt(0x1BA, 12);
    b[0] = (byte) 0xEA;
    b[0x1FE] = 0x55;
    b[0x1FF] = (byte) 0xAA;
    Arrays.fill(b, 512, b.length, (byte) 0x90);
    return b;
  }

  @BeforeEach
  void inputs() throws Exception {
    program = tmp.resolve("bin/hello");
    Files.createDirectories(program.getParent());
    Files.writeString(program, "not really an ELF, the dependency finder is stubbed");
    kernel = tmp.resolve("kernel.img");
    Files.write(kernel, new byte[200_000]);
    bootImg = tmp.resolve("boot.img");
    Files.write(bootImg, bootImage(0x8000));
  }

  private NanosImage builder() {
    return NanosImage.from(ImageSource.program(program)).setWorkingDirectory(tmp)
        .setRelease(NanosRelease.ofKernel(kernel).withBootImage(bootImg))
        .setUuid(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"))
        .setDependencyFinder((p, root) -> List.of());
  }

  @Test
  void assemblesTheDiskByTheSpecRecipe() throws Exception {
    Path out = tmp.resolve("out.img");
    ImageResult r = builder().addArguments("--port", "8080").putEnvironment("GREETING", "hi")
        .set("debug_exit", StringValue.of("t")).writeTo(out);

    byte[] disk = Files.readAllBytes(out);
    assertThat(r.size()).isEqualTo(disk.length);
    // boot.img verbatim, partition entries at 0x1BE, klog area zeros.
    assertThat(Arrays.copyOfRange(disk, 512, 512 + 0x8000)).isEqualTo(Arrays.copyOfRange(bootImage(0x8000), 512, 512 + 0x8000));
    long p0 = 512 + 0x8000 + 4096;
    assertThat(Arrays.copyOfRange(disk, (int) p0 - 4096, (int) p0)).containsOnly(0);
    ByteBuffer mbr = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(mbr.getInt(0x1BE + 8)).isEqualTo((int) (p0 / 512));
    assertThat(mbr.getInt(0x1BE + 12)).isEqualTo(24576);
    assertThat(mbr.getInt(0x1CE + 8)).isEqualTo((int) ((p0 + (12 << 20)) / 512));
    assertThat((long) mbr.getInt(0x1CE + 12) * 512).isEqualTo(disk.length - p0 - (12 << 20));
    assertThat(Arrays.copyOfRange(disk, 0x1DE, 0x1FE)).containsOnly(0);

    try (TfsVolume root = TfsVolume.open(out)) {
      assertThat(root.partitions()).extracting(DiskPartition::role)
          .containsExactly(DiskPartition.Role.BOOT_FILESYSTEM, DiskPartition.Role.ROOT_FILESYSTEM);
      assertThat(root.lookup(program.toString(), false)).isPresent();
      assertThat(root.lookup("/etc/passwd", false)).isPresent();
      assertThat(root.rootTuple().get("program")).isEqualTo(StringValue.of(program.toString()));
      assertThat(root.rootTuple().get("debug_exit")).isEqualTo(StringValue.of("t"));
      assertThat(root.rootTuple().getTuple("environment").get("GREETING")).isEqualTo(StringValue.of("hi"));
      assertThat(root.uuid()).isEqualTo("00112233-4455-6677-8899-aabbccddeeff");
      // The kernel needs room to write: at least two 512 KiB extension areas plus data.
      assertThat(root.info().freeBytes()).isGreaterThan(1_049_088L);
    }
    TfsReadOptions boot = TfsReadOptions.builder().setFilesystem(TfsReadOptions.Filesystem.BOOT).build();
    try (TfsVolume bootFs = TfsVolume.open(out, boot); InputStream k = bootFs.lookup("/kernel", false).orElseThrow().newInputStream()) {
      assertThat(k.readAllBytes()).isEqualTo(Files.readAllBytes(kernel));
    }
  }

  @Test
  void sameInputsGiveTheSameBytes() throws Exception {
    Path a = tmp.resolve("a.img");
    Path b = tmp.resolve("b.img");
    builder().setUuid(null).setEnvironment(Map.of("SOURCE_DATE_EPOCH", "1700000000")).writeTo(a);
    builder().setUuid(null).setEnvironment(Map.of("SOURCE_DATE_EPOCH", "1700000000")).writeTo(b);
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void addsAnEspWhenAUefiLoaderIsGiven() throws Exception {
    Path loader = tmp.resolve("bootx64.efi");
    Files.write(loader, dev.nanokit.testing.manifest.TestPrograms.peFile(dev.nanokit.testing.manifest.TestPrograms.PE_X86_64,
        3000));
    Path out = tmp.resolve("uefi.img");
    builder().setRelease(NanosRelease.ofKernel(kernel).withBootImage(bootImg).withUefiLoader(loader)).writeTo(out);
    ByteBuffer mbr = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(mbr.get(0x1BE + 4) & 0xff).isEqualTo(0xEF);
    assertThat((long) mbr.getInt(0x1BE + 12) * 512).isEqualTo(33L << 20);
    try (TfsVolume root = TfsVolume.open(out)) {
      assertThat(root.partitions()).hasSize(3);
      assertThat(root.lookup("/etc/passwd", false)).isPresent();
    }
  }

  @Test
  void aBareVolumeNeedsNoKernel() throws Exception {
    Path out = tmp.resolve("bare.img");
    ImageResult r = NanosImage.from(ImageSource.program(program)).setWorkingDirectory(tmp)
        .setDependencyFinder((p, root) -> List.of()).writeVolumeTo(out);
    assertThat(r.bootable()).isFalse();
    byte[] head = Arrays.copyOf(Files.readAllBytes(out), 512);
    assertThat(new String(head, 0, 6)).isEqualTo("NVMTFS");
    assertThat(head[0x1FE]).isNotEqualTo((byte) 0x55);
  }

  @Test
  void failsClearlyWithoutAKernelOrWithABadBootImage() throws Exception {
    Path out = tmp.resolve("x.img");
    assertThatThrownBy(() -> NanosImage.from(ImageSource.program(program)).setWorkingDirectory(tmp).setUserHome(tmp)
        .setDependencyFinder((p, root) -> List.of()).writeTo(out))
        .isInstanceOfSatisfying(MissingReleaseFileException.class,
            e -> assertThat(e.file()).isEqualTo(MissingReleaseFileException.ReleaseFile.KERNEL))
        .hasMessageStartingWith("no Nanos kernel: none given, none in the configuration, NANOS_HOME")
        .hasMessageNotContaining("--");
    byte[] bad = bootImage(0x8000);
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0x1B2, 0x4000);
    Files.write(bootImg, bad);
    assertThatThrownBy(() -> builder().writeTo(out))
        .hasMessageContaining("region record says stage2 is 16384 bytes (byte offset 434) but the file holds 32768");
    assertThat(out).doesNotExist();
    assertThatThrownBy(() -> builder().setRelease(NanosRelease.ofKernel(kernel)).setSize(1 << 20).writeTo(out))
        .hasMessageStartingWith("image size 1048576 bytes is too small: it needs at least");
    assertThat(out).doesNotExist();
  }

  /** A minimal static executable for {@code machine} (62 x86-64, 183 aarch64). */
  static Path elfProgram(Path at, int machine) throws Exception {
    return dev.nanokit.testing.manifest.TestPrograms.staticElf(at, machine);
  }

  @Test
  void nanosArchComesFromTheProgramsElfHeader() throws Exception {
    Path arm = elfProgram(tmp.resolve("arm/hello"), 183);
    Path x86 = elfProgram(tmp.resolve("x86/hello"), 62);
    ImagePlan armPlan = NanosImage.from(ImageSource.program(arm)).setWorkingDirectory(tmp).plan();
    ImagePlan x86Plan = NanosImage.from(ImageSource.program(x86)).setWorkingDirectory(tmp).plan();
    assertThat(armPlan.rootConfig().getTuple("environment").get("NANOS_ARCH")).isEqualTo(StringValue.of("arm64"));
    assertThat(x86Plan.rootConfig().getTuple("environment").get("NANOS_ARCH")).isEqualTo(StringValue.of("amd64"));
    // The x86-64 name-service library is for x86-64 images only.
    assertThat(armPlan.entries()).doesNotContainKey("/lib/x86_64-linux-gnu/libnss_dns.so.2");
    assertThat(NanosImage.from(ImageSource.program(x86)).setWorkingDirectory(tmp).setArchitecture("arm64").plan()
        .rootConfig().getTuple("environment").get("NANOS_ARCH")).isEqualTo(StringValue.of("arm64"));
    assertThatThrownBy(() -> NanosImage.from(ImageSource.program(x86)).setArchitecture("sparc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"sparc\"");
  }

  @Test
  void anArm64ProgramOnAnX86KernelIsATypedError() throws Exception {
    Path arm = elfProgram(tmp.resolve("arm/hello"), 183);
    Path x86Kernel = elfProgram(tmp.resolve("k/kernel.img"), 62);
    assertThatThrownBy(() -> NanosImage.from(ImageSource.program(arm)).setWorkingDirectory(tmp)
        .setRelease(NanosRelease.ofKernel(x86Kernel)).writeTo(tmp.resolve("x.img")))
        .isInstanceOf(ArchitectureMismatchException.class)
        .hasMessageContaining("AARCH64").hasMessageContaining("X86_64");
    assertThat(tmp.resolve("x.img")).doesNotExist();
  }

  /** ops keeps arm64 releases as V-arm beside V: an arm64 program gets that one's kernel and 512-byte stub. */
  @Test
  void anArm64ProgramTakesTheArmReleaseOfItsVersion() throws Exception {
    Path ops = tmp.resolve("user/.ops");
    Path x86Kernel = elfProgram(ops.resolve("0.1.50/kernel.img"), 62);
    Files.write(ops.resolve("0.1.50/boot.img"), bootImage(0x8000));
    Path armKernel = Files.write(elfProgram(ops.resolve("0.1.50-arm/kernel.img"), 183),
        ("arm kernel " + "k".repeat(200)).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        java.nio.file.StandardOpenOption.APPEND);
    Files.write(ops.resolve("0.1.50-arm/boot.img"), bootImage(0));
    Path arm = elfProgram(tmp.resolve("arm/hello"), 183);
    Path out = tmp.resolve("arm.img");

    NanosImage.from(ImageSource.program(arm)).setWorkingDirectory(tmp).setEnvironment(Map.of())
        .setUserHome(tmp.resolve("user")).setNanosVersion("0.1.50").writeTo(out);

    byte[] disk = Files.readAllBytes(out);
    assertThat(indexOf(disk, Files.readAllBytes(armKernel))).isPositive();
    assertThat(indexOf(disk, Files.readAllBytes(x86Kernel))).isNegative();
    assertThat(ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN).getInt(0x1BE + 8)).isEqualTo((512 + 4096) / 512);
    try (TfsVolume v = TfsVolume.open(out)) {
      assertThat(v.rootTuple().getTuple("environment").get("NANOS_ARCH")).isEqualTo(StringValue.of("arm64"));
      assertThat(v.lookup("/lib/x86_64-linux-gnu/libnss_dns.so.2", false)).isEmpty();
    }
    // The x86 release alone does not boot it: its BIOS loader and kernel are refused, nothing is written.
    Files.delete(out);
    assertThatThrownBy(() -> NanosImage.from(ImageSource.program(arm)).setWorkingDirectory(tmp).setEnvironment(Map.of())
        .setRelease(NanosRelease.ofKernel(armKernel).withBootImage(ops.resolve("0.1.50/boot.img"))).writeTo(out))
        .isInstanceOf(ArchitectureMismatchException.class).hasMessageContaining("is an x86 BIOS boot loader");
    assertThat(out).doesNotExist();
    assertThatThrownBy(() -> NanosImage.from(ImageSource.program(arm)).setWorkingDirectory(tmp).setEnvironment(Map.of())
        .setUserHome(tmp.resolve("user")).setNanosVersion("0.1.51").writeTo(out))
        .isInstanceOf(MissingReleaseFileException.class)
        .hasMessage("Nanos 0.1.51 is not in the ops cache (no kernel.img in " + ops.resolve("0.1.51-arm") + ")");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** What a new user gives as a program: a bare name (on PATH, as ops), a directory, a script. */
  @Test
  void bareNamesAreLookedUpOnPathDirectoriesAndScriptsAreRefusedByName() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("root/usr/local/bin"));
    Path tool = elfProgram(bin.resolve("tool"), 62);
    ImagePlan plan = NanosImage.from(ImageSource.program(Path.of("tool"))).setWorkingDirectory(tmp)
        .setTargetRoot(tmp.resolve("root")).setEnvironment(Map.of("PATH", "relative:/usr/bin:/usr/local/bin")).plan();
    assertThat(plan.entries().get("/usr/local/bin/tool").hostPath()).isEqualTo(tool);
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of("/usr/local/bin/tool"));
    assertThat(plan.rootConfig().get("arguments")).isEqualTo(dev.nanokit.manifest.VectorValue.ofStrings(List.of("tool")));
    assertThatThrownBy(() -> NanosImage.from(ImageSource.program(Path.of("nothere"))).setWorkingDirectory(tmp)
        .setEnvironment(Map.of("PATH", "/nonexistent")).plan())
        .isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessage("nothere: program not found in " + tmp + " or on PATH (/nonexistent)");

    assertThatThrownBy(() -> NanosImage.from(ImageSource.program(tmp.resolve("root/usr"))).setWorkingDirectory(tmp)
        .setEnvironment(Map.of()).plan())
        .isInstanceOf(java.nio.file.FileSystemException.class)
        .hasMessage(tmp.resolve("root/usr") + ": is a directory, not a program");

    Path script = Files.writeString(tmp.resolve("run.sh"), "#!/bin/sh -e\necho hi\n");
    assertThatThrownBy(() -> NanosImage.from(ImageSource.program(script)).setWorkingDirectory(tmp).setEnvironment(Map.of())
        .plan())
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(script + ": a script for /bin/sh -e, not an ELF program: Nanos runs the interpreter, so make it the"
            + " program and the script its argument");
  }

  @Test
  void klibsOnABareVolumeAreAWarning() throws Exception {
    List<String> warnings = new java.util.ArrayList<>();
    builder().addKlib("ntp").addEventHandler(WarningEvent.class, w -> warnings.add(w.message()))
        .writeVolumeTo(tmp.resolve("bare.img"));
    assertThat(warnings).containsExactly("klibs ntp left out: they live in the boot filesystem, which a bare volume"
        + " does not have (the root tuple still names them)");
  }

  /** A program cross-built outside the sysroot it runs against goes in at its own path. */
  @Test
  void anAbsoluteProgramOutsideTheTargetRootIsTheHostFile() throws Exception {
    Path sysroot = Files.createDirectories(tmp.resolve("sysroot"));
    Path hello = elfProgram(tmp.resolve("build/hello"), 183);
    ImagePlan plan = NanosImage.from(ImageSource.program(hello)).setWorkingDirectory(tmp).setTargetRoot(sysroot).plan();
    assertThat(plan.entries().get(hello.toString()).hostPath()).isEqualTo(hello);
    assertThat(plan.rootConfig().get("program")).isEqualTo(StringValue.of(hello.toString()));
    // Inside the root, the root's file still wins.
    Path inRoot = elfProgram(sysroot.resolve(hello.toString().substring(1)), 183);
    ImagePlan rooted = NanosImage.from(ImageSource.program(hello)).setWorkingDirectory(tmp).setTargetRoot(sysroot).plan();
    assertThat(rooted.entries().get(hello.toString()).hostPath()).isEqualTo(inRoot);
    assertThatThrownBy(() -> NanosImage.from(ImageSource.program(tmp.resolve("build/none"))).setWorkingDirectory(tmp)
        .setTargetRoot(sysroot).plan()).isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  /**
   * A write that plans for itself copies the small files its ELF check read whole; after an earlier
   * plan() it reads them again, as they are when written.
   */
  @Test
  void smallFilesAreCopiedAsTheyAreWhenTheImageIsWritten() throws Exception {
    Path tree = tmp.resolve("tree");
    Path small = Files.writeString(Files.createDirectories(tree.resolve("sub")).resolve("small.txt"), "first");
    Files.write(tree.resolve("sub/big.bin"), pattern(20_000));
    dev.nanokit.tfs.ImagePath data = dev.nanokit.tfs.ImagePath.of("/data");

    builder().addDirectory(tree, data).writeVolumeTo(tmp.resolve("first.img"));
    assertThat(fileIn(tmp.resolve("first.img"), "/data/sub/small.txt")).isEqualTo("first".getBytes());
    assertThat(fileIn(tmp.resolve("first.img"), "/data/sub/big.bin")).isEqualTo(pattern(20_000));

    NanosImage planned = builder().addDirectory(tree, data);
    planned.plan();
    Files.writeString(small, "again");
    planned.writeVolumeTo(tmp.resolve("planned.img"));
    assertThat(fileIn(tmp.resolve("planned.img"), "/data/sub/small.txt")).isEqualTo("again".getBytes());

    builder().addDirectory(tree, data).writeVolumeTo(tmp.resolve("unplanned.img"));
    assertThat(Files.readAllBytes(tmp.resolve("unplanned.img"))).isEqualTo(Files.readAllBytes(tmp.resolve("planned.img")));
    builder().addDirectory(tree, data).setRuntimeSupport(false).writeVolumeTo(tmp.resolve("unchecked.img"));
    assertThat(fileIn(tmp.resolve("unchecked.img"), "/data/sub/small.txt")).isEqualTo("again".getBytes());
  }

  private static byte[] fileIn(Path image, String path) throws Exception {
    try (TfsVolume v = TfsVolume.open(image);
        InputStream in = v.lookup(dev.nanokit.tfs.ImagePath.of(path)).orElseThrow().newInputStream()) {
      return in.readAllBytes();
    }
  }

  /** Bytes that differ from block to block. */
  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + i / 512);
    }
    return bytes;
  }

  @Test
  void hostAndImagePathsWithColonsSpacesParenthesesAndNonAscii() throws Exception {
    Path weird = Files.writeString(Files.createDirectories(tmp.resolve("dir: (ü)")).resolve("a:b c(1)é.txt"), "x");
    Path out = tmp.resolve("w.img");
    ImagePlan plan = builder().addFile(weird, dev.nanokit.tfs.ImagePath.of("/data/a:b c(1)é.txt"))
        .addDirectory(weird.getParent(), dev.nanokit.tfs.ImagePath.of("/tree: (ü)")).plan();
    assertThat(plan.entries().get("/data/a:b c(1)é.txt").hostPath()).isEqualTo(weird);
    assertThat(plan.entries().get("/tree: (ü)/a:b c(1)é.txt").hostPath()).isEqualTo(weird);
    builder().addFile(weird, dev.nanokit.tfs.ImagePath.of("/data/a:b c(1)é.txt")).writeVolumeTo(out);
    try (TfsVolume v = TfsVolume.open(out); InputStream in = v.lookup(dev.nanokit.tfs.ImagePath.of("/data/a:b c(1)é.txt"))
        .orElseThrow().newInputStream()) {
      assertThat(in.readAllBytes()).containsExactly('x');
    }
  }

  @Test
  void thePlanIsReusedUntilAnInputChanges() throws Exception {
    NanosImage b = builder();
    ImagePlan first = b.plan();
    assertThat(b.plan()).isSameAs(first);
    b.putEnvironment("LATER", "1");
    ImagePlan second = b.plan();
    assertThat(second).isNotSameAs(first);
    assertThat(second.rootConfig().getTuple("environment").get("LATER")).isEqualTo(StringValue.of("1"));
    // The plan is a value: what it hands out cannot change it.
    second.rootConfig().put("program", StringValue.of("/changed"));
    assertThat(second.rootConfig().get("program")).isEqualTo(StringValue.of(program.toString()));
    assertThatThrownBy(() -> second.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void notesAreEventsAndSeveralHandlersSeeThem() throws Exception {
    List<String> notes = new java.util.ArrayList<>();
    List<ImageEvent> all = new java.util.ArrayList<>();
    ImagePlan plan = builder().addEventHandler(NoteEvent.class, n -> notes.add(n.message()))
        .addEventHandler(ImageEvent.class, all::add).plan();
    assertThat(notes).isEqualTo(plan.notes()).isNotEmpty();
    assertThat(all).hasSize(notes.size());
  }

  @Test
  void missingReleaseFilesAreTypedAndNameNoFlag() throws Exception {
    assertThatThrownBy(() -> builder().set("klibs", StringValue.of("bootfs")).addKlib("tls")
        .setRelease(NanosRelease.ofKernel(kernel).withKlibDirectory(tmp.resolve("no-klibs"))).writeTo(tmp.resolve("k.img")))
        .isInstanceOfSatisfying(MissingReleaseFileException.class,
            e -> assertThat(e.file()).isEqualTo(MissingReleaseFileException.ReleaseFile.KLIB))
        .hasMessageContaining("tls: klib not found").hasMessageNotContaining("--");
    assertThatThrownBy(() -> NanosImage.from(ImageSource.configuredProgram()).setWorkingDirectory(tmp).plan())
        .isInstanceOf(ImageInputException.class).hasMessage("no program: the configuration names none");
  }
}
