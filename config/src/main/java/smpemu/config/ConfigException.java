package smpemu.config;

import java.util.List;

/**
 * A user error in the configuration: one line per problem, each naming the key path, the bad
 * value and what is allowed, e.g. {@code workload.tasks[2].policy: "fifoo" is not one of fifo, rr, other}.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() { return errors; }
}
