package dev.nanokit.elf;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code /etc/ld.so.conf} inside a root the way ldconfig does (docs/formats/elf-deps.md, "4.1 ld.so.conf (what feeds ld.so.cache)"): comments,
 * {@code include} globs relative to the including file, ignored {@code hwcap} lines. The resulting
 * directory order emulates ld.so.cache lookups without parsing the binary cache.
 */
final class LdSoConf {
  private static final int MAX_DEPTH = 16; // include cycles would otherwise recurse forever

  private LdSoConf() {}

  static List<String> directories(RootFs fs) {
    Set<String> dirs = new LinkedHashSet<>();
    parse(fs, "/etc/ld.so.conf", dirs, 0);
    return List.copyOf(dirs);
  }

  private static void parse(RootFs fs, String file, Set<String> dirs, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    String text = fs.readText(file);
    if (text == null) {
      return;
    }
    for (String raw : text.split("\n")) {
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("include") && line.length() > 7 && Character.isWhitespace(line.charAt(7))) {
        for (String pattern : line.substring(8).trim().split("[ \t]+")) {
          if (pattern.isEmpty()) {
            continue;
          }
          String abs = pattern.startsWith("/") ? pattern : RootFs.join(RootFs.parent(file), pattern);
          for (String match : glob(fs, abs)) {
            parse(fs, match, dirs, depth + 1);
          }
        }
        continue;
      }
      if (line.startsWith("hwcap") && (line.length() == 5 || Character.isWhitespace(line.charAt(5)))) {
        continue;
      }
      String dir = line.replaceAll("[\\s/]+$", "");
      if (dir.isEmpty()) {
        dir = "/";
      }
      dirs.add(RootFs.normalize(dir));
    }
  }

  /** Expands a glob(3)-style absolute pattern component by component, sorted like glob does. */
  static List<String> glob(RootFs fs, String pattern) {
    List<String> current = List.of("/");
    for (String comp : RootFs.normalize(pattern).substring(1).split("/")) {
      if (comp.isEmpty()) {
        continue;
      }
      List<String> next = new ArrayList<>();
      boolean wild = comp.indexOf('*') >= 0 || comp.indexOf('?') >= 0 || comp.indexOf('[') >= 0;
      PathMatcher m = null;
      if (wild) {
        try {
          m = FileSystems.getDefault().getPathMatcher("glob:" + comp);
        } catch (RuntimeException e) {
          return List.of();
        }
      }
      for (String base : current) {
        if (!wild) {
          next.add(RootFs.join(base, comp));
          continue;
        }
        for (String name : fs.list(base)) {
          if (name.startsWith(".") && !comp.startsWith(".")) {
            continue; // glob(3) does not match leading dots with wildcards
          }
          if (m.matches(Path.of(name))) {
            next.add(RootFs.join(base, name));
          }
        }
      }
      current = next;
    }
    return current;
  }
}
