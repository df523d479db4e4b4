package dev.nanokit.core;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The classes of a jar or a classes directory that declare {@code public static void main(String[])},
 * found by reading class files (JVMS §4), never by loading them: what the launcher could start when no
 * main class is named. Multi-release variants ({@code META-INF/versions/}) and {@code module-info} are
 * not classes to start.
 *
 * <p>Stateless; safe for concurrent use.
 */
final class MainClassCandidates {
  private static final int ACC_PUBLIC = 0x0001;
  private static final int ACC_STATIC = 0x0008;
  private static final String MAIN_DESCRIPTOR = "([Ljava/lang/String;)V";

  private MainClassCandidates() {}

  /** Binary names (dotted), sorted, of the classes in {@code jarOrDirectory} with a main method. */
  static List<String> in(Path jarOrDirectory) throws IOException {
    TreeSet<String> found = new TreeSet<>();
    if (Files.isDirectory(jarOrDirectory)) {
      List<Path> classes;
      try (Stream<Path> s = Files.walk(jarOrDirectory)) {
        classes = s.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).toList();
      }
      for (Path c : classes) {
        String name = jarOrDirectory.relativize(c).toString().replace('\\', '/');
        if (isStartable(name)) {
          try (InputStream in = Files.newInputStream(c)) {
            if (hasMain(in)) {
              found.add(binaryName(name));
            }
          }
        }
      }
    } else {
      try (JarFile jar = new JarFile(jarOrDirectory.toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
          JarEntry entry = e.nextElement();
          if (!entry.isDirectory() && isStartable(entry.getName())) {
            try (InputStream in = jar.getInputStream(entry)) {
              if (hasMain(in)) {
                found.add(binaryName(entry.getName()));
              }
            }
          }
        }
      }
    }
    return new ArrayList<>(found);
  }

  private static boolean isStartable(String name) {
    return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")
        && !name.endsWith("package-info.class");
  }

  private static String binaryName(String classFile) {
    return classFile.substring(0, classFile.length() - ".class".length()).replace('/', '.');
  }

  /** Whether the class file declares {@code public static void main(String[])}; a file that is not one says no. */
  static boolean hasMain(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    try {
      if (in.readInt() != 0xCAFEBABE) {
        return false;
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
          case 5, 6 -> {
            in.skipNBytes(8);
            i++; // longs and doubles take two constant-pool slots (JVMS §4.4.5)
          }
          case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
          case 15 -> in.skipNBytes(3);
          default -> {
            return false;
          }
        }
      }
      in.skipNBytes(6); // access flags, this class, super class
      in.skipNBytes(2L * in.readUnsignedShort());
      skipMembers(in);
      int methods = in.readUnsignedShort();
      for (int m = 0; m < methods; m++) {
        int access = in.readUnsignedShort();
        String name = utf8At(utf8, in.readUnsignedShort());
        String descriptor = utf8At(utf8, in.readUnsignedShort());
        if ((access & (ACC_PUBLIC | ACC_STATIC)) == (ACC_PUBLIC | ACC_STATIC) && "main".equals(name)
            && MAIN_DESCRIPTOR.equals(descriptor)) {
          return true;
        }
        skipAttributes(in);
      }
      return false;
    } catch (java.io.EOFException | java.io.UTFDataFormatException truncated) {
      return false;
    }
  }

  private static String utf8At(String[] pool, int index) {
    return index > 0 && index < pool.length ? pool[index] : null;
  }

  private static void skipMembers(DataInputStream in) throws IOException {
    int count = in.readUnsignedShort();
    for (int i = 0; i < count; i++) {
      in.skipNBytes(6);
      skipAttributes(in);
    }
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int count = in.readUnsignedShort();
    for (int i = 0; i < count; i++) {
      in.skipNBytes(2);
      in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
    }
  }
}
