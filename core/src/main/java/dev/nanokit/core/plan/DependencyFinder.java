package dev.nanokit.core.plan;

import dev.nanokit.core.ImageEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Resolves a program's interpreter and libraries; {@link ElfDependencies} by default, a stand-in in tests. */
public interface DependencyFinder {
  List<ImageEntry> find(Path programHost, Path targetRoot) throws IOException;
}
