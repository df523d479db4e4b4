/**
 * Running a Nanos image (internal): what the image says about itself, the QEMU command line, firmware
 * on the host, the meaning of QEMU's exit status, the Firecracker configuration. {@code NanosRun} is the
 * API over it.
 */
package dev.nanokit.core.run;
