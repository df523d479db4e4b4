/**
 * Building Nanos disk images: {@code NanosImage.from(ImageSource)} and what it needs. Only
 * {@code dev.nanokit.core} is API; disk assembly, content planning, ops support (config.json,
 * packages, the release cache) and container images are internal packages.
 */
module dev.nanokit.core {
  requires transitive dev.nanokit.tfs;
  requires transitive dev.nanokit.elf;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.google.common;
  requires org.apache.commons.compress;
  requires java.net.http;

  exports dev.nanokit.core;
}
