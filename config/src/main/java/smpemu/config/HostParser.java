package smpemu.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** smpemu.host: the host scheduler's slice and the host tasks sharing the vCPUs' pCPUs. */
final class HostParser {
    private HostParser() {}

    private static final List<String> TASK_KEYS = List.of("name", "cpus", "interarrival", "burst", "threads");

    static HostSettings host(ConfigReader h, int cpus) {
        int mark = h.mark();
        Long slice = h.get("base-slice", ConfigReader.duration(true));
        List<ConfigReader> items = h.objects("tasks");
        List<HostSettings.HostTask> tasks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (items != null) {
            for (ConfigReader t : items) {
                int m = t.mark();
                t.checkKeys(TASK_KEYS);
                String name = t.get("name", ConfigReader.NAME);
                if (name != null && !names.add(name)) t.reject("name", "is already the name of another host task");
                int[] on = t.get("cpus", CpuListParser.cpuList(cpus));
                Dist interarrival = DistParser.parse(t, "interarrival", true);
                Dist burst = DistParser.parse(t, "burst", true);
                Integer threads = t.get("threads", ConfigReader.intIn(1, HostSettings.MAX_THREADS), 1);
                if (t.cleanSince(m)) tasks.add(new HostSettings.HostTask(name, on, interarrival, burst, threads));
            }
        }
        return h.cleanSince(mark) ? new HostSettings(slice, List.copyOf(tasks)) : null;
    }
}
