/** A reader of TFS volumes that needs nothing but nanokit-tfs. */
module dev.nanokit.example.reading {
  requires dev.nanokit.tfs;

  exports dev.nanokit.example.reading;
}
