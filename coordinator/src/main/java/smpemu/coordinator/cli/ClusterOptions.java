package smpemu.coordinator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where a run's CPUs are hosted: this JVM (default), a local cluster of child JVMs, or a cluster. */
final class ClusterOptions {
    @Option(names = "--cluster-local", paramLabel = "N",
        description = "Start N-1 worker JVMs on 127.0.0.1 and spread the CPUs over N nodes (this one included).")
    Integer clusterLocal;

    @Option(names = "--join", paramLabel = "HOST:PORT",
        description = "Join the cluster at HOST:PORT (a member's address; this node's own to start one) as its coordinator.")
    String join;

    @Option(names = "--expect-nodes", paramLabel = "N",
        description = "With --join: wait for N nodes, this one included (smpemu.cluster.join-timeout, default 60s).")
    Integer expectNodes;

    @Option(names = "--port", paramLabel = "P", description = "With --join: this node's port (default: any free port).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
        description = "With --join or --cluster-local: the address to bind and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    boolean enabled() { return clusterLocal != null || join != null; }

    /** How many nodes the run uses, this one included. */
    int nodes() { return clusterLocal != null ? clusterLocal : expectNodes; }

    /** Contradictions are usage errors (exit 2), found before anything starts. */
    void validate(CommandLine cl) {
        if (clusterLocal != null && join != null) {
            throw new ParameterException(cl, "--cluster-local and --join are alternatives: give one");
        }
        if (clusterLocal != null && clusterLocal < 1) throw new ParameterException(cl, "--cluster-local must be >= 1, got " + clusterLocal);
        if (join != null && expectNodes == null) throw new ParameterException(cl, "--join needs --expect-nodes N");
        if (expectNodes != null && join == null) throw new ParameterException(cl, "--expect-nodes needs --join HOST:PORT");
        if (expectNodes != null && expectNodes < 1) throw new ParameterException(cl, "--expect-nodes must be >= 1, got " + expectNodes);
        if (port != null && join == null) throw new ParameterException(cl, "--port needs --join HOST:PORT");
        if (join != null) checkHostPort(cl, "--join", join);
        if (port != null && (port < 0 || port > 65535)) throw new ParameterException(cl, "--port must be 0-65535, got " + port);
    }

    static void checkHostPort(CommandLine cl, String option, String value) {
        int colon = value.lastIndexOf(':');
        boolean ok = colon > 0 && colon < value.length() - 1;
        if (ok) {
            try {
                int p = Integer.parseInt(value.substring(colon + 1));
                ok = p > 0 && p <= 65535;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) throw new ParameterException(cl, option + " expects HOST:PORT with a port 1-65535, got " + value);
    }
}
