/** ELF parsing and shared-library resolution with the dynamic loader's rules, never running a program. */
module dev.nanokit.elf {
  requires transitive dev.nanokit.manifest;

  exports dev.nanokit.elf;
}
