package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import smpemu.config.TopologySettings;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.TopologyReport;

/**
 * Reads a real machine's description as {@code topology.import = PATH} would, through the same
 * loader, and prints what it understood; the configuration options set the latencies.
 */
@Command(name = "topology", description = "Show what smpemu understands of a machine description (lscpu -p output, a copied sysfs, hwloc XML).")
final class TopologyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "lscpu -p=CPU,CORE,SOCKET,NODE output, a sysfs copy directory, or lstopo --of xml output.")
    String path;

    @Mixin
    ConfigOptions config;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the map as JSON to FILE (- = stdout, then without the text).")
    String json;

    @Override
    public Integer call() {
        config.perWindowFigures = false; // it runs nothing: no windows to judge
        // No default scenario: a bundled workload would not fit every machine (smoke needs 4 CPUs).
        TopologySettings t = config.settings(null, Map.of("topology.import", path)).topology();
        PrintWriter out = spec.commandLine().getOut();
        OutputFiles files = new OutputFiles();
        if (json != null) files.write(json, JsonReport.write(TopologyReport.tree(path, t)), out);
        if (!"-".equals(json)) out.print(TopologyReport.render(path, t));
        out.flush();
        return files.finish(spec.commandLine().getErr(), 0);
    }
}
