/** What an application embedding nanokit looks like: it can reach only the exported API. */
module dev.nanokit.example {
  requires dev.nanokit.core;

  exports dev.nanokit.example;
}
