import dev.nanokit.core.ImageSource;
import dev.nanokit.core.NanosImage;
import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * mkimage as a library (NanosImage in a warm JVM, as a build plugin embeds it) beside `tar chf` of
 * the same host files, alternating runs; prints medians and the ratio. Run with bench/mkimage.sh,
 * which also times the whole CLI process. Not a test.
 */
public class MkimageInProcessBench {
  public static void main(String[] args) throws Exception {
    Path program = Path.of(args.length > 0 ? args[0] : "/usr/bin/node");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    Path work = Files.createTempDirectory("mkimage-bench");
    Path out = work.resolve("out.img");
    Path tarOut = work.resolve("out.tar");
    ImagePlan plan = builder(program).plan();
    List<String> files = new ArrayList<>();
    for (ImageEntry e : plan.entries().values()) {
      if (e.kind() == ImageEntry.Kind.FILE && e.hostPath() != null) {
        files.add(e.hostPath().toString());
      }
    }
    Path list = Files.write(work.resolve("files"), files);
    for (int i = 0; i < 3; i++) { // warm-up: JIT and page cache
      builder(program).writeVolumeTo(out);
      tar(list, tarOut);
    }
    long[] mk = new long[runs];
    long[] tar = new long[runs];
    for (int i = 0; i < runs; i++) {
      Files.deleteIfExists(out);
      long t = System.nanoTime();
      builder(program).writeVolumeTo(out);
      mk[i] = System.nanoTime() - t;
      Files.deleteIfExists(tarOut);
      t = System.nanoTime();
      tar(list, tarOut);
      tar[i] = System.nanoTime() - t;
    }
    Arrays.sort(mk);
    Arrays.sort(tar);
    double m = mk[runs / 2] / 1e6;
    double r = tar[runs / 2] / 1e6;
    System.out.printf("in-process NanosImage.writeVolumeTo (warm JVM): %.1f ms%n", m);
    System.out.printf("tar chf (process)                        : %.1f ms%n", r);
    System.out.printf("ratio in-process/tar = %.2f (target <= 1.3)%n", m / r);
    for (Path p : List.of(out, tarOut, list, work)) {
      Files.deleteIfExists(p);
    }
  }

  private static NanosImage builder(Path program) {
    return NanosImage.from(ImageSource.program(program)).setEnvironment(Map.of());
  }

  private static void tar(Path list, Path out) throws Exception {
    Process p = new ProcessBuilder("tar", "chf", out.toString(), "-P", "-T", list.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("tar failed");
    }
  }
}
