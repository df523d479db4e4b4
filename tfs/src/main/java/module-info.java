/**
 * TFS, the Nanos tuple filesystem: read a volume or a partitioned disk image ({@code TfsVolume}),
 * write a new one byte-reproducibly ({@code TfsWriter}), edit one in place as the kernel does
 * ({@code TfsEditor}). The log, its channels and space maps are internal; the MBR and atomic-output
 * classes are shared with the image builder only.
 */
module dev.nanokit.tfs {
  requires transitive dev.nanokit.manifest;
  // Only tar import and export need Commons Compress; a read-only user does not.
  requires static org.apache.commons.compress;

  exports dev.nanokit.tfs;
  exports dev.nanokit.tfs.disk to dev.nanokit.core;
}
