package dev.nanokit.cli;

import dev.nanokit.core.ops.OpsSize;
import dev.nanokit.manifest.ManifestParser;
import dev.nanokit.tfs.TfsTimestamps;
import dev.nanokit.tfs.TfsWriteEvent;
import dev.nanokit.tfs.TfsWriteResult;
import dev.nanokit.tfs.TfsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tfs mkfs [--label L] [--size N] [--uuid U] [--tfs-version 4|5] [--mtimes] OUT (HOSTDIR | --manifest FILE
 * | --from-tar TREE.tar)}.
 */
@Command(name = "mkfs", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"Create a bare TFS volume from a host directory, a manifest or a tar archive.",
        "--manifest takes a Nanos mkfs-syntax manifest; --from-tar a .tar, .tar.gz or",
        ".tgz, read once (file contents spooled to a temporary file), hard links",
        "copied, devices and FIFOs refused.",
        "The same inputs give the same bytes: entries are sorted, the UUID is derived",
        "from the content unless --uuid is given, and no time is taken from the host",
        "clock. Files get no mtime unless SOURCE_DATE_EPOCH is set (then every entry",
        "gets that time) or --mtimes asks for the files' (or tar entries') own times",
        "(clamped to SOURCE_DATE_EPOCH when it is set).",
        "Without --size the volume leaves room for the kernel to keep writing",
        "(8 MiB or 10%% free)."})
final class MkfsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--label", paramLabel = "L", description = "Volume label (at most 31 bytes of UTF-8).")
  String label = "";

  @Option(names = "--size", paramLabel = "N", description = "Volume size: N, Nk, Nm or Ng bytes.")
  String size;

  @Option(names = "--uuid", paramLabel = "U", description = "Volume UUID, xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.")
  String uuid;

  @Option(names = "--tfs-version", paramLabel = "4|5", description = "TFS encoding version (default 5).")
  int version = 5;

  @Option(names = "--mtimes", description = "Record the host files' (or tar entries') modification times.")
  boolean mtimes;

  @Parameters(index = "0", paramLabel = "OUT")
  Path out;

  @Parameters(index = "1", paramLabel = "HOSTDIR", arity = "0..1", description = "Host directory tree to copy.")
  Path hostDir;

  @Option(names = "--manifest", paramLabel = "FILE", description = "A Nanos mkfs manifest (host paths in contents).")
  Path manifest;

  @Option(names = "--from-tar", paramLabel = "TREE.tar",
      description = "A tar archive, plain or gzip-compressed: directories, files, symlinks and hard links.")
  Path fromTar;

  @Override
  public Integer call() throws IOException {
    if ((hostDir != null ? 1 : 0) + (manifest != null ? 1 : 0) + (fromTar != null ? 1 : 0) != 1) {
      throw new ParameterException(spec.commandLine(), "give exactly one of HOSTDIR, --manifest FILE or --from-tar TREE.tar");
    }
    if (version != 4 && version != 5) {
      throw new ParameterException(spec.commandLine(), "--tfs-version must be 4 or 5, not " + version);
    }
    TfsWriter writer;
    try {
      writer = TfsWriter.create().setVersion(version).setLabel(label);
      if (Progress.stderrIsTerminal()) {
        writer.addEventHandler(TfsWriteEvent.class, new TerminalProgress("mkfs " + out.getFileName()));
      }
      if (uuid != null) {
        writer.setUuid(UUID.fromString(uuid));
      }
      if (size != null) {
        writer.setSize(roundUp(OpsSize.parse("--size", size)));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    TfsTimestamps times = epoch == null ? TfsTimestamps.none() : TfsTimestamps.fromSourceDateEpoch(System.getenv());
    if (mtimes) {
      times = epoch == null ? TfsTimestamps.fromFiles() : TfsTimestamps.fromFiles().clampedTo(epoch());
    }
    writer.setTimestamps(times);
    Path spool = null;
    try {
      if (manifest != null) {
        writer.addManifest(new ManifestParser().parse(manifest));
      } else if (fromTar != null) {
        // One spool for every file in the tar, in the system temp dir: the tar is read once, front to back.
        spool = Files.createTempFile("tfs-mkfs-", ".spool");
        writer.addTar("/", fromTar, spool);
      } else {
        if (!Files.isDirectory(hostDir)) {
          if (!Files.exists(hostDir)) {
            throw new NoSuchFileException(hostDir.toString(), null, "no such directory");
          }
          throw new CliFailure(hostDir + ": not a directory");
        }
        writer.addTree("/", hostDir);
      }
      TfsWriteResult r = writer.writeTo(out);
      if (r == null) {
        throw new CliFailure(out + ": nothing written");
      }
    } catch (CliFailure | NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw new CliFailure(out + ": " + CommandRunner.describe(e), e);
    } finally {
      if (spool != null) {
        Files.deleteIfExists(spool);
      }
    }
    return 0;
  }

  private static long roundUp(long bytes) {
    return (bytes + 511) / 512 * 512;
  }

  private static Instant epoch() {
    return Instant.ofEpochSecond(Long.parseLong(System.getenv("SOURCE_DATE_EPOCH").trim()));
  }
}
