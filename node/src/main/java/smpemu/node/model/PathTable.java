package smpemu.node.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interns kernel call paths so sections carry a small int instead of a list. */
public final class PathTable {
    private final List<List<String>> paths = new ArrayList<>();
    private final Map<List<String>, Integer> ids = new HashMap<>();

    public int id(List<String> path) {
        return ids.computeIfAbsent(List.copyOf(path), p -> {
            paths.add(p);
            return paths.size() - 1;
        });
    }

    public List<String> path(int id) { return paths.get(id); }
}
