package dev.nanokit.tfs;

import java.io.IOException;

/** An edit that makes no sense for the volume as it is (a missing parent, an existing name, …). */
public class TfsEditException extends IOException {
  private static final long serialVersionUID = 1L;

  public TfsEditException(String message) {
    super(message);
  }
}
