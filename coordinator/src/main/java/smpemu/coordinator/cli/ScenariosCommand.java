package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import smpemu.config.ScenarioCatalog;

@Command(name = "scenarios", description = "List the bundled scenarios.")
final class ScenariosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> names = ScenarioCatalog.names();
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        PrintWriter out = spec.commandLine().getOut();
        for (String name : names) out.printf("%-" + width + "s  %s%n", name, ScenarioCatalog.description(name));
        return 0;
    }
}
