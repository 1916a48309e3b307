package smpemu.coordinator.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import smpemu.config.SimSettings;
import smpemu.node.model.ModelContext;

@Command(name = "check", description = "Validate a configuration without running it.")
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
        SimSettings s = config.settings("smoke", Map.of());
        // Building the model context also compiles the task programs, as a run would.
        ModelContext ctx = new ModelContext(s);
        spec.commandLine().getOut().printf("ok: %s, %d CPUs, %d tasks%n",
            s.scenario(), s.topology().cpus(), ctx.workload.taskCount());
        return 0;
    }
}
