package smpemu.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code topology.import}: reads a real machine's description, telling the format from the
 * file: a directory is a copied sysfs ({@link SysfsFormat}), a file starting with {@code <} is
 * hwloc XML ({@link HwlocFormat}, v1 and v2), anything else the output of
 * {@code lscpu -p=CPU,CORE,SOCKET,NODE} ({@link LscpuFormat}).
 */
final class TopologyImport {
    private TopologyImport() {}

    /** Reads {@code path}; Invalid says what is wrong with it. */
    static MachineTopology read(Path path) throws ConfigReader.Invalid {
        try {
            if (Files.isDirectory(path)) return SysfsFormat.read(path);
            if (!Files.isRegularFile(path)) throw new ConfigReader.Invalid("no such file or directory");
            String text = Files.readString(path, StandardCharsets.UTF_8);
            return text.stripLeading().startsWith("<") ? HwlocFormat.read(text) : LscpuFormat.read(text);
        } catch (IOException e) {
            throw new ConfigReader.Invalid("cannot be read (" + e.getMessage() + ")");
        }
    }

    /** A non-negative decimal id, or {@code what} in the error. */
    static int id(String text, String what) throws ConfigReader.Invalid {
        String t = text.trim();
        if (!t.matches("\\d{1,9}")) throw new ConfigReader.Invalid(what + " \"" + t + "\" is not a non-negative integer");
        return Integer.parseInt(t);
    }
}
