package smpemu.coordinator.cli;

import picocli.CommandLine.Option;

/** {@code --progress}, shared by the commands that can run long. */
final class ProgressOptions {
    @Option(names = "--progress", paramLabel = "auto|always|never", defaultValue = "auto",
        description = "Progress on stderr: auto (when stderr is a terminal, and for runs after 2 s), always, never (default: ${DEFAULT-VALUE}).")
    Progress.Mode mode = Progress.Mode.AUTO;
}
