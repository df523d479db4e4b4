/**
 * The Nanos tuple value model, the manifest text parser and printer, and nanokit's root exception.
 * The binary tuple codec (TFS v5 and v4) is internal: only the TFS module reads and writes it.
 */
module dev.nanokit.manifest {
  exports dev.nanokit;
  exports dev.nanokit.manifest;
  exports dev.nanokit.manifest.codec to dev.nanokit.tfs;
  exports dev.nanokit.manifest.text to dev.nanokit.core;
  exports dev.nanokit.paths to dev.nanokit.elf, dev.nanokit.tfs, dev.nanokit.core;
  exports dev.nanokit.events to dev.nanokit.tfs, dev.nanokit.core;
}
