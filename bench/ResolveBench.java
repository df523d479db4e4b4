import dev.nanokit.elf.LibraryResolver;
import dev.nanokit.elf.ResolvedLibraries;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Resolver time on a warm JVM (issue: ELF parser and resolver; target well under 100 ms for
 * /usr/bin/node or the largest dynamic executable). Run with bench/elf-resolve.sh.
 */
public class ResolveBench {
  public static void main(String[] args) throws Exception {
    Path program = Path.of(args.length > 0 ? args[0] : "/usr/bin/node");
    LibraryResolver resolver = LibraryResolver.builder().build();
    ResolvedLibraries first = resolver.resolve(program);
    for (int i = 0; i < 200; i++) {
      resolver.resolve(program);
    }
    long[] ns = new long[100];
    for (int i = 0; i < ns.length; i++) {
      long t = System.nanoTime();
      resolver.resolve(program);
      ns[i] = System.nanoTime() - t;
    }
    Arrays.sort(ns);
    System.out.printf("program: %s  entries: %d  missing: %d%n", program, first.entries().size(), first.missing().size());
    System.out.printf("resolve (warm): median %.2f ms, p90 %.2f ms, max %.2f ms (target < 100 ms)%n",
        ns[50] / 1e6, ns[90] / 1e6, ns[99] / 1e6);
  }
}
